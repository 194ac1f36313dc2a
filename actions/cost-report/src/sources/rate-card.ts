// The rate card: the report currency, exchange rates, and what a minute of a GitHub Actions runner costs. Defaults
// are GitHub's published per-minute prices from January 2026 (Linux 2-core $0.006, Windows $0.010, macOS $0.062,
// larger and GPU runners by size); self-hosted runners cost what the user says, per hour, by label.
import { readInputFile } from '../input-files.js';
import { load as loadYaml } from 'js-yaml';
import { DataError } from '#shared/errors.js';
import { parseAmountText, parseRate, type DecimalRate } from '../money/money.js';

export type RunnerOs = 'linux' | 'windows' | 'macos';

export interface RateCard {
  currency?: string;
  exchangeRates: Map<string, DecimalRate>;
  /** Pico units per minute. */
  hosted: Record<RunnerOs, bigint>;
  /** Larger runners by core count, per OS, pico per minute. */
  hostedBySize: Record<RunnerOs, Record<number, bigint>>;
  /** GPU runners (a label containing 'gpu'), per OS, pico per minute. */
  hostedGpu: Record<RunnerOs, bigint>;
  /** Exact labels (custom larger-runner names), pico per minute. */
  hostedLabels: Map<string, bigint>;
  /** Self-hosted runners by label, pico per hour; 'default' for unlisted ones. */
  selfHostedHourly: Map<string, bigint>;
}

const usd = (text: string) => parseAmountText(text)!;
const table = (rates: Record<number, string>) => Object.fromEntries(Object.entries(rates).map(([k, v]) => [Number(k), usd(v)]));

export function defaultRateCard(): RateCard {
  return {
    currency: undefined,
    exchangeRates: new Map(),
    hosted: { linux: usd('0.006'), windows: usd('0.010'), macos: usd('0.062') },
    hostedBySize: {
      linux: table({ 1: '0.002', 2: '0.006', 4: '0.012', 8: '0.022', 16: '0.042', 32: '0.082', 64: '0.162', 96: '0.252' }),
      windows: table({ 2: '0.010', 4: '0.022', 8: '0.042', 16: '0.082', 32: '0.162', 64: '0.322', 96: '0.552' }),
      macos: table({ 3: '0.062', 4: '0.062', 5: '0.102', 6: '0.102', 12: '0.077' }),
    },
    hostedGpu: { linux: usd('0.052'), windows: usd('0.102'), macos: usd('0.102') },
    hostedLabels: new Map(),
    selfHostedHourly: new Map([['default', 0n]]),
  };
}

export async function loadRateCard(path: string | undefined): Promise<RateCard> {
  const card = defaultRateCard();
  if (!path) return card;
  const text = await readInputFile(path, 'rates');
  let doc: Record<string, unknown>;
  try {
    doc = (loadYaml(text) ?? {}) as Record<string, unknown>;
  } catch (error) {
    const mark = (error as { mark?: { line: number } }).mark;
    throw new DataError(`not valid YAML: ${(error as Error).message.split('\n')[0]}`, { file: path, line: (mark?.line ?? 0) + 1 });
  }
  const where = (key: string) => ({ file: path, line: Math.max(1, text.split('\n').findIndex((l) => l.includes(key)) + 1) });
  const amount = (value: unknown, key: string) => {
    const pico = parseAmountText(String(value));
    if (pico === undefined || pico < 0n) throw new DataError(`'${key}' is '${String(value)}'. Expected an amount >= 0`, where(key));
    return pico;
  };
  const map = (value: unknown, key: string): Record<string, unknown> => {
    if (value === undefined) return {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DataError(`'${key}' must be a mapping`, where(key));
    return value as Record<string, unknown>;
  };
  if (doc.currency !== undefined) {
    if (!/^[A-Z]{3}$/.test(String(doc.currency)))
      throw new DataError(`currency '${String(doc.currency)}'. Expected an ISO 4217 code such as USD`, where('currency'));
    card.currency = String(doc.currency);
  }
  for (const [code, value] of Object.entries(map(doc['exchange-rates'], 'exchange-rates'))) {
    const rate = parseRate(String(value));
    if (!rate) throw new DataError(`exchange rate of ${code} is '${String(value)}'. Expected a number > 0`, where(code));
    card.exchangeRates.set(code, rate);
  }
  const hosted = map(doc['github-hosted'], 'github-hosted');
  for (const os of ['linux', 'windows', 'macos'] as const) if (hosted[os] !== undefined) card.hosted[os] = amount(hosted[os], os);
  for (const [label, value] of Object.entries(map(hosted.labels, 'labels'))) card.hostedLabels.set(label, amount(value, label));
  for (const [label, value] of Object.entries(map(doc['self-hosted'], 'self-hosted')))
    card.selfHostedHourly.set(label, amount(value, label));
  return card;
}

export interface RunnerPrice {
  kind: 'github-hosted' | 'self-hosted';
  /** What the price was chosen by, e.g. 'linux', 'linux 8-core', 'label gpu'. */
  basis: string;
  /** Pico units per minute. */
  perMinute: bigint;
}

/** The price of a minute on a runner with these labels. */
export function priceRunner(card: RateCard, labels: string[], runnerGroup?: string | null): RunnerPrice {
  const lower = labels.map((l) => l.toLowerCase());
  const selfHosted =
    lower.includes('self-hosted') ||
    (runnerGroup !== undefined &&
      runnerGroup !== null &&
      runnerGroup !== 'GitHub Actions' &&
      runnerGroup !== '' &&
      !lower.some(isHostedImage));
  if (selfHosted) {
    for (const label of labels) {
      const hourly = card.selfHostedHourly.get(label);
      if (hourly !== undefined && label !== 'default') return { kind: 'self-hosted', basis: `label ${label}`, perMinute: hourly / 60n };
    }
    return { kind: 'self-hosted', basis: 'default', perMinute: (card.selfHostedHourly.get('default') ?? 0n) / 60n };
  }
  for (const label of labels) {
    const rate = card.hostedLabels.get(label);
    if (rate !== undefined) return { kind: 'github-hosted', basis: `label ${label}`, perMinute: rate };
  }
  const os: RunnerOs = lower.some((l) => l.startsWith('windows'))
    ? 'windows'
    : lower.some((l) => l.startsWith('macos'))
      ? 'macos'
      : 'linux';
  if (lower.some((l) => l.includes('gpu'))) return { kind: 'github-hosted', basis: `${os} GPU`, perMinute: card.hostedGpu[os] };
  for (const l of lower) {
    const m = /(\d+)[-_]?(?:cores?|vcpus?)\b/.exec(l);
    const rate = m ? card.hostedBySize[os][Number(m[1])] : undefined;
    if (rate !== undefined) return { kind: 'github-hosted', basis: `${os} ${m![1]}-core`, perMinute: rate };
  }
  return { kind: 'github-hosted', basis: os, perMinute: card.hosted[os] };
}

function isHostedImage(label: string): boolean {
  return /^(ubuntu|windows|macos)-(latest|\d)/.test(label);
}
