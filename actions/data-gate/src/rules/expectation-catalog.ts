// Every expectation data-gate knows, with its kind and keyword arguments. The data lives in expectation-catalog.json
// so that scripts/action-docs.mjs can render the docs page and rules.schema.json from the same source.
import catalog from './expectation-catalog.json' with { type: 'json' };

/** How an expectation is evaluated: on the table, row by row (one column, a pair, several), or on a column summary. */
export type ExpectationKind = 'table' | 'column-map' | 'column-pair-map' | 'multicolumn-map' | 'column-aggregate';

export const EXPECTATION_KINDS: readonly ExpectationKind[] = [
  'table',
  'column-map',
  'column-pair-map',
  'multicolumn-map',
  'column-aggregate',
];

/** A JSON Schema fragment (draft-07) for one keyword argument's value. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface KwargSpec {
  name: string;
  schema: JsonSchema;
  required: boolean;
  /** GX's default when the kwarg is left out (absent where there is none). */
  default?: unknown;
  description: string;
}

export interface ExpectationSpec {
  /** The full GX name, e.g. 'expect_column_values_to_be_between'. */
  type: string;
  kind: ExpectationKind;
  description: string;
  /** The expectation's own kwargs (the common ones and, for map kinds, `mostly` are in COMMON_KWARGS / MAP_KWARGS). */
  kwargs: readonly KwargSpec[];
  /** Groups of kwargs of which at least one must be given a non-null value, e.g. [['min_value', 'max_value']]. */
  requireOneOf?: readonly (readonly string[])[];
  /** One rule as it would appear in a rules file. */
  example: Readonly<Record<string, unknown>>;
}

interface Catalog {
  commonKwargs: KwargSpec[];
  mapKwargs: KwargSpec[];
  expectations: ExpectationSpec[];
}

const data = catalog as Catalog;

/** Kwargs every expectation accepts (GX's result_format, catch_exceptions, include_config, meta). */
export const COMMON_KWARGS: readonly KwargSpec[] = data.commonKwargs;
/** Kwargs only row-by-row (map) expectations accept: mostly, nulls_count_as_unexpected. */
export const MAP_KWARGS: readonly KwargSpec[] = data.mapKwargs;
export const EXPECTATIONS: readonly ExpectationSpec[] = data.expectations;

const byType = new Map(EXPECTATIONS.map((spec) => [spec.type, spec]));

/** The catalog entry for a full GX name, or one written without the `expect_` prefix; undefined when unknown. */
export function findExpectation(type: string): ExpectationSpec | undefined {
  return byType.get(type) ?? byType.get(`expect_${type}`);
}

export function isMapKind(kind: ExpectationKind): boolean {
  return kind === 'column-map' || kind === 'column-pair-map' || kind === 'multicolumn-map';
}

/** Every kwarg an expectation accepts, its own first, then the map and common ones. */
export function kwargsOf(spec: ExpectationSpec): readonly KwargSpec[] {
  return [...spec.kwargs, ...(isMapKind(spec.kind) ? MAP_KWARGS : []), ...COMMON_KWARGS];
}
