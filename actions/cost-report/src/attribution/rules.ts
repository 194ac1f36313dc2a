// The attribution rules file: which team, project and model a cost line belongs to, or which shared pool it goes
// to. First matching rule wins; a line no rule matches is unallocated. Overlaps that are not a specific rule
// before a more general one are found as lines are attributed, and reported with the rules' lines.
import { readInputFile } from '../input-files.js';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { DataError } from '#shared/errors.js';
import { compileGlob, type Glob } from './glob.js';
import { LINE_FIELDS, type LineField } from '../sources/cost-batch.js';

export type Dimension = 'team' | 'project' | 'model';
export const DIMENSIONS: readonly Dimension[] = ['team', 'project', 'model'];
export type GroupKey = Record<Dimension, string>;

export type SplitMethod = 'even' | 'proportional' | 'weights';

export interface SharedPool {
  name: string;
  split: SplitMethod;
  /** The dimension shares are computed over: 'group' (each team/project/model group) or one dimension. */
  by: Dimension | 'group';
  /** Only these values of `by` receive a share (default: every one with direct cost). */
  among?: string[];
  /** split: weights: weight per value of `by` (group keys as "team/project/model"). */
  weights?: Record<string, number>;
}

interface Condition {
  field: LineField | 'tag';
  tag?: string;
  /** Any of these matches. */
  patterns: Glob[];
  key: string;
}

export interface Rule {
  index: number;
  line: number;
  name: string;
  conditions: Condition[];
  /** A direct group, or the name of a shared pool. */
  target: { kind: 'group'; group: GroupKey } | { kind: 'shared'; pool: string };
}

export interface RuleSet {
  file?: string;
  rules: Rule[];
  pools: SharedPool[];
  /** Fields any rule reads (the attribution cache key is built from these only). */
  fields: LineField[];
  usesTags: boolean;
}

const ALIASES: Record<string, LineField> = {
  ServiceName: 'service',
  ServiceCategory: 'service-category',
  SubAccountId: 'account',
  'sub-account': 'account',
  SubAccountName: 'account-name',
  ResourceId: 'resource',
  RegionId: 'region',
  ProviderName: 'provider',
  ChargeCategory: 'charge-category',
  runner_labels: 'runner',
  labels: 'runner',
  label: 'runner',
};

export const EMPTY_RULES: RuleSet = { rules: [], pools: [], fields: [], usesTags: false };

export async function loadRules(path: string): Promise<RuleSet> {
  return parseRules(await readInputFile(path, 'attribution'), path);
}

export function parseRules(text: string, file: string): RuleSet {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const lineOf = (node: unknown) => {
    const range = (node as Node | undefined)?.range;
    return range ? counter.linePos(range[0]).line : 1;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new DataError(`not valid YAML: ${e.message.split('\n')[0]}`, { file, line: e.linePos?.[0].line ?? 1 });
  }
  const root = doc.contents;
  if (!isMap(root)) throw new DataError("expected a mapping with 'rules:' (and optionally 'shared:')", { file, line: 1 });
  const rulesNode = root.get('rules', true);
  if (rulesNode !== undefined && !isSeq(rulesNode)) throw new DataError("'rules' must be a list", { file, line: lineOf(rulesNode) });
  const rules: Rule[] = [];
  const fields = new Set<LineField>();
  let usesTags = false;
  for (const item of rulesNode?.items ?? []) {
    const line = lineOf(item);
    const where = { file, line };
    const raw = (item as Node).toJSON?.() as Record<string, unknown> | undefined;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      throw new DataError('a rule must be a mapping with match: and team/project/model or shared:', where);
    const match = raw.match ?? {};
    if (typeof match !== 'object' || match === null || Array.isArray(match))
      throw new DataError("'match' must be a mapping of field to value", where);
    const conditions: Condition[] = [];
    for (const [key, value] of Object.entries(match as Record<string, unknown>)) {
      const values = Array.isArray(value) ? value : [value];
      if (values.length === 0 || values.some((v) => v === null || typeof v === 'object'))
        throw new DataError(`match '${key}' needs a value or a list of values`, where);
      const patterns = values.map((v) => compileGlob(String(v)));
      if (key.startsWith('tag.') && key.length > 4) {
        conditions.push({ field: 'tag', tag: key.slice(4), patterns, key });
        usesTags = true;
        continue;
      }
      const field = (LINE_FIELDS as readonly string[]).includes(key) ? (key as LineField) : ALIASES[key];
      if (!field) throw new DataError(`unknown match field '${key}'. Expected tag.<name> or one of ${LINE_FIELDS.join(', ')}`, where);
      conditions.push({ field, patterns, key });
      fields.add(field);
    }
    const group = {} as GroupKey;
    for (const dim of DIMENSIONS) group[dim] = raw[dim] === undefined || raw[dim] === null ? '' : String(raw[dim]);
    const hasGroup = DIMENSIONS.some((d) => group[d] !== '');
    if (raw.shared !== undefined && hasGroup) throw new DataError('a rule gives either team/project/model or shared:, not both', where);
    if (raw.shared === undefined && !hasGroup) throw new DataError('a rule needs team, project or model (or shared: <pool>)', where);
    if (group.team === 'unallocated')
      throw new DataError("'unallocated' is the report's own line for costs no rule matches; leave such costs unmatched", where);
    const target = raw.shared !== undefined ? { kind: 'shared' as const, pool: String(raw.shared) } : { kind: 'group' as const, group };
    rules.push({ index: rules.length + 1, line, name: raw.name ? String(raw.name) : `rule ${rules.length + 1}`, conditions, target });
  }
  const pools = parsePools(root.get('shared', true), file, lineOf);
  for (const rule of rules) {
    if (rule.target.kind === 'shared' && !pools.some((p) => p.name === (rule.target as { pool: string }).pool)) {
      const pool = rule.target.pool;
      throw new DataError(`shared pool '${pool}' is not defined under 'shared:' (e.g. shared: { ${pool}: { split: proportional } })`, {
        file,
        line: rule.line,
      });
    }
  }
  return { file, rules, pools, fields: [...fields], usesTags };
}

function parsePools(node: unknown, file: string, lineOf: (n: unknown) => number): SharedPool[] {
  if (node === undefined) return [];
  if (!isMap(node)) throw new DataError("'shared' must map pool names to { split, by, among, weights }", { file, line: lineOf(node) });
  return node.items.map((pair) => {
    const name = String((pair.key as Node).toJSON?.() ?? pair.key);
    const where = { file, line: lineOf(pair.key) };
    const raw = ((pair.value as Node | null)?.toJSON?.() ?? {}) as Record<string, unknown>;
    const split = String(raw.split ?? 'proportional');
    if (!['even', 'proportional', 'weights'].includes(split))
      throw new DataError(`shared pool '${name}': split '${split}'. Expected even, proportional or weights`, where);
    const by = String(raw.by ?? 'team');
    if (!['group', 'team', 'project', 'model'].includes(by))
      throw new DataError(`shared pool '${name}': by '${by}'. Expected group, team, project or model`, where);
    const among = raw.among === undefined ? undefined : (Array.isArray(raw.among) ? raw.among : [raw.among]).map(String);
    let weights: Record<string, number> | undefined;
    if (split === 'weights') {
      if (!raw.weights || typeof raw.weights !== 'object')
        throw new DataError(`shared pool '${name}': split: weights needs weights: { <${by}>: <number> }`, where);
      weights = {};
      for (const [k, v] of Object.entries(raw.weights as Record<string, unknown>)) {
        const w = Number(v);
        if (!Number.isFinite(w) || w < 0)
          throw new DataError(`shared pool '${name}': weight of '${k}' is '${String(v)}'. Expected a number >= 0`, where);
        weights[k] = w;
      }
      if (!Object.values(weights).some((w) => w > 0)) throw new DataError(`shared pool '${name}': every weight is 0`, where);
    }
    return { name, split: split as SplitMethod, by: by as SharedPool['by'], among, weights };
  });
}

/** What a rule reads of one cost line. */
export interface LineView {
  field(name: LineField): string | null;
  tags(): Record<string, string> | null;
}

export function ruleMatches(rule: Rule, line: LineView): boolean {
  for (const c of rule.conditions) {
    let value: string | null;
    if (c.field === 'tag') value = line.tags()?.[c.tag!] ?? null;
    else value = line.field(c.field);
    if (value === null) return false;
    // Runner labels: one a line; the condition holds when any label matches.
    const values = c.field === 'runner' ? value.split('\n') : [value];
    if (!values.some((v) => c.patterns.some((p) => p.test(v)))) return false;
  }
  return true;
}

/**
 * Whether a line matching both `first` and `later` is an ambiguous overlap: not when the later rule gives the same
 * target or one the first refines (vision/catalog/resnet before vision), nor when it is strictly more general (its conditions a proper subset of the earlier one's fields), which
 * is the usual "specific rule first, catch-all after" order.
 */
export function isAmbiguousOverlap(first: Rule, later: Rule): boolean {
  if (JSON.stringify(first.target) === JSON.stringify(later.target)) return false;
  // The first rule refines the later one (same team, and more detail): the order is deliberate.
  const a = first.target;
  const b = later.target;
  if (a.kind === 'group' && b.kind === 'group' && DIMENSIONS.every((d) => b.group[d] === '' || b.group[d] === a.group[d])) return false;
  if (later.conditions.length === 0) return false;
  const firstKeys = new Set(first.conditions.map((c) => c.key));
  const laterKeys = later.conditions.map((c) => c.key);
  const strictlyGeneral = laterKeys.every((k) => firstKeys.has(k)) && laterKeys.length < firstKeys.size;
  return !strictlyGeneral;
}
