// How reports and the quarantine column name a rule: the user's name, else `<type without expect_>(<columns>)`,
// made unique within the rule set by a ` #2`, ` #3` suffix.
import type { ExpectationConfiguration } from './rule-types.js';

/** The columns a rule is about, in the order GX names them. */
function ruleColumns(kwargs: Record<string, unknown>): string[] {
  if (typeof kwargs.column === 'string') return [kwargs.column];
  if (typeof kwargs.column_A === 'string' && typeof kwargs.column_B === 'string') return [kwargs.column_A, kwargs.column_B];
  return [];
}

export function defaultRuleName(expectation: ExpectationConfiguration): string {
  const base = expectation.type.replace(/^expect_/, '');
  const { kwargs } = expectation;
  let columns = ruleColumns(kwargs);
  // Multicolumn rules are about their column_list; the table rules' column_list/column_set describe the table instead.
  if (columns.length === 0 && !expectation.type.startsWith('expect_table_') && Array.isArray(kwargs.column_list))
    columns = kwargs.column_list.map(String);
  return columns.length > 0 ? `${base}(${columns.join(', ')})` : base;
}

/** Suffixes repeated names with ` #2`, ` #3`, ... (the first keeps its name), never producing a name already taken. */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  const counts = new Map<string, number>();
  const result: string[] = [];
  // Names given once keep them even if they come after a repeat that would otherwise take them as a suffixed name.
  const reserved = new Set(names);
  for (const name of names) {
    let unique = name;
    if (taken.has(name)) {
      let n = counts.get(name) ?? 1;
      do unique = `${name} #${++n}`;
      while (taken.has(unique) || reserved.has(unique));
      counts.set(name, n);
    }
    taken.add(unique);
    result.push(unique);
  }
  return result;
}
