// `duplicates: keep-first`: the first row of each group of duplicates a uniqueness rule found goes to the passed file
// (when it broke nothing else), only the later copies to the failed file, so de-duplicating by the quarantine keeps the
// legitimate row. The validation result keeps GX's view (every member of a group is unexpected); only the split
// changes. One more read of the rules' key columns, in file order, feeds a FirstCopyFinder per rule.
import { openDataset } from '#shared/data/index.js';
import { BatchContext, type ColumnRead } from '../expectations/evaluator.js';
import { columnsReadAsText } from '../validate/evaluate-rules.js';
import { compoundKey, ignored } from '../expectations/multicolumn-expectations.js';
import type { Key64 } from '../expectations/value-hash.js';
import type { ColumnType } from '#shared/data/types.js';
import type { Rule, RuleSet } from '../rules/rule-types.js';
import type { RowBitset } from '../validate/row-bitset.js';
import { FirstCopyFinder } from './first-copy-finder.js';
import type { BrokenRules } from './row-router.js';

/** `all` (GX's view): every member of a duplicate group fails; `keep-first`: the first one passes. */
export type DuplicatesPolicy = 'all' | 'keep-first';
export const DUPLICATES_POLICIES: readonly DuplicatesPolicy[] = ['all', 'keep-first'];

/** Rules whose unexpected rows are duplicates of one another across rows (not within a record). */
const DUPLICATE_RULES: ReadonlySet<string> = new Set(['expect_column_values_to_be_unique', 'expect_compound_columns_to_be_unique']);

export interface KeepFirstOptions {
  files: string[];
  ruleSet: RuleSet;
  brokenRules: BrokenRules;
  /** Memory the finders may hold before they spill to disk. */
  budgetBytes: number;
  maxLineBytes?: number;
}

interface DuplicateRule {
  rule: Rule;
  columns: string[];
  /** GX's ignore_row_if (compound keys): rows it ignores are no one's copy. */
  ignoreRowIf: string;
  finder: FirstCopyFinder;
}

/**
 * The columns' types as validation reads them (validate/evaluate-rules.ts): declared in the rules file,
 * but text where a rule judges the text as written. Keys of equal values are equal only between equal reads (1 and
 * 1.0 are one number but two texts), so the copies are grouped exactly as the uniqueness rule grouped them.
 */
function columnTypes(ruleSet: RuleSet, columns: readonly string[]): Record<string, ColumnType> {
  const types: Record<string, ColumnType> = Object.create(null);
  const asWritten = columnsReadAsText(ruleSet);
  for (const column of columns) {
    if (asWritten.has(column)) types[column] = 'text';
    else if (ruleSet.columnTypes[column] !== undefined) types[column] = ruleSet.columnTypes[column];
  }
  return types;
}

/** brokenRules with each uniqueness rule's first copies taken out of it. */
export async function keepFirstCopies(options: KeepFirstOptions): Promise<BrokenRules> {
  const { brokenRules } = options;
  const candidates = options.ruleSet.rules.filter((r) => r.severity === 'error' && DUPLICATE_RULES.has(r.expectation.type));
  if (candidates.length === 0) return brokenRules;
  const budget = Math.max(1 << 16, Math.floor(options.budgetBytes / candidates.length));
  const rules: DuplicateRule[] = candidates.map((rule) => {
    const { kwargs } = rule.expectation;
    const single = rule.expectation.type === 'expect_column_values_to_be_unique';
    return {
      rule,
      columns: single ? [kwargs.column as string] : (kwargs.column_list as string[]),
      ignoreRowIf: single ? 'any_value_is_missing' : ((kwargs.ignore_row_if as string | undefined) ?? 'all_values_are_missing'),
      finder: new FirstCopyFinder(budget),
    };
  });
  const columns = [...new Set(rules.flatMap((r) => r.columns))];
  const dataset = await openDataset(options.files, {
    label: "input 'data'",
    columns,
    columnTypes: columnTypes(options.ruleSet, columns),
    keepInvalid: true,
    textAsUtf8: true,
    // Validation has read every row whole and checked its field count.
    trustRowShape: true,
    maxLineBytes: options.maxLineBytes,
  });
  const reads: ColumnRead[] = dataset.schema.map((c) => ({ name: c.name, type: c.type }));
  const index = new Map(reads.map((r, i) => [r.name, i]));
  const key: Key64 = { hi: 0, lo: 0 };
  const part: Key64 = { hi: 0, lo: 0 };
  try {
    for await (const batch of dataset.batches()) {
      const ctx = new BatchContext(batch, reads, index);
      const views = rules.map((r) => ({ keys: r.columns.map((c) => ctx.keys(c)), nulls: r.columns.map((c) => ctx.nulls(c)) }));
      for (let i = 0; i < batch.rowCount; i++) {
        const row = batch.firstRowIndex + i;
        const broken = brokenRules(row);
        if (!broken) continue;
        rules.forEach(({ rule, columns: ruleColumns, ignoreRowIf, finder }, k) => {
          if (!broken.includes(rule.name)) return;
          const { keys, nulls } = views[k];
          let missing = 0;
          for (const flags of nulls) missing += flags[i];
          // A row flagged for its nulls (nulls_count_as_unexpected) is no copy of another: it stays failed.
          if (ignored(ignoreRowIf, missing, ruleColumns.length)) return;
          if (keys.length === 1) {
            key.hi = keys[0].hi[i];
            key.lo = keys[0].lo[i];
          } else compoundKey(key, part, keys, i);
          finder.add(key.hi, key.lo, row);
        });
      }
    }
    const firsts = new Map<string, RowBitset>();
    for (const { rule, finder } of rules) firsts.set(rule.name, await finder.firstCopies());
    return (row) => {
      const names = brokenRules(row);
      if (!names) return names;
      const kept = names.filter((name) => !firsts.get(name)?.has(row));
      return kept.length > 0 ? kept : undefined;
    };
  } finally {
    for (const { finder } of rules) finder.dispose();
  }
}
