// Splits the rules into groups that read disjoint columns, so two worker threads can each read only their own columns
// of the same files at once, balanced by a cost model of one pass: scanning the row's bytes, converting the group's
// columns, and judging its rules. Every thread scans each row up to its last column; one of them, the one whose
// columns reach furthest right, walks every field to check the rows' shape, and the others jump from their last
// column to the line's end (OpenOptions.trustRowShape). Pure function.
import { columnsOf, TEXT_EXPECTATIONS } from '../expectations/registry.js';
import type { Rule } from '../rules/rule-types.js';

/**
 * Costs per row in rough units (one unit ~0.1 s on the benchmark's 5M rows on one core): walking a whole row's fields,
 * converting one cell, and judging one value by kind of rule. Fitted to the wall times of four splits of the
 * benchmark's rules (the split this model picks ran in 4.4-4.6 s, the one it picked with the row walk at 10 and
 * uniqueness at 12 in 5.1-5.5 s).
 */
const ROW_SCAN_COST = 16;
const COLUMN_COST = 2;

function ruleCost(rule: Rule): number {
  const type = rule.expectation.type;
  if (/values_to_be_unique|compound_columns_to_be_unique/.test(type)) return 10;
  if (/unique_value_count|proportion_of_unique/.test(type)) return 5;
  if (/regex|quantile|median|kl_divergence/.test(type)) return 3;
  if (/in_set|most_common/.test(type)) return 1.5;
  if (TEXT_EXPECTATIONS.has(type)) return 1.5;
  return 1;
}

export interface RuleGroup {
  /** Indices of the group's rules, ascending. */
  rules: number[];
  /** The group walks every field of each row to check its shape (exactly one group does); the others skip tails. */
  checksRowShape: boolean;
}

interface Component {
  rules: number[];
  /** Converting its columns and judging its rules. */
  cost: number;
  /** Position of its rightmost column in the header, -1 when unknown. */
  lastColumn: number;
}

/** Exhaustive search over splits in two up to this many components (2^16 splits), a greedy split past it. */
const EXHAUSTIVE_LIMIT = 16;

/**
 * The rules in at most `count` groups (fewer when the rules' columns do not split), given the data's header for
 * column positions; table rules join the cheapest group.
 */
export function ruleGroups(rules: readonly Rule[], count: number, header: readonly string[] = []): RuleGroup[] {
  const components = columnComponents(rules, header);
  const table = rules
    .map((rule, i) => (columnsOf(rule.expectation.type, rule.expectation.kwargs, rule.condition).length === 0 ? i : -1))
    .filter((i) => i >= 0);
  const width = Math.max(1, header.length);
  let split: Component[][];
  if (count < 2 || components.length < 2) split = [components];
  else if (count === 2 && components.length <= EXHAUSTIVE_LIMIT) split = bestSplitInTwo(components, width);
  else split = greedySplit(components, count);
  const costs = split.map((group, g) => groupCost(group, width, isChecker(split, g)));
  const cheapest = costs.indexOf(Math.min(...costs));
  const groups = split.map((group, g) => ({
    rules: [...group.flatMap((c) => c.rules), ...(g === cheapest ? table : [])].sort((a, b) => a - b),
    checksRowShape: isChecker(split, g),
  }));
  return groups.filter((g) => g.rules.length > 0 || g.checksRowShape);
}

/** Rules sharing a column must be in one group (or both groups would parse it): union-find over columns. */
function columnComponents(rules: readonly Rule[], header: readonly string[]): Component[] {
  const parent = rules.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const owner = new Map<string, number>();
  rules.forEach((rule, i) => {
    for (const column of columnsOf(rule.expectation.type, rule.expectation.kwargs, rule.condition)) {
      const j = owner.get(column);
      if (j === undefined) owner.set(column, i);
      else parent[find(i)] = find(j);
    }
  });
  const byRoot = new Map<number, Component & { columns: Set<string> }>();
  rules.forEach((rule, i) => {
    const columns = columnsOf(rule.expectation.type, rule.expectation.kwargs, rule.condition);
    if (columns.length === 0) return;
    const root = find(i);
    let component = byRoot.get(root);
    if (!component) byRoot.set(root, (component = { rules: [], cost: 0, lastColumn: -1, columns: new Set() }));
    component.rules.push(i);
    component.cost += ruleCost(rule);
    for (const column of columns) {
      if (!component.columns.has(column)) component.cost += COLUMN_COST;
      component.columns.add(column);
      component.lastColumn = Math.max(component.lastColumn, header.indexOf(column));
    }
  });
  return [...byRoot.values()].map(({ rules: r, cost, lastColumn }) => ({ rules: r, cost, lastColumn }));
}

function lastColumn(group: readonly Component[]): number {
  return group.reduce((last, c) => Math.max(last, c.lastColumn), -1);
}

/** The group whose columns reach furthest right checks row shapes (the first such group on a tie). */
function isChecker(split: readonly Component[][], g: number): boolean {
  const lasts = split.map(lastColumn);
  return lasts.indexOf(Math.max(...lasts)) === g;
}

function groupCost(group: readonly Component[], width: number, checker: boolean): number {
  const scanned = checker ? 1 : (lastColumn(group) + 1) / width;
  return ROW_SCAN_COST * Math.max(scanned, 0.1) + group.reduce((sum, c) => sum + c.cost, 0);
}

/** The split in two whose costlier group costs least. */
function bestSplitInTwo(components: readonly Component[], width: number): Component[][] {
  let best: Component[][] = [[...components]];
  let bestCost = Infinity;
  // Mask bit k puts component k in the second group; component 0 stays in the first (halves the search).
  for (let mask = 0; mask < 1 << (components.length - 1); mask++) {
    const split: Component[][] = [[components[0]], []];
    for (let k = 1; k < components.length; k++) split[(mask >> (k - 1)) & 1].push(components[k]);
    if (split[1].length === 0) continue;
    const cost = Math.max(...split.map((group, g) => groupCost(group, width, isChecker(split, g))));
    if (cost < bestCost) {
      bestCost = cost;
      best = split;
    }
  }
  return best;
}

/** Costliest component first into the cheapest group. */
function greedySplit(components: readonly Component[], count: number): Component[][] {
  const groups = Array.from({ length: Math.min(count, components.length) }, () => ({ members: [] as Component[], cost: 0 }));
  for (const component of [...components].sort((a, b) => b.cost - a.cost)) {
    const cheapest = groups.reduce((a, b) => (b.cost < a.cost ? b : a));
    cheapest.members.push(component);
    cheapest.cost += component.cost;
  }
  return groups.map((g) => g.members);
}
