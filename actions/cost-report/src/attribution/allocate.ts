// Turns the ledger's per-target daily sums into groups' costs: direct costs as attributed, each shared pool split
// day by day (evenly, in proportion to the window's direct cost, or by fixed weights) with exact integer shares,
// so that source total = attributed + shared + unallocated holds to the 10^-12 unit before any rounding.
import { parseAmountText, splitPico } from '../money/money.js';
import type { Ledger } from './ledger.js';
import type { Dimension, GroupKey, SharedPool } from './rules.js';

export interface GroupCost {
  key: GroupKey;
  direct: bigint;
  shared: bigint;
  /** direct + shared per day of the window. */
  daily: bigint[];
  /** Ledger target of the group's direct lines (-1 for a group that only receives shared cost). */
  target: number;
}

export interface PoolOutcome {
  name: string;
  split: SharedPool['split'];
  by: SharedPool['by'];
  total: bigint;
  /** Set when no group could take the pool: then it is unallocated. */
  unallocatedReason?: string;
}

export interface Allocation {
  groups: GroupCost[];
  unallocated: bigint;
  unallocatedDaily: bigint[];
  direct: bigint;
  shared: bigint;
  total: bigint;
  pools: PoolOutcome[];
}

const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
export const groupLabel = (k: GroupKey) => `${k.team}/${k.project}/${k.model}`;

export function allocate(ledger: Ledger): Allocation {
  const days = ledger.window.days;
  const groups: GroupCost[] = [];
  let unallocatedDaily: bigint[] = new Array(days).fill(0n);
  const poolDaily = new Map<string, bigint[]>();
  ledger.targets.forEach((t, index) => {
    const daily = ledger.daily(index);
    if (t.target.kind === 'group') groups.push({ key: t.target.group, direct: sum(daily), shared: 0n, daily, target: index });
    else if (t.target.kind === 'unallocated') unallocatedDaily = daily;
    else poolDaily.set(t.target.pool, daily);
  });
  const direct = sum(groups.map((g) => g.direct));
  const pools: PoolOutcome[] = [];
  let shared = 0n;
  for (const pool of ledger.rules.pools) {
    const daily = poolDaily.get(pool.name) ?? new Array<bigint>(days).fill(0n);
    const total = sum(daily);
    const outcome: PoolOutcome = { name: pool.name, split: pool.split, by: pool.by, total };
    pools.push(outcome);
    if (total === 0n && daily.every((d) => d === 0n)) continue;
    const plan = recipients(pool, groups, days);
    if (!plan) {
      outcome.unallocatedReason = `no ${pool.by === 'group' ? 'group' : pool.by} to share it with (none has direct cost${pool.among ? ` among ${pool.among.join(', ')}` : ''})`;
      daily.forEach((d, i) => (unallocatedDaily[i] += d));
      continue;
    }
    shared += total;
    daily.forEach((amount, day) => {
      if (amount === 0n) return;
      splitPico(amount, plan.weights).forEach((part, v) => {
        const members = plan.members[v];
        splitPico(part, members.weights).forEach((piece, m) => {
          const g = members.groups[m];
          g.daily[day] += piece;
          g.shared += piece;
        });
      });
    });
  }
  const unallocated = sum(unallocatedDaily);
  return { groups, unallocated, unallocatedDaily, direct, shared, total: direct + shared + unallocated, pools };
}

interface SplitPlan {
  weights: bigint[];
  members: { groups: GroupCost[]; weights: bigint[] }[];
}

/** Who receives a pool and with which integer weights; undefined when nobody can. */
function recipients(pool: SharedPool, groups: GroupCost[], days: number): SplitPlan | undefined {
  const valueOf = (g: GroupKey) => (pool.by === 'group' ? groupLabel(g) : g[pool.by as Dimension]);
  const byValue = new Map<string, GroupCost[]>();
  for (const g of groups) {
    const v = valueOf(g.key);
    if (v === '' || (pool.among && !pool.among.includes(v))) continue;
    if (pool.split === 'weights' && !(pool.weights![v] > 0)) continue;
    if (pool.split !== 'weights' && !pool.among && g.direct <= 0n) continue;
    let list = byValue.get(v);
    if (!list) byValue.set(v, (list = []));
    list.push(g);
  }
  // Named recipients without direct cost still get their share, in a group of their own.
  const named =
    pool.split === 'weights'
      ? Object.keys(pool.weights!).filter((v) => pool.weights![v] > 0)
      : pool.split === 'even'
        ? (pool.among ?? [])
        : [];
  for (const v of named) {
    if (byValue.has(v)) continue;
    const key: GroupKey = { team: '', project: '', model: '' };
    if (pool.by === 'group') [key.team, key.project, key.model] = v.split('/').concat(['', '']).slice(0, 3);
    else key[pool.by as Dimension] = v;
    const group: GroupCost = { key, direct: 0n, shared: 0n, daily: new Array<bigint>(days).fill(0n), target: -1 };
    groups.push(group);
    byValue.set(v, [group]);
  }
  const values = [...byValue.keys()];
  const directOf = (list: GroupCost[]) => list.reduce((a, g) => a + (g.direct > 0n ? g.direct : 0n), 0n);
  const weights = values.map((v) => {
    if (pool.split === 'even') return 1n;
    if (pool.split === 'proportional') return directOf(byValue.get(v)!);
    return parseAmountText(String(pool.weights![v])) ?? 0n;
  });
  if (!weights.some((w) => w > 0n)) return undefined;
  const members = values.map((v) => {
    const list = byValue.get(v)!;
    const inner = list.map((g) => (g.direct > 0n ? g.direct : 0n));
    return { groups: list, weights: inner.some((w) => w > 0n) ? inner : list.map(() => 1n) };
  });
  return { weights, members };
}
