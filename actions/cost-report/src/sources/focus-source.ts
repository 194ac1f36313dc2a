// Cloud billing exports in the FinOps FOCUS format (1.0 to 1.2; CSV or Parquet, gzip too), streamed through the
// shared column-batch readers. Costs are read as text and parsed straight to exact integers; BilledCost or
// EffectiveCost is summed as FOCUS defines it (EffectiveCost already amortises commitment purchases, whose
// Purchase rows then carry EffectiveCost 0, so nothing is counted twice); correction rows (ChargeClass
// 'Correction') count on the charge period they correct.
import { DataError, UserError } from '#shared/errors.js';
import { datasetColumnNames, openDataset, type RecordBatch, type Utf8Column } from '#shared/data/index.js';
import { fromPico, parseAmountBytes, parseAmountText, parsed, toPico } from '../money/money.js';
import type { CostBatch, CostSource, LineField } from './cost-batch.js';
import type { CurrencyPolicy } from './currency.js';

export type CostBasis = 'billed' | 'effective';

/** Optional FOCUS columns and the rule fields they feed. */
const FIELD_COLUMNS: [LineField, string[]][] = [
  ['service', ['ServiceName']],
  ['service-category', ['ServiceCategory']],
  ['account', ['SubAccountId']],
  ['account-name', ['SubAccountName']],
  ['resource', ['ResourceId']],
  ['region', ['RegionId']],
  ['provider', ['ProviderName', 'ServiceProviderName']],
  ['charge-category', ['ChargeCategory']],
];

export interface FocusSourceOptions {
  files: string[];
  basis: CostBasis;
  currency: CurrencyPolicy;
  batchRows: number;
  /** The fields attribution reads (the columns of the others are not read at all), and whether it reads tags. */
  fields: ReadonlySet<LineField>;
  tags: boolean;
}

export async function focusSource(options: FocusSourceOptions): Promise<CostSource> {
  const label = "input 'focus-files'";
  const costColumn = options.basis === 'billed' ? 'BilledCost' : 'EffectiveCost';
  const mandatory = ['ChargePeriodStart', 'BillingCurrency', 'ServiceName', costColumn];
  const columnsOf = await datasetColumnNames(options.files, { label });
  const missing = mandatory.filter((c) => !columnsOf.includes(c));
  if (missing.length > 0) {
    const file = options.files[0];
    throw new DataError(
      `missing mandatory FOCUS column(s) ${missing.map((c) => `'${c}'`).join(', ')} (cost-basis '${options.basis}' reads ${costColumn}). Found: ${columnsOf.slice(0, 12).join(', ')}${columnsOf.length > 12 ? ', ...' : ''}`,
      { file, line: 1 },
    );
  }
  const fieldColumns = FIELD_COLUMNS.filter(([field]) => options.fields.has(field))
    .map(([field, names]) => [field, names.find((n) => columnsOf.includes(n))] as const)
    .filter((fc): fc is readonly [LineField, string] => fc[1] !== undefined);
  const optional = [...(options.tags ? ['Tags'] : []), 'ChargeClass'].filter((c) => columnsOf.includes(c));
  const columns = [...new Set(['ChargePeriodStart', 'BillingCurrency', costColumn, ...fieldColumns.map((fc) => fc[1]), ...optional])];
  const columnTypes: Record<string, 'datetime' | 'categorical' | 'text'> = {};
  for (const c of columns) columnTypes[c] = c === 'ChargePeriodStart' ? 'datetime' : c === costColumn ? 'text' : 'categorical';
  const dataset = await openDataset(options.files, { label, columns, columnTypes, textAsUtf8: true, batchRows: options.batchRows });
  const at = (name: string) => columns.indexOf(name);
  const notes: string[] = [];

  return {
    name: 'focus',
    notes,
    async scan(visit) {
      let corrections = 0;
      for await (const batch of dataset.batches()) {
        const cost = costBatch(batch, at, costColumn, fieldColumns, options.currency, options.fields.has('source'));
        if (optional.includes('ChargeClass')) {
          const cls = batch.columns[at('ChargeClass')];
          if (cls.kind === 'string') for (const v of cls.values) if (v === 'Correction') corrections++;
        }
        visit(cost);
      }
      notes.length = 0;
      notes.push(`FOCUS ${costColumn} of ${dataset.files.length} file(s)`);
      if (corrections > 0)
        notes.push(`${corrections} correction line(s) (ChargeClass 'Correction') counted on the charge period they correct`);
    },
  };
}

function costBatch(
  batch: RecordBatch,
  at: (name: string) => number,
  costColumn: string,
  fieldColumns: readonly (readonly [LineField, string])[],
  currency: CurrencyPolicy,
  readSource: boolean,
): CostBatch {
  const n = batch.rowCount;
  const location = (row: number) => ({ file: batch.file, line: batch.lines[row] });
  const start = batch.columns[at('ChargePeriodStart')];
  const cost = batch.columns[at(costColumn)] as Utf8Column;
  const currencies = batch.columns[at('BillingCurrency')];
  if (start.kind !== 'number' || currencies.kind !== 'string' || cost.kind !== 'utf8')
    throw new Error('FOCUS columns were not read with their types');
  const micro = new Float64Array(n);
  const frac = new Float64Array(n);
  const { data, offsets, missing } = cost;
  let lastCurrency: string | null = null;
  for (let row = 0; row < n; row++) {
    if (start.missing[row])
      throw new DataError('ChargePeriodStart is empty; FOCUS requires it on every row', { ...location(row), column: 'ChargePeriodStart' });
    if (missing[row])
      throw new DataError(`${costColumn} is empty; FOCUS requires a cost on every row`, { ...location(row), column: costColumn });
    const s = offsets[row];
    const e = offsets[row + 1];
    if (parseAmountBytes(data, s, e)) {
      micro[row] = parsed.micro;
      frac[row] = parsed.frac;
    } else {
      const text = Buffer.from(data.buffer, data.byteOffset + s, e - s).toString('utf8');
      const pico = parseAmountText(text);
      if (pico === undefined)
        throw new DataError(`expected a decimal cost, found '${text.slice(0, 60)}'`, { ...location(row), column: costColumn });
      [micro[row], frac[row]] = fromPico(pico);
    }
    const cur = currencies.values[row];
    if (cur !== lastCurrency) {
      if (cur === null)
        throw new DataError('BillingCurrency is empty; FOCUS requires it on every row', { ...location(row), column: 'BillingCurrency' });
      if (cur !== currency.currency) {
        // Another currency: convert this line exactly; the next line checks again.
        [micro[row], frac[row]] = fromPico(currency.convert(toPico(micro[row], frac[row]), cur, location(row)));
        continue;
      }
      lastCurrency = cur;
    }
  }
  const fields: CostBatch['fields'] = {};
  for (const [field, column] of fieldColumns) {
    const values = batch.columns[at(column)];
    if (values.kind === 'string') fields[field] = values.values;
  }
  if (readSource) fields.source = new Array<string>(n).fill('focus');
  const tags = at('Tags') >= 0 ? batch.columns[at('Tags')] : undefined;
  if (tags && tags.kind !== 'string') throw new UserError('FOCUS Tags were not read as text');
  return { rowCount: n, time: start.values, micro, frac, fields, tags: tags?.values, location };
}
