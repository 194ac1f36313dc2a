// Attributes cost lines to targets (a team/project/model group, a shared pool, or unallocated) and sums them per
// target and day, exactly. Rules are evaluated once per distinct combination of the fields they read (cached),
// so millions of lines cost a key lookup each.
import { DataError, type FileLocation } from '#shared/errors.js';
import { MoneySum, toPico } from '../money/money.js';
import type { CostBatch, LineField } from '../sources/cost-batch.js';
import type { Window } from '../window.js';
import { isAmbiguousOverlap, ruleMatches, type GroupKey, type Rule, type RuleSet } from './rules.js';

export type Target = { kind: 'group'; group: GroupKey } | { kind: 'shared'; pool: string } | { kind: 'unallocated' };

export interface RuleOverlap {
  first: Rule;
  later: Rule;
  lines: number;
  example?: FileLocation;
}

const DAY_MS = 86_400_000;
/** A level of the attribution cache: a field's value to the next level, or (last level) to the target. */
type CacheNode = Map<string | null, CacheNode | number>;

interface TargetSums {
  target: Target;
  micro: Float64Array;
  frac: Float64Array;
}

export interface LedgerOptions {
  /** Distinct attribution keys kept cached (bounded by memory-budget-mb). */
  cacheLimit: number;
  /** Distinct resources whose totals are kept for the top drivers. */
  driverLimit: number;
}

export class Ledger {
  readonly targets: TargetSums[] = [];
  private readonly targetIndex = new Map<string, number>();
  private readonly ruleTarget: number[];
  private readonly unallocated: number;
  private cache: CacheNode = new Map();
  private cacheEntries = 0;
  private readonly overlaps: RuleOverlap[] = [];
  private readonly overlapIndex = new Map<string, number>();
  readonly sourceTotals = new Map<string, MoneySum>();
  readonly outside = new Map<string, { lines: number; sum: MoneySum }>();
  /** Per resource: its target, exact total and daily cost (floats, for the drivers of anomalies only). */
  readonly resources = new Map<string, { target: number; sum: MoneySum; daily: Float64Array }>();
  driversTruncated = false;
  lines = 0;
  readonly sourceLines = new Map<string, number>();

  constructor(
    readonly window: Window,
    readonly rules: RuleSet,
    private readonly options: LedgerOptions,
  ) {
    this.ruleTarget = rules.rules.map((r) => this.targetId(r.target));
    this.unallocated = this.targetId({ kind: 'unallocated' });
  }

  private targetId(target: Target): number {
    const key = JSON.stringify(target);
    let id = this.targetIndex.get(key);
    if (id === undefined) {
      id = this.targets.length;
      this.targets.push({ target, micro: new Float64Array(this.window.days), frac: new Float64Array(this.window.days) });
      this.targetIndex.set(key, id);
    }
    return id;
  }

  /** Adds one batch of a source's lines. */
  add(source: string, batch: CostBatch): void {
    const { time, micro, frac, rowCount } = batch;
    const start = this.window.start;
    const days = this.window.days;
    const total = this.sum(this.sourceTotals, source);
    const resources = batch.fields.resource;
    const services = batch.fields.service;
    const columns = this.keyColumns(batch);
    let counted = 0;
    for (let row = 0; row < rowCount; row++) {
      const day = Math.floor((time[row] - start) / DAY_MS);
      if (!(day >= 0 && day < days)) {
        let out = this.outside.get(source);
        if (!out) this.outside.set(source, (out = { lines: 0, sum: new MoneySum() }));
        out.lines++;
        out.sum.add(micro[row], frac[row]);
        continue;
      }
      const target = this.attribute(batch, row, columns);
      const sums = this.targets[target];
      sums.micro[day] += micro[row];
      sums.frac[day] += frac[row];
      total.add(micro[row], frac[row]);
      this.lines++;
      counted++;
      const resource = resources?.[row] ?? services?.[row] ?? source;
      let driver = this.resources.get(resource);
      if (!driver) {
        if (this.resources.size >= this.options.driverLimit) {
          this.driversTruncated = true;
          continue;
        }
        this.resources.set(resource, (driver = { target, sum: new MoneySum(), daily: new Float64Array(days) }));
      }
      driver.sum.add(micro[row], frac[row]);
      driver.daily[day] += micro[row] / 1e6 + frac[row] / 1e12;
    }
    this.sourceLines.set(source, (this.sourceLines.get(source) ?? 0) + counted);
  }

  private sum(map: Map<string, MoneySum>, key: string): MoneySum {
    let s = map.get(key);
    if (!s) map.set(key, (s = new MoneySum()));
    return s;
  }

  /** The columns the attribution cache is keyed by, for one batch: the fields rules read, then the tags. */
  private keyColumns(batch: CostBatch): (ArrayLike<string | null> | undefined)[] {
    const columns: (ArrayLike<string | null> | undefined)[] = this.rules.fields.map((f) => batch.fields[f]);
    if (this.rules.usesTags) columns.push(batch.tags);
    return columns;
  }

  /**
   * The target of one line: from the cache, else by evaluating the rules (all of them, to find overlaps). The cache
   * is a tree of maps keyed by each field's value: the values are the readers' interned strings, whose hashes V8
   * keeps, so a line costs a few map lookups and builds no key string.
   */
  attribute(batch: CostBatch, row: number, columns = this.keyColumns(batch)): number {
    const { rules } = this;
    if (rules.rules.length === 0) return this.unallocated;
    let node = this.cache;
    const last = columns.length - 1;
    for (let i = 0; i < last; i++) {
      const value = columns[i]?.[row] ?? null;
      let next = node.get(value) as CacheNode | undefined;
      if (next === undefined) node.set(value, (next = new Map()));
      node = next;
    }
    const leafKey = last >= 0 ? (columns[last]?.[row] ?? null) : null;
    const cached = node.get(leafKey) as number | undefined;
    if (cached !== undefined) {
      if (cached >= 65536) this.overlaps[(cached >>> 16) - 1].lines++;
      return cached & 0xffff;
    }
    let tagCache: Record<string, string> | null | undefined;
    const view = {
      field: (f: LineField) => batch.fields[f]?.[row] ?? null,
      tags: () => (tagCache === undefined ? (tagCache = parseTags(batch.tags?.[row] ?? null, batch.location(row))) : tagCache),
    };
    let winner: Rule | undefined;
    let overlap = 0;
    for (const rule of rules.rules) {
      if (!ruleMatches(rule, view)) continue;
      if (!winner) {
        winner = rule;
        continue;
      }
      if (overlap === 0 && isAmbiguousOverlap(winner, rule)) overlap = this.overlapId(winner, rule, batch.location(row));
    }
    const target = winner ? this.ruleTarget[winner.index - 1] : this.unallocated;
    if (overlap) this.overlaps[overlap - 1].lines++;
    if (++this.cacheEntries >= this.options.cacheLimit) {
      this.cache = new Map();
      this.cacheEntries = 0;
    } else node.set(leafKey, target + overlap * 65536);
    return target;
  }

  private overlapId(first: Rule, later: Rule, example?: FileLocation): number {
    const key = `${first.index}:${later.index}`;
    let id = this.overlapIndex.get(key);
    if (id === undefined) {
      this.overlaps.push({ first, later, lines: 0, example });
      id = this.overlaps.length;
      this.overlapIndex.set(key, id);
    }
    return id;
  }

  ruleOverlaps(): RuleOverlap[] {
    return this.overlaps.slice();
  }

  /** Daily pico sums of a target. */
  daily(target: number): bigint[] {
    const s = this.targets[target];
    return Array.from(s.micro, (m, d) => toPico(m, s.frac[d]));
  }
}

/** FOCUS Tags / Kubernetes labels: a JSON object of names to values (values that are not text are written as JSON). */
export function parseTags(text: string | null, location?: FileLocation): Record<string, string> | null {
  if (text === null || text === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
    throw new DataError(`Tags must be a JSON object of tag names to values, found '${shown}'`, {
      ...(location ?? { file: 'tags' }),
      column: 'Tags',
    });
  }
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) tags[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return tags;
}
