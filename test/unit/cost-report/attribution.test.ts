// Rules: globs without backtracking, first match wins, overlaps reported, shared pools split exactly.
import { compileGlob } from '../../../actions/cost-report/src/attribution/glob.js';
import { parseRules, type RuleSet } from '../../../actions/cost-report/src/attribution/rules.js';
import { Ledger } from '../../../actions/cost-report/src/attribution/ledger.js';
import { allocate } from '../../../actions/cost-report/src/attribution/allocate.js';
import { roundReport } from '../../../actions/cost-report/src/report/rounding.js';
import { parseAmountText } from '../../../actions/cost-report/src/money/money.js';
import { batchOfLines, type CostLine } from '../../../actions/cost-report/src/sources/cost-batch.js';
import { parseWindow } from '../../../actions/cost-report/src/window.js';

describe('glob values', () => {
  test.each([
    ['resnet-*', 'resnet-50', true],
    ['resnet-*', 'xresnet-50', false],
    ['*-50', 'resnet-50', true],
    ['arn:aws:eks:*:cluster/shared-*', 'arn:aws:eks:us-east-1:333:cluster/shared-gpu', true],
    ['.github/workflows/train-*.yml', '.github/workflows/train-resnet.yml', true],
    ['.github/workflows/train-*.yml', '.github/workflows/ci.yml', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['g?u', 'gpu', true],
    ['*', '', true],
    ['exact', 'exact', true],
    ['a*a', 'a', false],
  ])('%s against %s is %s', (pattern, value, expected) => {
    expect(compileGlob(pattern).test(value)).toBe(expected);
  });

  test('a pattern that makes a backtracking regex explode stays linear', () => {
    const pattern = compileGlob('*a*a*a*a*a*a*a*a*a*a*a*b');
    const value = 'a'.repeat(50_000);
    const started = performance.now();
    expect(pattern.test(value)).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

const WINDOW = parseWindow('2026-11-01..2026-11-03', Date.UTC(2026, 11, 1));
const day = (d: number) => Date.UTC(2026, 10, d);
const line = (d: number, amount: string, fields: CostLine['fields'], tags?: Record<string, string>): CostLine => ({
  time: day(d),
  pico: parseAmountText(amount)!,
  fields,
  tags,
});

function attribute(rules: RuleSet, lines: CostLine[]) {
  const ledger = new Ledger(WINDOW, rules, { cacheLimit: 1000, driverLimit: 1000 });
  ledger.add('test', batchOfLines(lines));
  return { ledger, allocation: allocate(ledger) };
}

describe('rules', () => {
  const yaml = `rules:
  - match: { service: Amazon SageMaker, tag.model: "resnet-*" }
    team: vision
    model: resnet
  - match: { tag.team: vision }
    team: vision
  - match: { tag.project: search }
    team: nlp
    project: search
  - match: { resource: "arn:aws:eks:*" }
    shared: gpu
shared:
  gpu: { split: proportional, by: team }
`;

  test('first match wins; unmatched costs are unallocated; a refining order is not an overlap', () => {
    const { allocation, ledger } = attribute(parseRules(yaml, 'rules.yml'), [
      line(1, '10.00', { service: 'Amazon SageMaker' }, { team: 'vision', model: 'resnet-50' }),
      line(1, '5.00', { service: 'Amazon EC2' }, { team: 'vision' }),
      line(2, '1.10', { service: 'AWS Support' }),
    ]);
    expect(allocation.groups.filter((g) => g.direct !== 0n).map((g) => [g.key.team, g.key.model, g.direct])).toEqual([
      ['vision', 'resnet', parseAmountText('10')],
      ['vision', '', parseAmountText('5')],
    ]);
    expect(allocation.unallocated).toBe(parseAmountText('1.10'));
    expect(ledger.ruleOverlaps()).toEqual([]);
  });

  test('an ambiguous overlap is reported with both rules and the lines it concerns', () => {
    const { ledger } = attribute(parseRules(yaml, 'rules.yml'), [
      line(1, '3', { service: 'x' }, { team: 'vision', project: 'search' }),
      line(2, '4', { service: 'x' }, { team: 'vision', project: 'search' }),
    ]);
    const [overlap] = ledger.ruleOverlaps();
    expect([overlap.first.line, overlap.later.line, overlap.lines]).toEqual([5, 7, 2]);
  });

  test.each([
    ['rules:\n  - match: { colour: red }\n    team: a\n', /rules\.yml:2: unknown match field 'colour'/],
    ['rules:\n  - match: { service: x }\n', /rules\.yml:2: a rule needs team, project or model/],
    ['rules:\n  - match: { service: x }\n    shared: pool\n', /rules\.yml:2: shared pool 'pool' is not defined/],
    ['rules: [\n', /rules\.yml:\d+: not valid YAML/],
    ['shared:\n  p: { split: random }\n', /rules\.yml:2: shared pool 'p': split 'random'/],
  ])('a bad rules file is refused with its line: %s', (text, message) => {
    expect(() => parseRules(text, 'rules.yml')).toThrow(message);
  });
});

describe('shared pools', () => {
  const pool = (spec: string) =>
    parseRules(
      `rules:
  - match: { tag.team: a }
    team: a
  - match: { tag.team: b }
    team: b
  - match: { service: cluster }
    shared: p
shared:
  p: ${spec}
`,
      'r.yml',
    );
  const lines = [
    line(1, '30', { service: 's' }, { team: 'a' }),
    line(1, '10', { service: 's' }, { team: 'b' }),
    line(1, '10.00', { service: 'cluster' }),
    line(2, '0.01', { service: 'cluster' }),
  ];

  test.each([
    ['{ split: proportional }', ['7.51', '2.50']],
    ['{ split: even }', ['5.01', '5.00']],
    ['{ split: weights, weights: { a: 1, b: 4 } }', ['2.00', '8.01']],
  ])('%s splits exactly and reconciles', (spec, expected) => {
    const { allocation } = attribute(pool(spec), lines);
    expect(allocation.shared).toBe(parseAmountText('10.01'));
    expect(allocation.groups.reduce((a, g) => a + g.shared, 0n)).toBe(allocation.shared);
    expect(allocation.direct + allocation.shared + allocation.unallocated).toBe(allocation.total);
    const rounded = roundReport(allocation);
    const byTeam = Object.fromEntries(rounded.groups.map((g) => [g.key.team, g.sharedCents]));
    expect([byTeam.a, byTeam.b].map((c) => (Number(c) / 100).toFixed(2))).toEqual(expected);
  });

  test('a pool nobody can take is unallocated, with the reason', () => {
    const { allocation } = attribute(pool('{ split: proportional, among: [c] }'), lines);
    expect(allocation.pools[0].unallocatedReason).toMatch(/no team to share it with/);
    expect(allocation.unallocated).toBe(parseAmountText('10.01'));
  });
});

describe('windows', () => {
  const now = Date.UTC(2026, 11, 2, 15);
  test.each([
    ['30d', '2026-11-03', 30],
    ['month', '2026-12-01', 2],
    ['2026-02', '2026-02-01', 28],
    ['2026-10-01..2026-10-15', '2026-10-01', 15],
  ])('%s starts %s and has %i days', (text, start, days) => {
    const w = parseWindow(text, now);
    expect(new Date(w.start).toISOString().slice(0, 10)).toBe(start);
    expect(w.days).toBe(days);
  });
  test.each(['0d', '2026-13', 'last week', '2026-10-15..2026-10-01', '2026-02-30..2026-03-01'])('%s is refused', (text) => {
    expect(() => parseWindow(text, now)).toThrow(/Invalid value for input 'window'/);
  });
});
