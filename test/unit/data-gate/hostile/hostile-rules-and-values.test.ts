// Rules files and data written to hurt data-gate: columns named after Object.prototype's members, YAML alias bombs,
// rules files that are too large or lie outside the workspace, a column of one value repeated under a uniqueness rule.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { DataError, UserError } from '#shared/errors.js';
import { resetPathPolicy, setPathPolicy } from '#shared/paths/index.js';
import { lineAnnotations } from '../../../../actions/data-gate/src/report/line-annotations.js';
import { loadRules } from '../../../../actions/data-gate/src/rules/load-rules.js';
import { parseRulesFile } from '../../../../actions/data-gate/src/rules/parse-rules-file.js';
import { MAX_EXPANDED_VALUES } from '../../../../actions/data-gate/src/rules/yaml-source-map.js';
import { validateDataset } from '../../../../actions/data-gate/src/validate/validate-dataset.js';
import type { ExpectationResultDetails } from '../../../../actions/data-gate/src/validate/validation-result.js';
import { rejection } from '../../data/temp-files.js';

const dir = mkdtempSync(join(tmpdir(), 'data-gate-hostile-'));
afterAll(() => resetPathPolicy());

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("columns named after Object.prototype's members", () => {
  test('are validated like any other column, with declared types and failing rows that name them', async () => {
    const data = file('proto.csv', 'constructor,__proto__,toString,valueOf\n1,a,x,1\n2,a,,2\n-3,b,z,3\n');
    const yaml = dump({
      version: 1,
      result_format: 'COMPLETE',
      columns: { constructor: 'numerical', valueOf: 'categorical' },
      rules: [
        { expectation: 'expect_column_values_to_be_between', column: 'constructor', min_value: 0 },
        { expectation: 'expect_column_values_to_be_unique', column: '__proto__' },
        { expectation: 'expect_column_values_to_not_be_null', column: 'toString' },
        { expectation: 'expect_column_distinct_values_to_be_in_set', column: 'valueOf', value_set: ['1', '2', '3'] },
      ],
    });
    const ruleSet = parseRulesFile(yaml, 'rules.yml');
    expect(Object.getPrototypeOf(ruleSet.columnTypes)).toBeNull();
    const { result } = await validateDataset({ data: [data], ruleSet, failOn: 'error', budgetBytes: 64 << 20, threads: 1 });
    const details = result.results.map((r) => r.result as ExpectationResultDetails);
    expect(result.results.map((r) => r.success)).toEqual([false, false, false, true]);
    expect(details[0].unexpected_index_list).toEqual([2]);
    expect(details[1].unexpected_index_list).toEqual([0, 1]);
    expect(details[2].unexpected_count).toBe(1);
    const failing = result.results[1].meta.failing_rows[0];
    expect(Object.getOwnPropertyDescriptor(failing.values, '__proto__')?.value).toBe('a');
    expect(JSON.stringify(result)).toContain('"__proto__":"a"');
  });
});

describe('YAML alias bombs', () => {
  const bomb = [
    'version: 1',
    'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
    ...Array.from(
      { length: 8 },
      (_, k) =>
        `${String.fromCharCode(98 + k)}: &${String.fromCharCode(98 + k)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + k)}`)
          .join(',')}]`,
    ),
    'rules: []',
  ].join('\n');

  test('are refused at once with a clear message naming the file', () => {
    const started = Date.now();
    let error: unknown;
    try {
      parseRulesFile(bomb, 'bomb.yml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toBe(
      `bomb.yml: the YAML stands for more than ${MAX_EXPANDED_VALUES.toLocaleString('en-US')} values once its aliases (*name) are expanded; a rules file needs far fewer (is it an alias bomb?)`,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('a few anchors shared by rules are fine', () => {
    const yaml = [
      'version: 1',
      'rules:',
      '  - {expectation: expect_column_values_to_be_in_set, column: a, value_set: &codes [x, y, z]}',
      '  - {expectation: expect_column_values_to_be_in_set, column: b, value_set: *codes}',
    ].join('\n');
    expect(parseRulesFile(yaml, 'ok.yml').rules[1].expectation.kwargs.value_set).toEqual(['x', 'y', 'z']);
  });

  test('more aliases than js-yaml is allowed are refused as invalid YAML', () => {
    const yaml = ['version: 1', 'x: &x 1', `y: [${Array(1001).fill('*x').join(',')}]`, 'rules: []'].join('\n');
    expect(() => parseRulesFile(yaml, 'aliases.yml')).toThrow(/^aliases\.yml(:\d+)?: not valid YAML: .*alias/i);
  });
});

describe('rules files the action may not read', () => {
  const workspace = join(dir, 'ws');
  beforeAll(() => {
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(dir, 'outside.yml'), 'version: 1\nrules: []\n');
    symlinkSync(join(dir, 'outside.yml'), join(workspace, 'rules.yml'));
    writeFileSync(join(workspace, 'huge.yml'), `version: 1\n#${'x'.repeat(17 * 1024 * 1024)}\n`);
    setPathPolicy([{ path: workspace, name: 'the workspace' }]);
  });
  afterAll(() => resetPathPolicy());

  test('a rules file that links out of the workspace is refused, naming the input', async () => {
    const error = await rejection(loadRules({ rules: join(workspace, 'rules.yml') }));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/^input 'rules': '.*rules\.yml' \(it resolves to '.*outside\.yml'\) lies outside the workspace/);
  });

  test('a rules file larger than 16 MB is refused before it is read', async () => {
    const error = await rejection(loadRules({ rules: join(workspace, 'huge.yml') }));
    expect(error.message).toMatch(
      /^The rules file '.*huge\.yml' \(input 'rules'\) has 17,\d{3},\d{3} bytes; a rules file may have at most 16 MB\.$/,
    );
  });
});

describe('one value repeated under a uniqueness rule', () => {
  test('counts every row exactly while keeping only the first ones listed', async () => {
    const rows = 300_000;
    const data = file('same.csv', `id\n${'same\n'.repeat(rows)}`);
    const ruleSet = parseRulesFile(
      dump({ version: 1, rules: [{ expectation: 'expect_column_values_to_be_unique', column: 'id' }] }),
      'rules.yml',
    );
    const outcome = await validateDataset({ data: [data], ruleSet, failOn: 'error', budgetBytes: 16 << 20, threads: 1 });
    const details = outcome.result.results[0].result as ExpectationResultDetails;
    expect(details.unexpected_count).toBe(rows);
    expect(outcome.result.meta.data_gate.failed_rows).toBe(rows);
    expect(details.partial_unexpected_list?.length).toBeLessThanOrEqual(20);
    expect(outcome.brokenRules(rows - 1)).toEqual([outcome.result.results[0].meta.rule]);
  });
});

describe('hostile values in the data', () => {
  const notNull = (column: string) =>
    parseRulesFile(dump({ version: 1, rules: [{ expectation: 'expect_column_values_to_not_be_null', column }] }), 'rules.yml');

  test('lines with NUL bytes or invalid UTF-8 are counted, kept in the result and annotated as warnings', async () => {
    const data = file('bytes.csv', '');
    writeFileSync(data, Buffer.concat([Buffer.from('name\nok\nn\0l\n'), Buffer.from([0x62, 0xff, 0x0a]), Buffer.from('\n\n')]));
    const outcome = await validateDataset({ data: [data], ruleSet: notNull('name'), failOn: 'error', budgetBytes: 16 << 20, threads: 1 });
    expect(outcome.warnings.map((w) => [w.kind, w.line, w.count])).toEqual([
      ['nul-bytes', 3, 1],
      ['invalid-utf8', 4, 1],
    ]);
    expect(outcome.result.meta.data_gate.data_warnings).toEqual(outcome.warnings);
    const { annotations } = lineAnnotations(outcome.result, 10);
    expect(annotations.slice(0, 2).map((a) => [a.level, a.file, a.line, a.title])).toEqual([
      ['warning', data, 3, 'data-gate: file content'],
      ['warning', data, 4, 'data-gate: file content'],
    ]);
  });

  test('an annotation quotes at most a few hundred characters of a failing value', async () => {
    const data = file('long-cell.csv', `n,note\n1,ok\n,${'x'.repeat(1_000_000)}\n`);
    const ruleSet = parseRulesFile(
      dump({ version: 1, rules: [{ expectation: 'expect_column_values_to_be_in_set', column: 'note', value_set: ['ok'] }] }),
      'rules.yml',
    );
    const outcome = await validateDataset({ data: [data], ruleSet, failOn: 'error', budgetBytes: 16 << 20, threads: 1 });
    const { annotations } = lineAnnotations(outcome.result, 10);
    expect(annotations).toHaveLength(1);
    expect(annotations[0].message).toContain("'xxxxxxxx");
    expect(annotations[0].message.length).toBeLessThan(1000);
  });

  test('a row past max-line-mb stops the pass with file:line', async () => {
    const data = file('long-row.csv', `n\n1\n${'9'.repeat(3 << 20)}\n`);
    const error = await rejection(
      validateDataset({ data: [data], ruleSet: notNull('n'), failOn: 'error', budgetBytes: 16 << 20, threads: 1, maxLineBytes: 1 << 20 }),
    );
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/long-row\.csv:3: a row longer than 1 MB \(the max-line-mb limit\)/);
  });
});
