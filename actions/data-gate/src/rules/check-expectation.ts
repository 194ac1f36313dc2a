// Checks one expectation's name and keyword arguments against the catalog, for rules files and GX suites alike:
// unknown names and kwargs get close matches, values are checked with each kwarg's JSON Schema (ajv), regexes with RE2.
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { RE2JS } from 're2js';
import { didYouMean } from './close-matches.js';
import { describeSchema, showValue } from './describe-schema.js';
import { EXPECTATIONS, findExpectation, kwargsOf, MAP_KWARGS } from './expectation-catalog.js';
import type { ExpectationSpec, JsonSchema } from './expectation-catalog.js';
import type { PathSegment } from './yaml-source-map.js';

/** Throws the user's error for a problem at `path` (relative to the kwargs; [] for the rule itself). */
export type ReportProblem = (problem: string, path?: readonly PathSegment[]) => never;

const ALL_NAMES = EXPECTATIONS.map((spec) => spec.type);
const MAP_ONLY = new Set(MAP_KWARGS.map((kwarg) => kwarg.name));

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
const validators = new Map<string, ValidateFunction>();

function validatorFor(spec: ExpectationSpec): ValidateFunction {
  let validate = validators.get(spec.type);
  if (!validate) {
    const properties = Object.fromEntries(kwargsOf(spec).map((kwarg) => [kwarg.name, kwarg.schema]));
    validate = ajv.compile({ type: 'object', properties });
    validators.set(spec.type, validate);
  }
  return validate;
}

/** The catalog entry for a name as written (with or without `expect_`); an unknown name is reported with close matches. */
export function resolveExpectation(name: unknown, report: ReportProblem): ExpectationSpec {
  if (typeof name !== 'string' || name.trim() === '') report(`the expectation name must be a non-empty string, got ${showValue(name)}`);
  const spec = findExpectation(name.trim());
  if (!spec) {
    const full = name.startsWith('expect_') ? name : `expect_${name}`;
    report(`unknown expectation '${name}'.${didYouMean(full, ALL_NAMES)} See action-docs/data-gate-expectations.md for the list.`);
  }
  return spec;
}

/** The JSON pointer of an ajv error as path segments (array indices as numbers). */
function segments(instancePath: string): PathSegment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let value = root;
  for (const segment of path) value = (value as Record<PathSegment, unknown> | undefined)?.[segment];
  return value;
}

function pathText(path: readonly PathSegment[]): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}

/**
 * The error to show: the deepest failing value (the user's most specific mistake); among its errors, the outermost
 * schema (an anyOf says "a number or an ISO date string" where its branches only say "a number").
 */
function mainError(errors: ErrorObject[]): ErrorObject {
  const depth = (error: ErrorObject) => segments(error.instancePath).length;
  return [...errors].sort((a, b) => depth(b) - depth(a) || a.schemaPath.length - b.schemaPath.length)[0];
}

/** RE2 rejects what could hang the runner (backreferences, lookaround); say so at the rule, before reading data. */
function checkRegex(pattern: unknown, path: readonly PathSegment[], report: ReportProblem): void {
  if (typeof pattern !== 'string') return;
  try {
    RE2JS.compile(pattern);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    report(`'${pathText(path)}' is not a valid RE2 regular expression (${reason}); RE2 has no backreferences or lookaround`, path);
  }
}

function isEvaluationParameter(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && '$PARAMETER' in value;
}

/**
 * Checks `kwargs` for `spec` and returns them as the rule will use them (a null `row_condition` and any
 * `condition_parser` dropped). Every problem goes through `report`, which throws.
 */
/**
 * Keyword arguments older GX suites carry that change nothing here, accepted (and left out) so such a suite moves
 * over unchanged: batch_id names GX's batch; parse_strings_as_datetimes and allow_cross_type_comparisons were
 * deprecated in GX 0.13+, and data-gate compares a datetime column's values as dates anyway.
 */
const LEGACY_GX_KWARGS = new Set(['batch_id', 'parse_strings_as_datetimes', 'allow_cross_type_comparisons']);

export function checkKwargs(spec: ExpectationSpec, kwargs: Record<string, unknown>, report: ReportProblem): Record<string, unknown> {
  const accepted = kwargsOf(spec);
  const names = accepted.map((kwarg) => kwarg.name);
  const checked: Record<string, unknown> = {};
  const rowCondition = kwargs.row_condition;
  if (rowCondition !== undefined && rowCondition !== null && rowCondition !== '')
    report("'row_condition' is not supported: data-gate checks every row. Split the data or write the condition into the rule instead", ['row_condition']);
  for (const [name, value] of Object.entries(kwargs)) {
    if (name === 'row_condition' || name === 'condition_parser' || LEGACY_GX_KWARGS.has(name)) continue;
    if (!names.includes(name)) {
      if (MAP_ONLY.has(name)) report(`'${name}' only applies to row-by-row expectations; ${spec.type} is a ${spec.kind} expectation`, [name]);
      report(`'${name}' is not a keyword argument of ${spec.type}.${didYouMean(name, names)} It takes: ${names.join(', ')}`, [name]);
    }
    if (isEvaluationParameter(value)) report(`'${name}' uses a GX evaluation parameter ($PARAMETER), which is not supported: write the value itself`, [name]);
    checked[name] = value;
  }
  for (const kwarg of spec.kwargs)
    if (kwarg.required && checked[kwarg.name] === undefined) report(`'${kwarg.name}' is required: ${describeSchema(kwarg.schema)}`);
  const validate = validatorFor(spec);
  if (!validate(checked) && validate.errors) {
    const error = mainError(validate.errors);
    const path = segments(error.instancePath);
    const schema = (error.parentSchema ?? {}) as JsonSchema;
    const expected = error.keyword === 'additionalProperties' ? `${describeSchema(schema)} (unexpected key '${String(error.params.additionalProperty)}')` : error.keyword === 'required' ? `${describeSchema(schema)} (missing '${String(error.params.missingProperty)}')` : describeSchema(schema);
    report(`'${pathText(path)}' must be ${expected}, got ${showValue(valueAt(checked, path))}`, path);
  }
  for (const group of spec.requireOneOf ?? [])
    if (group.every((name) => checked[name] === undefined || checked[name] === null))
      report(`at least one of ${group.map((name) => `'${name}'`).join(' or ')} must be given`);
  checkSemantics(spec, checked, report);
  return checked;
}

/** Mistakes a schema cannot see: reversed bounds, mismatched list lengths, regexes RE2 rejects. */
function checkSemantics(spec: ExpectationSpec, kwargs: Record<string, unknown>, report: ReportProblem): void {
  const { min_value: min, max_value: max } = kwargs;
  if (typeof min === 'number' && typeof max === 'number' && min > max) report(`'min_value' (${min}) is greater than 'max_value' (${max})`, ['min_value']);
  if (typeof min === 'string' && typeof max === 'string' && Date.parse(min) > Date.parse(max)) report(`'min_value' (${min}) is after 'max_value' (${max})`, ['min_value']);
  checkRegex(kwargs.regex, ['regex'], report);
  if (Array.isArray(kwargs.regex_list)) kwargs.regex_list.forEach((pattern, i) => checkRegex(pattern, ['regex_list', i], report));
  const ranges = kwargs.quantile_ranges as { quantiles?: unknown[]; value_ranges?: unknown[] } | undefined;
  if (ranges?.quantiles && ranges.value_ranges && ranges.quantiles.length !== ranges.value_ranges.length)
    report(`'quantile_ranges' has ${ranges.quantiles.length} quantiles but ${ranges.value_ranges.length} value_ranges; give one [min, max] per quantile`, ['quantile_ranges']);
  const partition = kwargs.partition_object as { values?: unknown[]; bins?: unknown[]; weights?: unknown[] } | undefined;
  if (partition?.weights) {
    const expected = partition.bins ? partition.bins.length - 1 : partition.values?.length;
    if (expected !== undefined && partition.weights.length !== expected)
      report(`'partition_object' has ${partition.weights.length} weights but ${partition.bins ? `${partition.bins.length} bin edges (needs one weight per bin)` : `${expected} values`}`, ['partition_object']);
  }
  if (spec.type === 'expect_column_max_timestamp_to_be_recent' && typeof kwargs.now === 'string' && Number.isNaN(Date.parse(kwargs.now)))
    report(`'now' must be an ISO date, got ${showValue(kwargs.now)}`, ['now']);
}
