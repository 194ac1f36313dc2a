// tag-policy: the labels every resource must carry so its cost can be attributed, checked before it is deployed,
// on Kubernetes manifests (multi-document YAML, rendered Helm/Kustomize output) and Terraform plan JSON
// (`terraform show -json`). A violation names the resource and points at its line.
import { readFile } from 'node:fs/promises';
import { glob } from 'tinyglobby';
import { LineCounter, parseAllDocuments, isMap, type Node } from 'yaml';
import { DataError, UserError } from '#shared/errors.js';
import { checkReadablePath } from '#shared/paths/index.js';

export interface TagViolation {
  file: string;
  line: number;
  resource: string;
  missing: string[];
}

/** Kubernetes kinds whose pods carry the labels OpenCost attributes by: their pod template is checked too. */
const POD_TEMPLATE_PATHS: Record<string, string[][]> = {
  Deployment: [['spec', 'template', 'metadata', 'labels']],
  StatefulSet: [['spec', 'template', 'metadata', 'labels']],
  DaemonSet: [['spec', 'template', 'metadata', 'labels']],
  ReplicaSet: [['spec', 'template', 'metadata', 'labels']],
  Job: [['spec', 'template', 'metadata', 'labels']],
  CronJob: [['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels']],
};

export async function checkTagPolicy(required: string[], patterns: string[]): Promise<{ violations: TagViolation[]; checked: number }> {
  if (patterns.length === 0)
    throw new UserError("tag-policy needs 'manifests': Kubernetes YAML files or Terraform plan JSON (paths or globs).");
  const files = new Set<string>();
  for (const pattern of patterns) {
    const found = /[*?[{]/.test(pattern) ? await glob(pattern, { onlyFiles: true, dot: true, followSymbolicLinks: false }) : [pattern];
    if (found.length === 0) throw new UserError(`input 'manifests': '${pattern}' matches no file.`);
    for (const f of found.sort()) files.add(f);
  }
  const violations: TagViolation[] = [];
  let checked = 0;
  for (const file of files) {
    const real = await checkReadablePath(file, "input 'manifests'");
    let text: string;
    try {
      text = await readFile(real, 'utf8');
    } catch {
      throw new UserError(`input 'manifests': cannot read '${file}'.`, { file });
    }
    const result = /\.json$/i.test(file) ? checkTerraformPlan(text, file, required) : checkManifests(text, file, required);
    violations.push(...result.violations);
    checked += result.checked;
  }
  return { violations, checked };
}

export function checkManifests(text: string, file: string, required: string[]): { violations: TagViolation[]; checked: number } {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter });
  if (!Array.isArray(docs)) return { violations: [], checked: 0 };
  const violations: TagViolation[] = [];
  let checked = 0;
  const lineOf = (node: unknown, fallback: number) => {
    const range = (node as Node | null | undefined)?.range;
    return range ? counter.linePos(range[0]).line : fallback;
  };
  for (const doc of docs) {
    if (doc.errors.length > 0)
      throw new DataError(`not valid YAML: ${doc.errors[0].message.split('\n')[0]}`, { file, line: doc.errors[0].linePos?.[0].line ?? 1 });
    const root = doc.contents;
    if (!isMap(root) || !root.has('kind')) continue;
    const kind = String(root.get('kind'));
    const items = kind === 'List' ? ((root.get('items', true) as { items?: unknown[] } | undefined)?.items ?? []) : [root];
    for (const item of items) {
      if (!isMap(item)) continue;
      const itemKind = String(item.get('kind'));
      const metadata = item.get('metadata', true);
      const name = isMap(metadata) ? String(metadata.get('name') ?? '(unnamed)') : '(unnamed)';
      const start = lineOf(item, 1);
      checked++;
      const check = (path: string[], what: string) => {
        const labels = item.getIn(path, true);
        const present = isMap(labels) ? new Set(labels.items.map((p) => String((p.key as Node)?.toJSON?.() ?? p.key))) : new Set<string>();
        const missing = required.filter((r) => !present.has(r));
        if (missing.length === 0) return;
        // The line of the `labels:` key when there is one, else of the metadata holding none.
        const parent = item.getIn(path.slice(0, -1), true);
        const pair = isMap(parent) ? parent.items.find((p) => String((p.key as Node)?.toJSON?.() ?? p.key) === 'labels') : undefined;
        violations.push({ file, line: lineOf(pair?.key ?? parent, start), resource: `${itemKind}/${name}${what}`, missing });
      };
      check(['metadata', 'labels'], '');
      for (const path of POD_TEMPLATE_PATHS[itemKind] ?? []) check(path, ' (pod template)');
    }
  }
  return { violations, checked };
}

interface PlanChange {
  address?: string;
  mode?: string;
  change?: { actions?: string[]; after?: Record<string, unknown> | null };
}

export function checkTerraformPlan(text: string, file: string, required: string[]): { violations: TagViolation[]; checked: number } {
  let plan: { resource_changes?: PlanChange[] };
  try {
    plan = JSON.parse(text);
  } catch (error) {
    throw new DataError(`not a Terraform plan JSON (terraform show -json): ${(error as Error).message}`, { file, line: 1 });
  }
  if (!Array.isArray(plan?.resource_changes))
    throw new DataError("not a Terraform plan JSON: no 'resource_changes' (make it with terraform show -json plan.out)", { file, line: 1 });
  const violations: TagViolation[] = [];
  let checked = 0;
  for (const rc of plan.resource_changes) {
    const after = rc.change?.after;
    if (rc.mode === 'data' || !after || (rc.change?.actions ?? []).every((a) => a === 'delete' || a === 'no-op' || a === 'read')) continue;
    // Only taggable resources: AWS/Azure tags (tags_all includes the provider's default_tags), GCP labels.
    const tags = (after.tags_all ?? after.tags ?? after.labels) as Record<string, unknown> | null | undefined;
    if (!('tags_all' in after) && !('tags' in after) && !('labels' in after)) continue;
    checked++;
    const missing = required.filter((r) => !(tags && typeof tags === 'object' && r in tags));
    if (missing.length > 0)
      violations.push({
        file,
        line: lineOfText(text, `"address":${JSON.stringify(rc.address)}`) ?? lineOfText(text, JSON.stringify(rc.address)) ?? 1,
        resource: rc.address ?? '(unknown)',
        missing,
      });
  }
  return { violations, checked };
}

function lineOfText(text: string, needle: string): number | undefined {
  let at = text.indexOf(needle);
  if (at < 0) at = text.indexOf(needle.replace(':', ': '));
  if (at < 0) return undefined;
  let line = 1;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
