// Test helper: checks a suggested rule directly against the profiled data with Great Expectations' semantics
// (nulls excluded from map expectations except not_null; `mostly` is a share of the non-null values), so tests can
// prove that data passes its own suggestions before the data-gate engine exists.
import { parseIsoDateText } from '#shared/data/value-parsers.js';
import type { Dataset } from '#shared/data/index.js';
import type { SuggestedRule } from '../../../../actions/data-gate/src/suggest/suggest-rules.js';
import { readColumns, type Cell } from '../../data/temp-files.js';

export interface ProfiledData {
  dataset: Dataset;
  rows: number;
  columns: Record<string, Cell[]>;
}

export async function readProfiledData(dataset: Dataset): Promise<ProfiledData> {
  const { columns } = await readColumns(dataset);
  const rows = Object.values(columns)[0]?.length ?? 0;
  return { dataset, rows, columns };
}

/** Why the rule fails on the data, or undefined when it holds. */
export function ruleFailure(rule: SuggestedRule, data: ProfiledData): string | undefined {
  const k = rule.kwargs;
  const names = data.dataset.schema.map((c) => c.name);
  if (rule.expectation === 'expect_table_row_count_to_be_between') {
    return within(data.rows, k.min_value as number, k.max_value as number) ? undefined : `${data.rows} rows`;
  }
  if (rule.expectation === 'expect_table_columns_to_match_ordered_list') {
    return JSON.stringify(k.column_list) === JSON.stringify(names) ? undefined : `columns ${names.join(',')}`;
  }
  const column = k.column as string;
  const type = data.dataset.schema.find((c) => c.name === column)?.type;
  const cells = data.columns[column];
  if (!cells || !type) return `no column '${column}'`;
  const present = cells.filter((v) => v !== null);
  const mostly = (k.mostly as number | undefined) ?? 1;
  if (rule.expectation === 'expect_column_values_to_not_be_null') {
    return present.length / cells.length >= mostly ? undefined : `${present.length} of ${cells.length} present`;
  }
  let passes: (value: number | string) => boolean;
  switch (rule.expectation) {
    case 'expect_column_values_to_be_of_type':
      passes = (v) => fitsType(k.type_ as string, type, v);
      break;
    case 'expect_column_values_to_be_in_type_list':
      passes = (v) => (k.type_list as string[]).some((t) => fitsType(t, type, v));
      break;
    case 'expect_column_values_to_be_unique': {
      const counts = new Map<number | string, number>();
      for (const v of present) counts.set(v as number | string, (counts.get(v as number | string) ?? 0) + 1);
      passes = (v) => counts.get(v) === 1;
      break;
    }
    case 'expect_column_values_to_be_in_set': {
      const set = k.value_set as (string | number | boolean)[];
      passes = (v) => set.includes(type === 'boolean' ? v === 1 : v);
      break;
    }
    case 'expect_column_values_to_be_between': {
      const bound = (b: unknown) => (typeof b === 'string' ? parseIsoDateText(b) : (b as number));
      passes = (v) => within(v as number, bound(k.min_value), bound(k.max_value));
      break;
    }
    case 'expect_column_value_lengths_to_be_between':
      passes = (v) => within([...(v as string)].length, k.min_value as number, k.max_value as number);
      break;
    default:
      return `the test cannot check ${rule.expectation}`;
  }
  const unexpected = present.filter((v) => !passes(v as number | string));
  const share = present.length === 0 ? 1 : 1 - unexpected.length / present.length;
  return share >= mostly ? undefined : `unexpected ${JSON.stringify(unexpected.slice(0, 5))}`;
}

function within(value: number, min: number, max: number): boolean {
  return !Number.isNaN(value) && value >= min && value <= max;
}

/** What each pandas dtype name means for a value data-gate read as `type`. */
function fitsType(typeName: string, type: string, value: number | string): boolean {
  switch (typeName) {
    case 'int64':
    case 'Int64':
      return type === 'numerical' && Number.isInteger(value);
    case 'float64':
      return type === 'numerical';
    case 'bool':
    case 'boolean':
      return type === 'boolean';
    case 'datetime64[ns]':
      return type === 'datetime';
    case 'str':
      // A text file's dates are strings to pandas (read_csv without parse_dates).
      return typeof value === 'string' || type === 'datetime';
    default:
      return false;
  }
}
