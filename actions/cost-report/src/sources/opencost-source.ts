// Kubernetes costs from OpenCost's allocation API (a saved JSON response, or the live /allocation endpoint): one
// cost line per allocation and step (day), labels as tags. Idle cost (__idle__ allocations) is either kept as its
// own lines (namespace '__idle__', which rules can attribute) or shared, exactly, among the same cluster's
// allocations of the same day in proportion to their cost.
import { readInputFile } from '../input-files.js';
import { DataError, UserError } from '#shared/errors.js';
import { parseAmountText, splitPico } from '../money/money.js';
import { batchOfLines, type CostLine, type CostSource } from './cost-batch.js';
import type { CurrencyPolicy } from './currency.js';

export type IdleMode = 'share' | 'include';

interface Allocation {
  name?: string;
  properties?: {
    cluster?: string;
    namespace?: string;
    controller?: string;
    controllerKind?: string;
    pod?: string;
    labels?: Record<string, string>;
  };
  window?: { start?: string };
  start?: string;
  totalCost?: number;
}

export interface OpenCostOptions {
  file?: string;
  url?: URL;
  idle: IdleMode;
  currency: CurrencyPolicy;
  /** OpenCost reports in its configured currency, USD by default. */
  opencostCurrency: string;
  window: { start: number; end: number };
  fetchJson: (url: URL) => Promise<unknown>;
}

export async function opencostSource(options: OpenCostOptions): Promise<CostSource> {
  const where = options.file ?? options.url?.origin ?? 'opencost';
  let body: unknown;
  if (options.file) {
    const text = await readInputFile(options.file, 'opencost-file');
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new DataError(`not an OpenCost allocation response (JSON does not parse: ${(error as Error).message})`, {
        file: options.file,
        line: 1,
      });
    }
  } else {
    const url = new URL(options.url!.href);
    const set = (k: string, v: string) => url.searchParams.has(k) || url.searchParams.set(k, v);
    set(
      'window',
      `${new Date(options.window.start).toISOString().replace('.000', '')},${new Date(options.window.end).toISOString().replace('.000', '')}`,
    );
    set('step', '1d');
    set('accumulate', 'false');
    set('includeIdle', 'true');
    body = await options.fetchJson(url);
  }
  const lines = allocationLines(body, where, options);
  return {
    name: 'opencost',
    notes: [
      `OpenCost: ${lines.length} allocation line(s), idle cost ${options.idle === 'share' ? 'shared within each cluster and day' : 'kept as namespace __idle__'}`,
    ],
    scan: async (visit) => visit(batchOfLines(lines)),
  };
}

export function allocationLines(
  body: unknown,
  file: string,
  options: Pick<OpenCostOptions, 'idle' | 'currency' | 'opencostCurrency'>,
): CostLine[] {
  const data = (body as { data?: unknown })?.data;
  if (!Array.isArray(data))
    throw new DataError('not an OpenCost allocation response: expected { "data": [ { <name>: <allocation> }, ... ] }', { file, line: 1 });
  const lines: CostLine[] = [];
  const idle: CostLine[] = [];
  data.forEach((step, stepIndex) => {
    if (step === null) return;
    if (typeof step !== 'object') throw new DataError(`data[${stepIndex}] is not a map of allocations`, { file, line: 1 });
    for (const [key, raw] of Object.entries(step as Record<string, Allocation>)) {
      const name = raw?.name ?? key;
      const startText = raw?.window?.start ?? raw?.start;
      const time = startText ? Date.parse(startText) : NaN;
      if (!Number.isFinite(time))
        throw new DataError(`allocation '${name}' (data[${stepIndex}]) has no valid window.start: '${String(startText)}'`, {
          file,
          line: 1,
        });
      const cost = raw?.totalCost;
      const pico = typeof cost === 'number' && Number.isFinite(cost) ? parseAmountText(String(cost)) : undefined;
      if (pico === undefined)
        throw new DataError(`allocation '${name}' (data[${stepIndex}]) has no numeric totalCost: '${String(cost)}'`, { file, line: 1 });
      const p = raw.properties ?? {};
      const isIdle = name.endsWith('__idle__');
      const cluster = p.cluster ?? (isIdle && name.includes('/') ? name.split('/')[0] : 'default');
      const line: CostLine = {
        time,
        pico: options.currency.convert(pico, options.opencostCurrency, { file }),
        fields: {
          source: 'opencost',
          service: 'Kubernetes',
          cluster,
          namespace: isIdle ? '__idle__' : (p.namespace ?? null),
          controller: p.controller ?? null,
          resource: `${cluster}/${isIdle ? '__idle__' : `${p.namespace ?? ''}/${p.pod ?? p.controller ?? name}`}`,
        },
        tags: p.labels,
        location: { file },
      };
      (isIdle ? idle : lines).push(line);
    }
  });
  if (options.idle === 'include') return lines.concat(idle);
  for (const idleLine of idle) {
    const peers = lines.filter((l) => l.fields.cluster === idleLine.fields.cluster && l.time === idleLine.time && l.pico > 0n);
    if (peers.length === 0) {
      lines.push(idleLine);
      continue;
    }
    splitPico(
      idleLine.pico,
      peers.map((l) => l.pico),
    ).forEach((share, i) => (peers[i].pico += share));
  }
  if (lines.length === 0 && data.length > 0) throw new UserError(`${file}: the OpenCost response holds no allocations.`);
  return lines;
}
