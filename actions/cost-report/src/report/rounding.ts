// The report's figures in cents, rounded once by one rule: the exact total is rounded half to even to the cent;
// attributed, shared and unallocated are rounded by largest remainder to add up to it; groups are rounded the same
// way to add up to attributed + shared; each group's days to add up to the group. Every table therefore adds up.
import { largestRemainderCents, roundToCents } from '../money/money.js';
import { groupLabel, type Allocation } from '../attribution/allocate.js';
import { DIMENSIONS, type Dimension, type GroupKey } from '../attribution/rules.js';

export interface RoundedGroup {
  key: GroupKey;
  label: string;
  cents: bigint;
  directCents: bigint;
  sharedCents: bigint;
  dailyCents: bigint[];
  share: number;
}

export interface RoundedReport {
  totalCents: bigint;
  attributedCents: bigint;
  sharedCents: bigint;
  unallocatedCents: bigint;
  unallocatedDailyCents: bigint[];
  groups: RoundedGroup[];
  byDimension: Record<Dimension, { name: string; cents: bigint }[]>;
}

export function roundReport(allocation: Allocation): RoundedReport {
  const totalCents = roundToCents(allocation.total);
  const [attributedCents, sharedCents, unallocatedCents] = largestRemainderCents(
    [allocation.direct, allocation.shared, allocation.unallocated],
    totalCents,
  );
  const groups = allocation.groups.filter((g) => g.direct !== 0n || g.shared !== 0n);
  const groupCents = largestRemainderCents(
    groups.map((g) => g.direct + g.shared),
    attributedCents + sharedCents,
  );
  const total = Number(totalCents);
  const rounded = groups
    .map((g, i) => {
      const [directCents, shared] = largestRemainderCents([g.direct, g.shared], groupCents[i]);
      return {
        key: g.key,
        label: groupLabel(g.key),
        cents: groupCents[i],
        directCents,
        sharedCents: shared,
        dailyCents: largestRemainderCents(g.daily, groupCents[i]),
        share: total === 0 ? 0 : Number(groupCents[i]) / total,
      };
    })
    .sort((a, b) => (a.cents === b.cents ? a.label.localeCompare(b.label) : a.cents > b.cents ? -1 : 1));
  const byDimension = {} as RoundedReport['byDimension'];
  for (const dim of DIMENSIONS) {
    const sums = new Map<string, bigint>();
    for (const g of groups) sums.set(g.key[dim] || '(none)', (sums.get(g.key[dim] || '(none)') ?? 0n) + g.direct + g.shared);
    const names = [...sums.keys()];
    const cents = largestRemainderCents([...sums.values()], attributedCents + sharedCents);
    byDimension[dim] = names
      .map((name, i) => ({ name, cents: cents[i] }))
      .sort((a, b) => (a.cents === b.cents ? a.name.localeCompare(b.name) : a.cents > b.cents ? -1 : 1));
  }
  return {
    totalCents,
    attributedCents,
    sharedCents,
    unallocatedCents,
    unallocatedDailyCents: largestRemainderCents(allocation.unallocatedDaily, unallocatedCents),
    groups: rounded,
    byDimension,
  };
}
