// The DuckDB baseline of the data-gate benchmark: the same rules file evaluated in SQL. Loads the CSV with read_csv
// and explicit column types (those under the rules file's `columns:`), then computes for every rule the numbers
// data-gate reports: unexpected and missing counts of row rules (GX semantics: nulls left out, except for
// not-null), observed values of aggregates and table rules. Only the expectation types the benchmark uses are known.
//   node bench/data-gate/duckdb-rules.mjs DATA.csv RULES.yml OUT.json [threads]
import { readFile, writeFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { load } from 'js-yaml';

const SQL_TYPES = { text: 'VARCHAR', categorical: 'VARCHAR', numerical: 'DOUBLE', datetime: 'TIMESTAMP', boolean: 'BOOLEAN' };
/** data-gate lists at most this many distinct values in an observed value. */
const DISTINCT_LIST_LIMIT = 1000;

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;

/** A bound as SQL: numbers as they are, dates (strings) as TIMESTAMP literals. */
const literal = (v) => (typeof v === 'number' ? String(v) : `TIMESTAMP ${sqlString(v)}`);

/** GX's min_value/max_value/strict_min/strict_max as a SQL condition on `expr`. */
function inRange(expr, kw) {
  const parts = [];
  if (kw.min_value !== undefined && kw.min_value !== null) parts.push(`${expr} ${kw.strict_min ? '>' : '>='} ${literal(kw.min_value)}`);
  if (kw.max_value !== undefined && kw.max_value !== null) parts.push(`${expr} ${kw.strict_max ? '<' : '<='} ${literal(kw.max_value)}`);
  return parts.length > 0 ? parts.join(' AND ') : 'TRUE';
}

const valueList = (set) => set.map((v) => (typeof v === 'number' ? String(v) : sqlString(v))).join(', ');

/**
 * Row rules as SQL conditions: `unexpected` and `ignored` (left out as missing), both evaluated per row in one
 * scan with count(*) FILTER. Uniqueness is a GROUP BY of its own.
 */
const ROW_RULES = {
  expect_column_values_to_not_be_null: ({ column }) => ({ unexpected: `${ident(column)} IS NULL`, ignored: 'FALSE' }),
  expect_column_values_to_be_between: (kw) => ({
    unexpected: `NOT (${inRange(ident(kw.column), kw)})`,
    ignored: `${ident(kw.column)} IS NULL`,
  }),
  expect_column_values_to_be_in_set: ({ column, value_set }) => ({
    unexpected: `${ident(column)} NOT IN (${valueList(value_set)})`,
    ignored: `${ident(column)} IS NULL`,
  }),
  // RE2 in both, with search semantics (GX's re.search): the pattern matches anywhere unless anchored.
  expect_column_values_to_match_regex: ({ column, regex }) => ({
    unexpected: `NOT regexp_matches(${ident(column)}, ${sqlString(regex)})`,
    ignored: `${ident(column)} IS NULL`,
  }),
  expect_column_value_lengths_to_be_between: (kw) => ({
    unexpected: `NOT (${inRange(`length(${ident(kw.column)})`, kw)})`,
    ignored: `${ident(kw.column)} IS NULL`,
  }),
  // GX's default ignore_row_if (both_values_are_missing): a row missing only one value is unexpected.
  expect_column_pair_values_a_to_be_greater_than_b: ({ column_A, column_B, or_equal }) => {
    const [a, b] = [ident(column_A), ident(column_B)];
    return {
      unexpected: `(${a} IS NULL) <> (${b} IS NULL) OR NOT (${a} ${or_equal ? '>=' : '>'} ${b})`,
      ignored: `${a} IS NULL AND ${b} IS NULL`,
    };
  },
};

/** Scalar aggregates: one expression each, in the same scan as the row rules. */
const SCALAR_AGGREGATES = {
  expect_column_min_to_be_between: (c) => `min(${c})`,
  expect_column_max_to_be_between: (c) => `max(${c})`,
  expect_column_mean_to_be_between: (c) => `avg(${c})`,
  expect_column_stdev_to_be_between: (c) => `stddev_samp(${c})`,
  expect_column_unique_value_count_to_be_between: (c) => `count(DISTINCT ${c})`,
};

/** numpy.around: halves to the even neighbour (pandas' 'nearest' quantile, which GX and data-gate use). */
function roundHalfEven(x) {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
}

const [dataFile, rulesFile, outFile, threads] = process.argv.slice(2);
if (!dataFile || !rulesFile || !outFile) {
  console.error('usage: node bench/data-gate/duckdb-rules.mjs DATA.csv RULES.yml OUT.json [threads]');
  process.exit(2);
}

const t0 = performance.now();
const ruleSet = load(await readFile(rulesFile, 'utf8'));
const rules = ruleSet.rules.map((r) => {
  const { expectation, severity, name, description, meta, ...kwargs } = r;
  return { name, type: expectation.startsWith('expect_') ? expectation : `expect_${expectation}`, kwargs };
});

const instance = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {});
const db = await instance.connect();
const rows = async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJS();

// Every column of the file, typed as the rules file declares (the benchmark's rules file declares all eight).
const columnTypes = Object.entries(ruleSet.columns ?? {}).map(([c, t]) => `${sqlString(c)}: ${sqlString(SQL_TYPES[t])}`);
await db.run(
  `CREATE TABLE data AS SELECT * FROM read_csv(${sqlString(dataFile)}, header = true, delim = ',', quote = '"', ` +
    `auto_detect = false, columns = {${columnTypes.join(', ')}})`,
);
const tLoad = performance.now();

const results = new Map();
const select = ['count(*) AS "rows"'];
const columnsOfTable = (await rows(`SELECT column_name FROM (DESCRIBE data)`)).map((r) => r.column_name);
rules.forEach((rule, i) => {
  const { type, kwargs } = rule;
  if (ROW_RULES[type]) {
    const { unexpected, ignored } = ROW_RULES[type](kwargs);
    select.push(`count(*) FILTER (WHERE NOT (${ignored}) AND (${unexpected})) AS u${i}`, `count(*) FILTER (WHERE ${ignored}) AS m${i}`);
  } else if (SCALAR_AGGREGATES[type]) {
    const c = ident(kwargs.column);
    select.push(`${SCALAR_AGGREGATES[type](c)} AS v${i}`, `count(*) FILTER (WHERE ${c} IS NULL) AS m${i}`);
  }
});
const [scan] = await rows(`SELECT ${select.join(',\n  ')} FROM data`);
const rowCount = Number(scan.rows);

for (const [i, rule] of rules.entries()) {
  const { type, kwargs } = rule;
  const column = kwargs.column === undefined ? undefined : ident(kwargs.column);
  let result;
  if (ROW_RULES[type]) {
    result = { kind: 'row', unexpected_count: Number(scan[`u${i}`]), missing_count: Number(scan[`m${i}`]) };
  } else if (SCALAR_AGGREGATES[type]) {
    const v = scan[`v${i}`];
    result = { kind: 'aggregate', observed_value: typeof v === 'bigint' ? Number(v) : v, missing_count: Number(scan[`m${i}`]) };
  } else if (type === 'expect_column_values_to_be_unique') {
    const [d] = await rows(
      `SELECT coalesce(sum(n), 0) AS unexpected FROM (SELECT count(*) AS n FROM data WHERE ${column} IS NOT NULL GROUP BY ${column} HAVING count(*) > 1)`,
    );
    const [m] = await rows(`SELECT count(*) FILTER (WHERE ${column} IS NULL) AS missing FROM data`);
    result = { kind: 'row', unexpected_count: Number(d.unexpected), missing_count: Number(m.missing) };
  } else if (type === 'expect_column_quantile_values_to_be_between') {
    // The order statistics pandas' 'nearest' picks, after one sort.
    const quantiles = kwargs.quantile_ranges.quantiles;
    const [{ n }] = await rows(`SELECT count(${column}) AS n FROM data`);
    const ranks = quantiles.map((q) => roundHalfEven((Number(n) - 1) * q));
    const picked = await rows(
      `SELECT rn, v FROM (SELECT ${column} AS v, row_number() OVER (ORDER BY ${column}) - 1 AS rn FROM data WHERE ${column} IS NOT NULL) WHERE rn IN (${ranks.join(', ')})`,
    );
    const at = new Map(picked.map((r) => [Number(r.rn), r.v]));
    result = { kind: 'aggregate', observed_value: { quantiles, values: ranks.map((r) => at.get(r)) }, missing_count: rowCount - Number(n) };
  } else if (type === 'expect_column_distinct_values_to_be_in_set' || type === 'expect_column_most_common_value_to_be_in_set') {
    const counts = await rows(`SELECT ${column} AS v, count(*) AS n FROM data WHERE ${column} IS NOT NULL GROUP BY ${column}`);
    const sorted = (values) => values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let observed;
    if (type === 'expect_column_distinct_values_to_be_in_set') observed = sorted(counts.map((r) => r.v)).slice(0, DISTINCT_LIST_LIMIT);
    else {
      const best = Math.max(...counts.map((r) => Number(r.n)));
      observed = sorted(counts.filter((r) => Number(r.n) === best).map((r) => r.v));
    }
    result = { kind: 'aggregate', observed_value: observed, missing_count: rowCount - counts.reduce((s, r) => s + Number(r.n), 0) };
  } else if (type === 'expect_table_row_count_to_be_between') {
    result = { kind: 'table', observed_value: rowCount };
  } else if (type === 'expect_table_columns_to_match_ordered_list') {
    result = { kind: 'table', observed_value: columnsOfTable };
  } else throw new Error(`duckdb-rules: no SQL for ${type} (rule '${rule.name}')`);
  results.set(rule.name, { name: rule.name, type, ...result });
}
const tEnd = performance.now();
const [{ threads: usedThreads }] = await rows(`SELECT current_setting('threads') AS threads`);
await writeFile(
  outFile,
  JSON.stringify(
    {
      threads: Number(usedThreads),
      rows: rowCount,
      loadS: (tLoad - t0) / 1000,
      rulesS: (tEnd - tLoad) / 1000,
      results: [...results.values()],
    },
    null,
    2,
  ),
);
db.closeSync();
