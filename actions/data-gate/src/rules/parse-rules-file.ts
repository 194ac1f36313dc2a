// Reads data-gate's own YAML rules file (see action-docs/data-gate-expectations.md) into a RuleSet. Every mistake
// names the file, the line, the rule and what was expected.
import { COLUMN_TYPES } from '#shared/data/types.js';
import type { ColumnType } from '#shared/data/types.js';
import { DataError } from '#shared/errors.js';
import { didYouMean } from './close-matches.js';
import { checkKwargs, checkResultFormat, resolveExpectation, ruleCondition } from './check-expectation.js';
import { checkEach, throwProblems } from './config-problems.js';
import { findExpectation } from './expectation-catalog.js';
import type { ReportProblem } from './check-expectation.js';
import { showValue } from './describe-schema.js';
import { defaultRuleName, uniqueNames } from './rule-names.js';
import { SEVERITIES } from './rule-types.js';
import type { ExpectationConfiguration, Rule, RuleSet, Severity, SkippedExpectation, UnknownExpectations } from './rule-types.js';
import { parseYamlDocument } from './yaml-source-map.js';
import type { PathSegment } from './yaml-source-map.js';

const TOP_LEVEL_KEYS = ['version', 'name', 'columns', 'result_format', 'rules'];
/** Keys of a rule that are not GX kwargs. */
const RESERVED_KEYS = ['expectation', 'severity', 'name', 'description', 'meta'];

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseRulesFile(text: string, file: string, options: { unknownExpectations?: UnknownExpectations } = {}): RuleSet {
  const document = parseYamlDocument(text, file);
  const fail = (problem: string, path: readonly PathSegment[] = []): never => {
    // The nearest enclosing path with a known line: a missing key is reported where its parent is.
    for (let end = path.length; end >= 0; end--) {
      const line = document.lineOf(path.slice(0, end));
      if (line !== undefined) throw new DataError(problem, { file, line });
    }
    throw new DataError(problem, { file });
  };
  const root = document.value;
  if (!isMapping(root))
    fail(`a rules file is a mapping with 'version: 1' and 'rules:', got ${root === null ? 'an empty file' : showValue(root)}`);
  const top = root as Record<string, unknown>;
  for (const key of Object.keys(top))
    if (!TOP_LEVEL_KEYS.includes(key))
      fail(`unknown key '${key}' at the top of the rules file.${didYouMean(key, TOP_LEVEL_KEYS)} Expected: ${TOP_LEVEL_KEYS.join(', ')}`, [
        key,
      ]);
  if (top.version === undefined) fail("missing 'version: 1' at the top of the rules file");
  if (top.version !== 1) fail(`'version' must be 1 (the only rules file version), got ${showValue(top.version)}`, ['version']);
  if (top.name !== undefined && typeof top.name !== 'string') fail(`'name' must be a string, got ${showValue(top.name)}`, ['name']);
  const columnTypes = parseColumnTypes(top.columns, fail);
  if (!Array.isArray(top.rules) || top.rules.length === 0)
    fail(`'rules' must be a list of at least one rule, got ${showValue(top.rules)}`, top.rules === undefined ? [] : ['rules']);
  const resultFormat = top.result_format;
  if (resultFormat !== undefined) checkResultFormat(resultFormat, (problem) => fail(`top-level ${problem}`, ['result_format']));
  const problems: DataError[] = [];
  const skipped: SkippedExpectation[] = [];
  const checked = checkEach(
    top.rules as unknown[],
    (entry, index) => {
      const line = document.lineOf(['rules', index]);
      const type = isMapping(entry) ? entry.expectation : undefined;
      if (options.unknownExpectations === 'warn' && typeof type === 'string' && type.trim() !== '' && !findExpectation(type.trim())) {
        skipped.push({
          type,
          source: line === undefined ? `${file}#${index + 1}` : `${file}:${line}`,
          reason: 'data-gate does not know this expectation',
        });
        return undefined;
      }
      return parseRule(entry, { file, index, line }, fail);
    },
    problems,
  );
  throwProblems(problems);
  const parsed = checked.filter((rule): rule is Rule => rule !== undefined);
  if (parsed.length === 0)
    fail(`none of the ${checked.length} rules can be run by data-gate (all skipped): there is nothing to check`, ['rules']);
  const names = uniqueNames(parsed.map((rule) => rule.name));
  return {
    format: 'rules-file',
    file,
    ...(typeof top.name === 'string' ? { name: top.name } : {}),
    rules: parsed.map((rule, i) => ({ ...rule, name: names[i] })),
    columnTypes,
    ...(skipped.length > 0 ? { skipped } : {}),
    ...(resultFormat !== undefined ? { resultFormat } : {}),
  };
}

function parseColumnTypes(columns: unknown, fail: ReportProblem): Record<string, ColumnType> {
  if (columns === undefined || columns === null) return {};
  if (!isMapping(columns))
    fail(`'columns' must map column names to types (${COLUMN_TYPES.join(', ')}), got ${showValue(columns)}`, ['columns']);
  // No prototype: a column named constructor or __proto__ must find only what the file declares.
  const types: Record<string, ColumnType> = Object.create(null);
  for (const [column, type] of Object.entries(columns as Record<string, unknown>)) {
    if (!COLUMN_TYPES.includes(type as ColumnType))
      fail(
        `column '${column}': type must be one of ${COLUMN_TYPES.join(', ')}, got ${showValue(type)}.${typeof type === 'string' ? didYouMean(type, COLUMN_TYPES) : ''}`.replace(
          /\.$/,
          '',
        ),
        ['columns', column],
      );
    types[column] = type as ColumnType;
  }
  return types;
}

function parseRule(entry: unknown, source: { file: string; index: number; line?: number }, fail: ReportProblem): Rule {
  const { file, index, line } = source;
  const at = (path: readonly PathSegment[]): PathSegment[] => ['rules', index, ...path];
  const label = (type?: string) =>
    `rule ${index + 1}${isMapping(entry) && typeof entry.name === 'string' ? ` '${entry.name}'` : ''}${type ? ` (${type})` : ''}`;
  if (!isMapping(entry)) fail(`${label()}: expected a mapping with an 'expectation' key, got ${showValue(entry)}`, at([]));
  const rule = entry as Record<string, unknown>;
  if (rule.expectation === undefined)
    fail(`${label()}: missing 'expectation' (the GX expectation name, e.g. expect_column_values_to_not_be_null)`, at([]));
  const spec = resolveExpectation(rule.expectation, (problem) =>
    fail(`${label(String(rule.expectation))}: ${problem}`, at(['expectation'])),
  );
  const report: ReportProblem = (problem, path = []) => fail(`${label(spec.type)}: ${problem}`, path.length > 0 ? at(path) : at([]));
  const severity = rule.severity ?? 'error';
  if (!SEVERITIES.includes(severity as Severity))
    report(`'severity' must be ${SEVERITIES.map((s) => `'${s}'`).join(' or ')}, got ${showValue(severity)}`, ['severity']);
  if (rule.name !== undefined && (typeof rule.name !== 'string' || rule.name.trim() === ''))
    report(`'name' must be a non-empty string, got ${showValue(rule.name)}`, ['name']);
  if (rule.description !== undefined && typeof rule.description !== 'string')
    report(`'description' must be a string, got ${showValue(rule.description)}`, ['description']);
  if (rule.meta !== undefined && !isMapping(rule.meta)) report(`'meta' must be a mapping, got ${showValue(rule.meta)}`, ['meta']);
  const kwargs = checkKwargs(spec, Object.fromEntries(Object.entries(rule).filter(([key]) => !RESERVED_KEYS.includes(key))), report);
  const condition = ruleCondition(kwargs, report);
  const expectation: ExpectationConfiguration = { type: spec.type, kwargs, ...(isMapping(rule.meta) ? { meta: rule.meta } : {}) };
  return {
    ...(condition ? { condition } : {}),
    name: typeof rule.name === 'string' ? rule.name.trim() : defaultRuleName(expectation),
    severity: severity as Severity,
    ...(typeof rule.description === 'string' ? { description: rule.description } : {}),
    expectation,
    source: { file, index, ...(line === undefined ? {} : { line }) },
  };
}
