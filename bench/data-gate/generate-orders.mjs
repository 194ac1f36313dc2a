// Deterministic synthetic orders for the data-gate benchmark: an 8-column CSV (unique order ids, ~200k customers,
// money amounts, quantities, 30 countries, 5 statuses, ISO timestamps, emails), streamed to disk in chunks, with a
// small known number of planted violations (duplicate ids, nulls, negatives, bad emails, unknown levels).
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { mulberry32, normalSampler, timestampFormatter } from '../generate-data.mjs';

export const COLUMNS = ['order_id', 'customer_id', 'amount', 'quantity', 'country', 'status', 'created_at', 'email'];
export const COUNTRIES = [
  'US',
  'GB',
  'DE',
  'FR',
  'ES',
  'IT',
  'NL',
  'BE',
  'SE',
  'NO',
  'DK',
  'FI',
  'PL',
  'CZ',
  'AT',
  'CH',
  'IE',
  'PT',
  'GR',
  'HU',
  'RO',
  'BG',
  'CA',
  'MX',
  'BR',
  'AR',
  'JP',
  'KR',
  'AU',
  'NZ',
];
export const STATUSES = ['delivered', 'shipped', 'paid', 'pending', 'cancelled'];
const STATUS_WEIGHTS = [0.55, 0.2, 0.12, 0.08, 0.05];
export const CUSTOMERS = 200_000;
const SEED = 0x0dd5eed;
const START_MS = Date.UTC(2024, 0, 1);
/** One order every 6 s: 5M rows span 347 days of 2024. */
const STEP_MS = 6000;

/**
 * Where the violations are planted: row i gets one when i % every === at. Rows a rule would flag only by chance
 * (none: the clean values are drawn inside every rule's bounds) are not listed.
 */
export const PLANTED = {
  duplicateOrderId: { every: 1_000_003, at: 1_000_002, what: 'order_id repeats the id of the row 1000 above (both rows unexpected)' },
  nullCustomer: { every: 100_003, at: 50_000, what: 'customer_id empty' },
  nullAmount: { every: 100_019, at: 33, what: 'amount empty' },
  negativeAmount: { every: 250_007, at: 123, what: 'amount negative' },
  zeroQuantity: { every: 200_003, at: 77, what: 'quantity 0' },
  unknownCountry: { every: 333_331, at: 1000, what: "country 'XX'" },
  unknownStatus: { every: 500_009, at: 9, what: "status 'unknown'" },
  futureDate: { every: 1_000_033, at: 500, what: 'created_at in 2031' },
  malformedEmail: { every: 50_021, at: 17, what: "email without '@'" },
  longEmail: { every: 1_250_003, at: 4, what: 'email of 80 characters' },
};

const planted = (name, i) => i % PLANTED[name].every === PLANTED[name].at;

/** How many rows of `rows` carry each planted violation (for the README and a sanity check). */
export function plantedCounts(rows) {
  return Object.fromEntries(
    Object.entries(PLANTED).map(([name, p]) => [name, rows > p.at ? Math.floor((rows - 1 - p.at) / p.every) + 1 : 0]),
  );
}

function weightedSampler(labels, weights, random) {
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w) / total);
  return () => {
    const u = random();
    let k = 0;
    while (k < cumulative.length - 1 && u >= cumulative[k]) k++;
    return labels[k];
  };
}

const orderId = (i) => `ord-${String(i + 1).padStart(9, '0')}`;

/** Yields CSV text for rows [start, start + chunkRows) until `rows`; the header comes first. */
export function* orderLines(rows, chunkRows = 65536) {
  const random = mulberry32(SEED);
  const normal = normalSampler(random);
  // Countries Zipf-weighted, so that the most common one is clear.
  const country = weightedSampler(
    COUNTRIES,
    COUNTRIES.map((_, k) => 1 / (k + 1)),
    random,
  );
  const status = weightedSampler(STATUSES, STATUS_WEIGHTS, random);
  const ts = timestampFormatter();
  yield `${COLUMNS.join(',')}\n`;
  for (let start = 0; start < rows; start += chunkRows) {
    const n = Math.min(chunkRows, rows - start);
    const lines = new Array(n);
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const customerNumber = Math.floor(random() * CUSTOMERS);
      const customer = `cus-${String(customerNumber).padStart(6, '0')}`;
      const quantity = 1 + Math.floor(random() * 10);
      // Unit price at least 1, so that amount >= quantity on clean rows.
      let amount = Math.round((1 + Math.exp(2.5 + 0.9 * normal())) * quantity * 100) / 100;
      let email = `user${customerNumber}.${i % 97}@mail${customerNumber % 50}.example.com`;
      const id = planted('duplicateOrderId', i) ? orderId(i - 1000) : orderId(i);
      if (planted('negativeAmount', i)) amount = -amount;
      if (planted('malformedEmail', i)) email = email.replace('@', '.at.');
      if (planted('longEmail', i)) email = `${'x'.repeat(80 - '@mail.example.com'.length)}@mail.example.com`;
      const created = planted('futureDate', i) ? Date.UTC(2031, 5, 1) + i * 1000 : START_MS + i * STEP_MS;
      lines[k] =
        `${id},${planted('nullCustomer', i) ? '' : customer},${planted('nullAmount', i) ? '' : amount.toFixed(2)},` +
        `${planted('zeroQuantity', i) ? 0 : quantity},${planted('unknownCountry', i) ? 'XX' : country()},` +
        `${planted('unknownStatus', i) ? 'unknown' : status()},${ts(created)},${email}\n`;
    }
    yield lines.join('');
  }
}

/** Writes the CSV to `path` (via `path.partial`, renamed at the end, so an interrupted run leaves no torn file). */
export async function writeOrdersCsv(path, rows) {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const out = createWriteStream(partial, { highWaterMark: 4 << 20 });
  for (const text of orderLines(rows)) if (!out.write(text)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  await rename(partial, path);
}
