// The one shape every cost source (FOCUS exports, GitHub Actions runs, OpenCost allocations) hands to attribution:
// columnar batches of cost lines with exact amounts and the text fields rules can match on.
import type { FileLocation } from '#shared/errors.js';

export const LINE_FIELDS = [
  'service',
  'service-category',
  'account',
  'account-name',
  'resource',
  'region',
  'provider',
  'charge-category',
  'workflow',
  'runner',
  'repository',
  'namespace',
  'cluster',
  'controller',
  'source',
] as const;
export type LineField = (typeof LINE_FIELDS)[number];

export interface CostBatch {
  rowCount: number;
  /** Start of each line's charge period, epoch milliseconds (UTC). */
  time: Float64Array;
  /** Exact amount of each line in the report's currency: whole 10^-6 units and the remaining 10^-12 units. */
  micro: Float64Array;
  frac: Float64Array;
  /** Text of the fields rules may match on; a field absent here is null on every line. 'runner': labels, one a line. */
  fields: Partial<Record<LineField, ArrayLike<string | null>>>;
  /** Each line's tags (FOCUS Tags, Kubernetes labels) as JSON object text, or null. */
  tags?: ArrayLike<string | null>;
  /** Where a line is, for messages about it. */
  location(row: number): FileLocation | undefined;
}

export interface CostSource {
  /** 'focus', 'github-actions', 'opencost'. */
  name: string;
  /** Reads every line, batch by batch; may be called again (a second pass finds the drivers of anomalies). */
  scan(visit: (batch: CostBatch) => void): Promise<void>;
  /** Notes for the report (rows skipped, conversions made); filled by scan. */
  notes: string[];
}

/** A small in-memory batch, for the sources that are not streamed (API responses). */
export interface CostLine {
  time: number;
  pico: bigint;
  fields: Partial<Record<LineField, string | null>>;
  tags?: Record<string, string>;
  location?: FileLocation;
}

export function batchOfLines(lines: CostLine[]): CostBatch {
  const n = lines.length;
  const time = new Float64Array(n);
  const micro = new Float64Array(n);
  const frac = new Float64Array(n);
  const fields: Partial<Record<LineField, (string | null)[]>> = {};
  const tags: (string | null)[] = [];
  lines.forEach((line, i) => {
    time[i] = line.time;
    const whole = line.pico / 1_000_000n;
    micro[i] = Number(whole);
    frac[i] = Number(line.pico - whole * 1_000_000n);
    for (const [field, value] of Object.entries(line.fields) as [LineField, string | null][]) {
      (fields[field] ??= new Array(n).fill(null))[i] = value ?? null;
    }
    tags.push(line.tags ? JSON.stringify(line.tags) : null);
  });
  return { rowCount: n, time, micro, frac, fields, tags, location: (row) => lines[row].location };
}
