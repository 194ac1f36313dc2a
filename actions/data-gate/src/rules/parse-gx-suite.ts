// Reads a Great Expectations expectation suite JSON (GX 1.x `type` shape or 0.x `expectation_type` shape) into a
// RuleSet, checking each expectation exactly as a rules file rule is checked.
import { DataError } from '#shared/errors.js';
import { checkKwargs, resolveExpectation, ruleCondition } from './check-expectation.js';
import { checkEach, throwProblems } from './config-problems.js';
import { findExpectation } from './expectation-catalog.js';
import { parsePythonJson } from './python-json.js';
import type { ReportProblem } from './check-expectation.js';
import { showValue } from './describe-schema.js';
import { defaultRuleName, uniqueNames } from './rule-names.js';
import type {
  ExpectationConfiguration,
  Rule,
  RuleSet,
  RuleSetFormat,
  Severity,
  SkippedExpectation,
  UnknownExpectations,
} from './rule-types.js';
import { jsonLines } from './yaml-source-map.js';
import type { PathSegment } from './yaml-source-map.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.parse's complaint, with the line of its "position N" when it gives one. Python's bare Infinity/NaN are read. */
function parseJson(text: string, file: string): unknown {
  try {
    return parsePythonJson(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new DataError(`not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, { file, line });
  }
}

/** 1.x or 0.x, from meta.great_expectations_version when the suite has it, else from its keys. */
function suiteFormat(suite: JsonObject, fail: ReportProblem): Exclude<RuleSetFormat, 'rules-file'> {
  const version = isObject(suite.meta) ? suite.meta.great_expectations_version : undefined;
  if (version !== undefined) {
    const match = typeof version === 'string' ? /^(\d+)\.(\d+)/.exec(version) : null;
    if (!match)
      fail(`meta.great_expectations_version must be a version such as '1.3.0', got ${showValue(version)}`, [
        'meta',
        'great_expectations_version',
      ]);
    const [major, minor] = [Number(match[1]), Number(match[2])];
    if (major === 1) return 'gx-suite-1.x';
    if (major === 0 && minor >= 13) return 'gx-suite-0.x';
    fail(
      `suites from Great Expectations ${version} are not supported: data-gate reads GX 1.x suites and 0.x suites from 0.13 on. Re-save the suite with a supported GX version`,
      ['meta', 'great_expectations_version'],
    );
  }
  const expectations = Array.isArray(suite.expectations) ? suite.expectations.filter(isObject) : [];
  if (typeof suite.name === 'string' || expectations.some((e) => 'type' in e)) return 'gx-suite-1.x';
  return 'gx-suite-0.x';
}

/** GX 1.x `severity` ("critical" blocks, "warning"/"info" report), else `meta.severity`, else error. */
function ruleSeverity(expectation: JsonObject, report: ReportProblem): Severity {
  if (expectation.severity !== undefined && expectation.severity !== null) {
    const severity = String(expectation.severity).toLowerCase();
    if (severity === 'critical') return 'error';
    if (severity === 'warning' || severity === 'info') return 'warning';
    report(`'severity' must be 'critical', 'warning' or 'info', got ${showValue(expectation.severity)}`, ['severity']);
  }
  const metaSeverity = isObject(expectation.meta) ? expectation.meta.severity : undefined;
  if (metaSeverity === undefined || metaSeverity === null) return 'error';
  const severity = String(metaSeverity).toLowerCase();
  if (severity === 'error' || severity === 'critical') return 'error';
  if (severity === 'warning' || severity === 'info') return 'warning';
  return report(`'meta.severity' must be 'error', 'critical', 'warning' or 'info', got ${showValue(metaSeverity)}`, ['meta', 'severity']);
}

export interface SuiteOptions {
  /** `warn`: an expectation data-gate does not know is skipped and listed instead of refusing the suite. */
  unknownExpectations?: UnknownExpectations;
}

export function parseGxSuite(text: string, file: string, options: SuiteOptions = {}): RuleSet {
  const suite = parseJson(text, file);
  const lineOf = jsonLines(text);
  const fail = (problem: string, path: readonly PathSegment[] = []): never => {
    for (let end = path.length; end >= 0; end--) {
      const line = lineOf(path.slice(0, end));
      if (line !== undefined) throw new DataError(problem, { file, line });
    }
    throw new DataError(problem, { file });
  };
  if (!isObject(suite) || !Array.isArray(suite.expectations))
    fail(
      `not a Great Expectations suite: expected a JSON object with an 'expectations' list (GX 1.x: {"name", "expectations": [{"type", "kwargs"}]}; GX 0.x: {"expectation_suite_name", "expectations": [{"expectation_type", "kwargs"}]}), got ${showValue(suite)}`,
    );
  const root = suite as JsonObject;
  const format = suiteFormat(root, fail);
  const expectations = root.expectations as unknown[];
  if (expectations.length === 0) fail('the suite has no expectations: there is nothing to check', ['expectations']);
  const problems: DataError[] = [];
  const skipped: SkippedExpectation[] = [];
  const checked = checkEach(
    expectations,
    (entry, index): Rule | undefined => {
      const at = (path: readonly PathSegment[]): PathSegment[] => ['expectations', index, ...path];
      const typeKey = format === 'gx-suite-1.x' ? 'type' : 'expectation_type';
      const given = isObject(entry) ? (entry.type ?? entry.expectation_type) : undefined;
      const label = (type?: unknown) => `expectation ${index + 1}${type === undefined ? '' : ` (${String(type)})`}`;
      if (!isObject(entry)) return fail(`${label()}: expected an object with '${typeKey}' and 'kwargs', got ${showValue(entry)}`, at([]));
      if (given === undefined) fail(`${label()}: missing '${typeKey}' (the expectation name)`, at([]));
      if (options.unknownExpectations === 'warn' && typeof given === 'string' && given.trim() !== '' && !findExpectation(given.trim())) {
        const line = lineOf(at(['type' in entry ? 'type' : 'expectation_type'])) ?? lineOf(at([]));
        skipped.push({
          type: given,
          source: line === undefined ? `${file}#${index + 1}` : `${file}:${line}`,
          reason: 'data-gate does not know this expectation',
        });
        return undefined;
      }
      const spec = resolveExpectation(given, (problem) =>
        fail(`${label(given)}: ${problem}`, at(['type' in entry ? 'type' : 'expectation_type'])),
      );
      const report: ReportProblem = (problem, path = []) => fail(`${label(spec.type)}: ${problem}`, at(path));
      const kwargsReport: ReportProblem = (problem, path = []) => fail(`${label(spec.type)}: ${problem}`, at(['kwargs', ...path]));
      const rawKwargs = entry.kwargs ?? {};
      if (!isObject(rawKwargs)) report(`'kwargs' must be an object, got ${showValue(rawKwargs)}`, ['kwargs']);
      const severity = ruleSeverity(entry, report);
      if (entry.meta !== undefined && entry.meta !== null && !isObject(entry.meta))
        report(`'meta' must be an object, got ${showValue(entry.meta)}`, ['meta']);
      const kwargs = checkKwargs(spec, rawKwargs as JsonObject, kwargsReport);
      const condition = ruleCondition(kwargs, kwargsReport);
      const expectation: ExpectationConfiguration = { type: spec.type, kwargs, ...(isObject(entry.meta) ? { meta: entry.meta } : {}) };
      const line = lineOf(at([]));
      return {
        name: defaultRuleName(expectation),
        severity,
        ...(typeof entry.description === 'string' && entry.description !== '' ? { description: entry.description } : {}),
        expectation,
        source: { file, index, ...(line === undefined ? {} : { line }) },
        ...(condition ? { condition } : {}),
      };
    },
    problems,
  );
  throwProblems(problems);
  const parsed = checked.filter((rule): rule is Rule => rule !== undefined);
  if (parsed.length === 0)
    fail(`none of the suite's ${expectations.length} expectations can be run by data-gate (all skipped): there is nothing to check`, [
      'expectations',
    ]);
  const names = uniqueNames(parsed.map((rule) => rule.name));
  const name = format === 'gx-suite-1.x' ? (root.name ?? root.expectation_suite_name) : (root.expectation_suite_name ?? root.name);
  return {
    format,
    file,
    ...(typeof name === 'string' ? { name } : {}),
    rules: parsed.map((rule, i) => ({ ...rule, name: names[i] })),
    columnTypes: Object.create(null),
    ...(skipped.length > 0 ? { skipped } : {}),
  };
}
