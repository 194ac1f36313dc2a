// The DuckDB baseline: the per-column summaries drift-check needs, computed by DuckDB on a reference/current CSV
// pair: per numerical column 101 quantiles and a 30-bin equal-width histogram over both files' range, per
// categorical column the category counts. Usage: node bench/duckdb-summaries.mjs REF.csv CUR.csv OUT.json [threads]
import { writeFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { CATEGORICAL, NUMERICAL } from './generate-data.mjs';

const [reference, current, outFile, threads] = process.argv.slice(2);
if (!reference || !current || !outFile) {
  console.error('usage: node bench/duckdb-summaries.mjs REF.csv CUR.csv OUT.json [threads]');
  process.exit(2);
}

const BINS = 30;
const QUANTILES = Array.from({ length: 101 }, (_, i) => i / 100);
const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

const instance = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {});
const db = await instance.connect();
const rows = async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJS();

/**
 * Exact quantiles, interpolated linearly as quantile_cont does, from one sort: the order statistics at the needed
 * ranks. (quantile_cont(col, [101 fractions]) gives the same numbers but took ~20x longer in DuckDB 1.5, so this
 * keeps the baseline at its fastest exact form.)
 */
async function exactQuantiles(table, column) {
  const [{ n: count }] = await rows(`SELECT count(${column}) AS n FROM ${table}`);
  const n = Number(count);
  const ranks = new Set(QUANTILES.flatMap((q) => [Math.floor(q * (n - 1)), Math.ceil(q * (n - 1))]));
  const picked = await rows(
    `SELECT rn, v FROM (SELECT ${column} AS v, row_number() OVER (ORDER BY ${column}) - 1 AS rn FROM ${table} ` +
      `WHERE ${column} IS NOT NULL) WHERE rn IN (${[...ranks].join(', ')})`,
  );
  const at = new Map(picked.map((r) => [Number(r.rn), r.v]));
  return QUANTILES.map((q) => {
    const p = q * (n - 1);
    const lo = Math.floor(p);
    return at.get(lo) + (p - lo) * (at.get(Math.ceil(p)) - at.get(lo));
  });
}

const t0 = performance.now();
// Load each file once (DuckDB's parallel CSV reader, types sniffed), then summarise from memory.
for (const [table, file] of [
  ['ref', reference],
  ['cur', current],
]) {
  await db.run(`CREATE TABLE ${table} AS SELECT ${[...NUMERICAL, ...CATEGORICAL].join(', ')} FROM read_csv(${sqlString(file)})`);
}
const tLoad = performance.now();

const summaries = { ref: { rows: 0, numerical: {}, categorical: {} }, cur: { rows: 0, numerical: {}, categorical: {} } };
for (const table of ['ref', 'cur']) {
  for (const c of NUMERICAL) summaries[table].numerical[c] = { quantiles: await exactQuantiles(table, c) };
  for (const c of CATEGORICAL) {
    const counts = await rows(`SELECT ${c} AS category, count(*) AS n FROM ${table} GROUP BY ${c} ORDER BY n DESC`);
    summaries[table].categorical[c] = Object.fromEntries(counts.map((r) => [r.category, Number(r.n)]));
  }
  summaries[table].rows = Object.values(summaries[table].categorical[CATEGORICAL[0]]).reduce((a, b) => a + b, 0);
}
// Equal-width bins over the range of both samples, as drift-check and Evidently bin a column.
for (const c of NUMERICAL) {
  const [range] = await rows(
    `SELECT least(r.lo, k.lo) AS lo, greatest(r.hi, k.hi) AS hi FROM ` +
      `(SELECT min(${c}) AS lo, max(${c}) AS hi FROM ref) r, (SELECT min(${c}) AS lo, max(${c}) AS hi FROM cur) k`,
  );
  const width = (range.hi - range.lo) / BINS || 1;
  for (const table of ['ref', 'cur']) {
    const bins = await rows(
      `SELECT least(CAST(floor((${c} - ${range.lo}) / ${width}) AS INTEGER), ${BINS - 1}) AS bin, count(*) AS n ` +
        `FROM ${table} WHERE ${c} IS NOT NULL GROUP BY bin ORDER BY bin`,
    );
    const counts = new Array(BINS).fill(0);
    for (const b of bins) counts[b.bin] = Number(b.n);
    summaries[table].numerical[c].histogram = { lo: range.lo, hi: range.hi, counts };
  }
}
const tEnd = performance.now();
const [{ threads: usedThreads }] = await rows(`SELECT current_setting('threads') AS threads`);
await writeFile(
  outFile,
  JSON.stringify({ threads: Number(usedThreads), loadS: (tLoad - t0) / 1000, summariseS: (tEnd - tLoad) / 1000, summaries }),
);
db.closeSync();
