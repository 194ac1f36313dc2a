// Does an OSV record affect a PyPI package at a version? OSV's evaluation algorithm (ossf.github.io/osv-schema,
// "Evaluation"): per ECOSYSTEM range, events sorted by version, introduced turns affected on, fixed and (past it)
// last_affected turn it off; plus the explicit `versions` list. Versions compare by PEP 440.
import { compare, eq, valid } from '@renovatebot/pep440';
import { normaliseName } from '../manifests/types.js';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvAffected {
  package?: { name?: string; ecosystem?: string; purl?: string };
  ranges?: { type: string; events?: OsvEvent[] }[];
  versions?: string[];
  severity?: { type: string; score: string }[];
}

export interface OsvRecord {
  id: string;
  summary?: string;
  details?: string;
  aliases?: string[];
  modified?: string;
  withdrawn?: string;
  affected?: OsvAffected[];
  severity?: { type: string; score: string }[];
  references?: { type: string; url: string }[];
  database_specific?: unknown;
}

function cmp(a: string, b: string): number {
  if (a === '0') return b === '0' ? 0 : -1;
  if (b === '0') return 1;
  return compare(a, b);
}

export interface AffectedMatch {
  affected: boolean;
  /** The lowest fixed version above the package's version, in a range that affects it. */
  fixed?: string;
}

export function affects(record: OsvRecord, key: string, version: string): AffectedMatch {
  if (record.withdrawn) return { affected: false };
  const fixes: string[] = [];
  let affected = false;
  for (const a of record.affected ?? []) {
    if ((a.package?.ecosystem ?? '').split(':')[0] !== 'PyPI' || normaliseName(a.package?.name ?? '') !== key) continue;
    if ((a.versions ?? []).some((v) => v === version || (valid(v) && valid(version) && eq(v, version)))) affected = true;
    if (!valid(version)) continue;
    for (const range of a.ranges ?? []) {
      if (range.type !== 'ECOSYSTEM') continue;
      const events = (range.events ?? [])
        .map((e) => ({ e, v: e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? '' }))
        .filter(({ v }) => v === '0' || valid(v))
        .sort((x, y) => cmp(x.v, y.v));
      let inRange = false;
      for (const { e } of events) {
        if (e.introduced !== undefined && cmp(version, e.introduced) >= 0) inRange = true;
        else if (e.fixed !== undefined && cmp(version, e.fixed) >= 0) inRange = false;
        else if (e.last_affected !== undefined && cmp(version, e.last_affected) > 0) inRange = false;
      }
      if (inRange) {
        affected = true;
        const next = events.find(({ e, v }) => e.fixed !== undefined && cmp(v, version) > 0);
        if (next) fixes.push(next.v);
      }
    }
  }
  fixes.sort(cmp);
  return { affected, fixed: affected ? fixes[0] : undefined };
}
