// Splits the rules into groups that read disjoint columns, balanced by a rough cost, so two worker threads can each
// read only their own columns of the same files at once (parsing cells and judging them is most of a pass; the
// byte scan of each line is the only work both repeat). Pure function.
import { columnsOf, TEXT_EXPECTATIONS } from '../expectations/registry.js';
import type { Rule } from '../rules/rule-types.js';

/** Relative cost of a rule per row: what the profile of the 5M-row benchmark showed. */
function ruleCost(rule: Rule): number {
  const type = rule.expectation.type;
  if (/regex/.test(type)) return 4;
  if (/unique|distinct|most_common|kl_divergence/.test(type)) return 3;
  if (TEXT_EXPECTATIONS.has(type)) return 2;
  return 1;
}

/** Rule indices in `count` groups (fewer when the rules' columns do not split); table rules join the lightest. */
export function ruleGroups(rules: readonly Rule[], count: number): number[][] {
  // Rules sharing a column must be in one group (or both groups would parse it): union-find over columns.
  const parent = rules.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const owner = new Map<string, number>();
  rules.forEach((rule, i) => {
    for (const column of columnsOf(rule.expectation.type, rule.expectation.kwargs)) {
      const j = owner.get(column);
      if (j === undefined) owner.set(column, i);
      else parent[find(i)] = find(j);
    }
  });
  const components = new Map<number, { rules: number[]; cost: number }>();
  const table: number[] = [];
  rules.forEach((rule, i) => {
    if (columnsOf(rule.expectation.type, rule.expectation.kwargs).length === 0) {
      table.push(i);
      return;
    }
    const root = find(i);
    const component = components.get(root) ?? { rules: [], cost: 1 };
    component.rules.push(i);
    component.cost += ruleCost(rule);
    components.set(root, component);
  });
  const groups = Array.from({ length: Math.max(1, Math.min(count, components.size)) }, () => ({ rules: [] as number[], cost: 0 }));
  for (const component of [...components.values()].sort((a, b) => b.cost - a.cost)) {
    const lightest = groups.reduce((a, b) => (b.cost < a.cost ? b : a));
    lightest.rules.push(...component.rules);
    lightest.cost += component.cost;
  }
  groups.reduce((a, b) => (b.cost < a.cost ? b : a)).rules.push(...table);
  return groups.map((g) => g.rules.sort((a, b) => a - b)).filter((g) => g.length > 0);
}
