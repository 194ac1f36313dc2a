// The metrics config file (YAML): which metrics to judge, where each one's samples come from and how it is judged.
// Parsed with eemeli's yaml for line numbers: every mistake is a DataError at file:line naming the key and what
// was expected.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import { DataError } from '#shared/errors.js';
import type { Direction, NanStrategy } from '../judge/classification.js';
import type { EffectSizeMeasure, EffectSizeTolerance } from '../judge/continuous-classifier.js';

export type MetricSource = 'file' | 'prometheus' | 'mlflow';

interface MetricBase {
  name: string;
  source: MetricSource;
  direction: Direction;
  critical: boolean;
  mustHaveData: boolean;
  groups: string[];
  reportOnly: boolean;
  nanStrategy: NanStrategy;
  /** Fewer samples (continuous) or trials (rate) than this on either side: never promote. */
  minSamples: number;
  line: number;
}

export interface ContinuousMetricConfig extends MetricBase {
  kind: 'continuous';
  /** The column (file), PromQL template (prometheus) or run metric key (mlflow) giving one sample a value. */
  column?: string;
  query?: string;
  mlflowMetric?: string;
  effectSize: EffectSizeTolerance;
}

export interface RateMetricConfig extends MetricBase {
  kind: 'rate';
  direction: 'increase' | 'decrease';
  /** file: a 0/1 column, or successes + trials columns summed; prometheus: successes + trials queries; mlflow: keys. */
  column?: string;
  successes?: string;
  trials?: string;
  probability: number;
  expectedLoss: number;
}

export type MetricConfig = ContinuousMetricConfig | RateMetricConfig;

export interface CanaryConfig {
  file: string;
  metrics: MetricConfig[];
  groupWeights: Record<string, number>;
  /** Kayenta's fraction of |estimate| the interval must clear. */
  tolerance: number;
  /** Always-valid judging for repeated looks (mSPRT), tuned for this many samples. */
  sequential?: { tuning: number };
}

const METRIC_KEYS = new Set([
  'name',
  'source',
  'column',
  'query',
  'mlflow-metric',
  'successes',
  'trials',
  'direction',
  'critical',
  'must-have-data',
  'weight',
  'group',
  'groups',
  'report-only',
  'kind',
  'effect-size',
  'nan-strategy',
  'min-samples',
  'probability',
  'expected-loss',
]);
const TOP_KEYS = new Set(['metrics', 'group-weights', 'tolerance', 'sequential', 'min-samples', 'rate']);

export async function loadMetricsConfig(path: string, label: string): Promise<CanaryConfig> {
  const text = await readFile(path, 'utf8');
  return parseMetricsConfig(text, label);
}

export function parseMetricsConfig(text: string, file: string): CanaryConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineOf = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : undefined);
  const fail = (problem: string, node?: Node | null): never => {
    throw new DataError(problem, { file, line: lineOf(node) });
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new DataError(`is not valid YAML: ${e.message.split('\n')[0]}`, { file, line: lines.linePos(e.pos[0]).line });
  }
  const root = doc.contents;
  if (!isMap(root)) return fail("must be a YAML mapping with a 'metrics' list", root);
  for (const item of root.items) {
    const key = String((item.key as { value?: unknown })?.value ?? item.key);
    if (!TOP_KEYS.has(key)) fail(`unknown key '${key}'. Expected one of ${[...TOP_KEYS].join(', ')}`, item.key as Node);
  }
  const get = (map: YAMLMap, key: string) => map.get(key, true) as Node | undefined;
  const value = (node: Node | undefined) => (node === undefined ? undefined : (node as { toJSON(): unknown }).toJSON());
  const numberAt = (
    map: YAMLMap,
    key: string,
    fallback: number,
    where: string,
    check: (n: number) => boolean,
    expected: string,
  ): number => {
    const node = get(map, key);
    if (node === undefined) return fallback;
    const v = value(node);
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v))
      fail(`${where}'${key}' is ${JSON.stringify(v)}. Expected ${expected}`, node);
    return v as number;
  };
  const boolAt = (map: YAMLMap, key: string, where: string): boolean => {
    const node = get(map, key);
    if (node === undefined) return false;
    const v = value(node);
    if (typeof v !== 'boolean') fail(`${where}'${key}' is ${JSON.stringify(v)}. Expected true or false`, node);
    return v as boolean;
  };
  const stringAt = (map: YAMLMap, key: string, where: string): string | undefined => {
    const node = get(map, key);
    if (node === undefined) return undefined;
    const v = value(node);
    if (typeof v !== 'string' || v.trim() === '') fail(`${where}'${key}' is ${JSON.stringify(v)}. Expected a non-empty string`, node);
    return (v as string).trim();
  };
  const choiceAt = <T extends string>(map: YAMLMap, key: string, choices: readonly T[], fallback: T, where: string): T => {
    const node = get(map, key);
    if (node === undefined) return fallback;
    const v = value(node);
    if (!choices.includes(v as T)) fail(`${where}'${key}' is ${JSON.stringify(v)}. Expected one of ${choices.join(', ')}`, node);
    return v as T;
  };

  const tolerance = numberAt(root, 'tolerance', 0.25, '', (n) => n >= 0, 'a number >= 0');
  const defaultMinSamples = numberAt(root, 'min-samples', 30, '', (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1');
  const rateNode = get(root, 'rate');
  if (rateNode !== undefined && !isMap(rateNode)) fail("'rate' must be a mapping with probability and expected-loss", rateNode);
  const rateDefaults = {
    probability: rateNode
      ? numberAt(rateNode as YAMLMap, 'probability', 0.95, 'rate: ', (n) => n > 0.5 && n < 1, 'a probability between 0.5 and 1')
      : 0.95,
    expectedLoss: rateNode ? numberAt(rateNode as YAMLMap, 'expected-loss', 0.001, 'rate: ', (n) => n >= 0, 'a number >= 0') : 0.001,
  };
  const sequentialNode = get(root, 'sequential');
  let sequential: CanaryConfig['sequential'];
  if (sequentialNode !== undefined) {
    const v = value(sequentialNode);
    if (v === true) sequential = { tuning: 5000 };
    else if (isMap(sequentialNode))
      sequential = { tuning: numberAt(sequentialNode, 'tuning', 5000, 'sequential: ', (n) => n >= 1, 'a sample size >= 1') };
    else if (v !== false) fail("'sequential' is not true, false or a mapping with 'tuning'", sequentialNode);
  }
  const groupWeights: Record<string, number> = {};
  const weightsNode = get(root, 'group-weights');
  if (weightsNode !== undefined) {
    if (!isMap(weightsNode)) fail("'group-weights' must map group names to weights", weightsNode);
    for (const item of (weightsNode as YAMLMap).items) {
      const w = value(item.value as Node);
      const name = String(value(item.key as Node));
      if (typeof w !== 'number' || !(w >= 0))
        fail(`group weight of '${name}' is ${JSON.stringify(w)}. Expected a number >= 0`, item.value as Node);
      groupWeights[name] = w as number;
    }
  }

  const metricsNode = get(root, 'metrics');
  if (!isSeq(metricsNode) || metricsNode.items.length === 0)
    return fail("'metrics' must be a non-empty list of metrics", metricsNode ?? root);
  const metrics: MetricConfig[] = [];
  const names = new Set<string>();
  for (const node of metricsNode.items as Node[]) {
    if (!isMap(node)) fail('each metric must be a mapping with at least a name', node);
    const m = node as YAMLMap;
    for (const item of m.items) {
      const key = String(value(item.key as Node));
      if (!METRIC_KEYS.has(key)) fail(`unknown metric key '${key}'. Expected one of ${[...METRIC_KEYS].join(', ')}`, item.key as Node);
    }
    const name = stringAt(m, 'name', '') ?? fail("a metric has no 'name'", m);
    if (names.has(name)) fail(`metric '${name}' is listed twice`, m);
    names.add(name);
    const where = `metric '${name}': `;
    const kind = choiceAt(m, 'kind', ['continuous', 'rate'] as const, 'continuous', where);
    const column = stringAt(m, 'column', where);
    const query = stringAt(m, 'query', where);
    const mlflowMetric = stringAt(m, 'mlflow-metric', where);
    const successes = stringAt(m, 'successes', where);
    const trials = stringAt(m, 'trials', where);
    const inferred: MetricSource = query ? 'prometheus' : mlflowMetric ? 'mlflow' : 'file';
    const source = choiceAt(m, 'source', ['file', 'prometheus', 'mlflow'] as const, inferred, where);
    const direction = choiceAt(m, 'direction', ['increase', 'decrease', 'either'] as const, 'either', where);
    const critical = boolAt(m, 'critical', where);
    const group = stringAt(m, 'group', where);
    const groupsNode = get(m, 'groups');
    let groups = group ? [group] : [name];
    if (groupsNode !== undefined) {
      const g = value(groupsNode);
      if (!Array.isArray(g) || g.length === 0 || g.some((x) => typeof x !== 'string'))
        fail(`${where}'groups' must be a list of group names`, groupsNode);
      groups = g as string[];
    }
    const weightNode = get(m, 'weight');
    if (weightNode !== undefined) {
      const w = numberAt(m, 'weight', 0, where, (n) => n >= 0, 'a number >= 0');
      for (const g of groups) {
        if (groupWeights[g] !== undefined && groupWeights[g] !== w)
          fail(`${where}weight ${w} for group '${g}' disagrees with its weight ${groupWeights[g]} elsewhere`, weightNode);
        groupWeights[g] = w;
      }
    }
    const base: MetricBase = {
      name,
      source,
      direction,
      critical,
      mustHaveData: boolAt(m, 'must-have-data', where),
      groups,
      reportOnly: boolAt(m, 'report-only', where),
      nanStrategy: choiceAt(m, 'nan-strategy', ['remove', 'replace'] as const, 'remove', where),
      minSamples: numberAt(m, 'min-samples', defaultMinSamples, where, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'),
      line: lineOf(m) ?? 0,
    };
    if (kind === 'rate') {
      if (direction === 'either')
        fail(
          `${where}a rate metric needs 'direction: increase' (bad going up, e.g. errors) or 'decrease' (bad going down, e.g. accuracy)`,
          m,
        );
      if (source !== 'file' && !(successes && trials)) fail(`${where}a ${source} rate metric needs 'successes' and 'trials'`, m);
      if (source === 'file' && !column && !(successes && trials))
        fail(`${where}a rate metric needs 'column' (0/1 per row) or 'successes' and 'trials' columns`, m);
      metrics.push({
        ...base,
        kind,
        direction: direction as 'increase' | 'decrease',
        column,
        successes,
        trials,
        probability: numberAt(
          m,
          'probability',
          rateDefaults.probability,
          where,
          (n) => n > 0.5 && n < 1,
          'a probability between 0.5 and 1',
        ),
        expectedLoss: numberAt(m, 'expected-loss', rateDefaults.expectedLoss, where, (n) => n >= 0, 'a number >= 0'),
      });
    } else {
      if (source === 'file' && !column) fail(`${where}needs 'column' (files), 'query' (Prometheus) or 'mlflow-metric' (MLflow)`, m);
      if (source === 'prometheus' && !query) fail(`${where}a Prometheus metric needs 'query'`, m);
      if (source === 'mlflow' && !mlflowMetric) fail(`${where}an MLflow metric needs 'mlflow-metric'`, m);
      metrics.push({ ...base, kind, column, query, mlflowMetric, effectSize: effectSizeOf(m, where) });
    }
  }
  const weightSum = Object.values(groupWeights).reduce((a, b) => a + b, 0);
  if (weightSum > 100 + 1e-9)
    fail(`group weights add up to ${weightSum}. Expected at most 100 (groups without a weight share the rest)`, weightsNode ?? metricsNode);
  return { file, metrics, groupWeights, tolerance, sequential };

  function effectSizeOf(m: YAMLMap, where: string): EffectSizeTolerance {
    const node = get(m, 'effect-size');
    if (node === undefined)
      return { measure: 'mean-ratio', allowedIncrease: 1, allowedDecrease: 1, criticalIncrease: 1, criticalDecrease: 1 };
    if (!isMap(node))
      return fail(
        `${where}'effect-size' must be a mapping (measure, allowed-increase, allowed-decrease, critical-increase, critical-decrease)`,
        node,
      );
    const w = `${where}effect-size `;
    const measure = choiceAt(node, 'measure', ['mean-ratio', 'cles'] as const, 'mean-ratio', w) as EffectSizeMeasure;
    const d = measure === 'cles' ? 0.5 : 1;
    const positive = (n: number) => n >= 0;
    const allowedIncrease = numberAt(node, 'allowed-increase', d, w, positive, 'a number >= 0');
    const allowedDecrease = numberAt(node, 'allowed-decrease', d, w, positive, 'a number >= 0');
    return {
      measure,
      allowedIncrease,
      allowedDecrease,
      criticalIncrease: numberAt(node, 'critical-increase', d, w, positive, 'a number >= 0'),
      criticalDecrease: numberAt(node, 'critical-decrease', d, w, positive, 'a number >= 0'),
    };
  }
}
