// Checks one expectation's name and keyword arguments against the catalog, for rules files and GX suites alike:
// unknown names and kwargs get close matches, values are checked with each kwarg's JSON Schema (ajv), regexes with RE2.
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { RE2JS } from 're2js';
import { didYouMean } from './close-matches.js';
import { describeSchema, showValue } from './describe-schema.js';
import { COMMON_KWARGS, EXPECTATIONS, findExpectation, kwargsOf, MAP_KWARGS } from './expectation-catalog.js';
import type { ExpectationSpec, JsonSchema } from './expectation-catalog.js';
import type { PathSegment } from './yaml-source-map.js';
import { parseRowCondition, RowConditionError, type ConditionParser, type RowCondition } from './row-condition.js';

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

/**
 * What ajv sees of a kwargs value: Python's json writes float('inf') and float('nan') as bare Infinity and NaN, and
 * YAML has .inf and .nan; GX takes them as floats. ajv's "integer" refuses a non-finite number, so they are shown to
 * it as the largest finite float of the same sign (NaN as 0): the type check passes and a minimum still applies.
 */
function schemaView(value: unknown): unknown {
  if (typeof value === 'number')
    return Number.isNaN(value) ? 0 : value === Infinity ? Number.MAX_VALUE : value === -Infinity ? -Number.MAX_VALUE : value;
  if (Array.isArray(value)) return value.map(schemaView);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, schemaView(v)]));
  return value;
}

/** A result_format given for a whole rules file: the same values a rule's own result_format takes. */
export function checkResultFormat(value: unknown, report: ReportProblem): void {
  const schema = COMMON_KWARGS.find((kwarg) => kwarg.name === 'result_format')!.schema;
  const validate = ajv.compile(schema);
  if (!validate(value)) report(`'result_format' must be ${describeSchema(schema)}, got ${showValue(value)}`, ['result_format']);
}

/** The row_condition of checked kwargs, parsed (GX's condition_parser decides the syntax); undefined when none. */
export function ruleCondition(kwargs: Record<string, unknown>, report: ReportProblem): RowCondition | undefined {
  const text = kwargs.row_condition;
  if (text === undefined || text === null || text === '') return undefined;
  if (typeof text !== 'string') return report(`'row_condition' must be a string, got ${showValue(text)}`, ['row_condition']);
  const given = kwargs.condition_parser;
  let parser: ConditionParser;
  if (given === undefined || given === null) parser = /^\s*[~(]*\s*col\(/.test(text) ? 'great_expectations' : 'pandas';
  else if (given === 'great_expectations' || given === 'great_expectations__experimental__') parser = 'great_expectations';
  else if (given === 'pandas' || given === 'python') parser = 'pandas';
  else
    return report(
      `'condition_parser' ${showValue(given)} is not supported: data-gate reads 'great_expectations' (col("x") > 5) and 'pandas' (x > 5) conditions`,
      ['condition_parser'],
    );
  try {
    return parseRowCondition(text, parser);
  } catch (error) {
    if (error instanceof RowConditionError)
      return report(`'row_condition' ${showValue(text)} (${parser} syntax) is not supported: ${error.message}`, ['row_condition']);
    throw error;
  }
}

function isEvaluationParameter(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && '$PARAMETER' in value;
}

/**
 * Keyword arguments older GX suites carry that change nothing here, accepted (and left out) so such a suite moves
 * over unchanged: batch_id names GX's batch; parse_strings_as_datetimes and allow_cross_type_comparisons were
 * deprecated in GX 0.13+, and data-gate compares a datetime column's values as dates anyway.
 */
const LEGACY_GX_KWARGS = new Set(['batch_id', 'parse_strings_as_datetimes', 'allow_cross_type_comparisons']);

/**
 * Checks `kwargs` for `spec` and returns them as the rule will use them (a null `row_condition` and
 * `condition_parser` dropped; see ruleCondition for the condition itself). Every problem goes through `report`,
 * which throws.
 */
export function checkKwargs(spec: ExpectationSpec, kwargs: Record<string, unknown>, report: ReportProblem): Record<string, unknown> {
  const accepted = kwargsOf(spec);
  const names = accepted.map((kwarg) => kwarg.name);
  const checked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(kwargs)) {
    if (LEGACY_GX_KWARGS.has(name)) continue;
    if (name === 'row_condition' || name === 'condition_parser') {
      if (value !== null && value !== undefined && value !== '') checked[name] = value;
      continue;
    }
    if (!names.includes(name)) {
      if (MAP_ONLY.has(name))
        report(`'${name}' only applies to row-by-row expectations; ${spec.type} is a ${spec.kind} expectation`, [name]);
      report(`'${name}' is not a keyword argument of ${spec.type}.${didYouMean(name, names)} It takes: ${names.join(', ')}`, [name]);
    }
    if (isEvaluationParameter(value))
      report(`'${name}' uses a GX evaluation parameter ($PARAMETER), which is not supported: write the value itself`, [name]);
    checked[name] = value;
  }
  for (const kwarg of spec.kwargs)
    if (kwarg.required && checked[kwarg.name] === undefined) report(`'${kwarg.name}' is required: ${describeSchema(kwarg.schema)}`);
  const validate = validatorFor(spec);
  const { row_condition: _condition, condition_parser: _parser, ...validated } = checked;
  if (!validate(schemaView(validated)) && validate.errors) {
    const error = mainError(validate.errors);
    const path = segments(error.instancePath);
    const schema = (error.parentSchema ?? {}) as JsonSchema;
    const expected =
      error.keyword === 'additionalProperties'
        ? `${describeSchema(schema)} (unexpected key '${String(error.params.additionalProperty)}')`
        : error.keyword === 'required'
          ? `${describeSchema(schema)} (missing '${String(error.params.missingProperty)}')`
          : describeSchema(schema);
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
  // min_value > max_value is not refused here: GX fails such a rule (lengths, aggregates) or raises while validating
  // (expect_column_values_to_be_between), and data-gate reports it the same way (expectations/kwargs.ts).
  checkRegex(kwargs.regex, ['regex'], report);
  if (Array.isArray(kwargs.regex_list)) kwargs.regex_list.forEach((pattern, i) => checkRegex(pattern, ['regex_list', i], report));
  const ranges = kwargs.quantile_ranges as { quantiles?: unknown[]; value_ranges?: unknown[] } | undefined;
  if (ranges?.quantiles && ranges.value_ranges && ranges.quantiles.length !== ranges.value_ranges.length)
    report(
      `'quantile_ranges' has ${ranges.quantiles.length} quantiles but ${ranges.value_ranges.length} value_ranges; give one [min, max] per quantile`,
      ['quantile_ranges'],
    );
  const partition = kwargs.partition_object as { values?: unknown[]; bins?: unknown[]; weights?: unknown[] } | undefined;
  if (partition?.weights) {
    const expected = partition.bins ? partition.bins.length - 1 : partition.values?.length;
    if (expected !== undefined && partition.weights.length !== expected)
      report(
        `'partition_object' has ${partition.weights.length} weights but ${partition.bins ? `${partition.bins.length} bin edges (needs one weight per bin)` : `${expected} values`}`,
        ['partition_object'],
      );
  }
  if (spec.type === 'expect_column_max_timestamp_to_be_recent' && typeof kwargs.now === 'string' && Number.isNaN(Date.parse(kwargs.now)))
    report(`'now' must be an ISO date, got ${showValue(kwargs.now)}`, ['now']);
}
