// Reads and sets the canary's traffic share in Kubernetes manifests: KServe InferenceService
// spec.predictor.canaryTrafficPercent, Istio VirtualService route weights (canary and baseline summing to 100), Argo
// Rollouts' setWeight step held before the first indefinite pause (earlier steps capped at it). Values are replaced in the file's text at the parsed node's position, so comments,
// quoting, indentation and every other byte outside the changed numbers stay as they were.
import { parseAllDocuments, isMap, isSeq, isScalar, LineCounter, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { DataError } from '#shared/errors.js';

export type ManifestKind = 'kserve' | 'istio' | 'argo-rollouts';

export interface TrafficManifest {
  path: string;
  kind: ManifestKind;
  resource: string;
  currentWeight: number;
  /** The file's text as read. */
  text: string;
  /** Returns the whole file's text with the canary at `weight` percent (the baseline at the rest). */
  withWeight(weight: number): string;
}

interface Slot {
  start: number;
  end: number;
  /** The value written for a canary weight w. */
  value: (w: number) => number;
}

export function parseTrafficManifest(path: string, text: string, canaryVersion?: string): TrafficManifest {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines }) as Document.Parsed[];
  if (!Array.isArray(docs)) throw new DataError('is not valid YAML', { file: path });
  const lineOf = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : undefined);
  const fail = (problem: string, node?: Node | null): never => {
    throw new DataError(problem, { file: path, line: lineOf(node) });
  };
  for (const doc of docs) {
    if (doc.errors.length > 0)
      throw new DataError(`is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`, {
        file: path,
        line: lines.linePos(doc.errors[0].pos[0]).line,
      });
  }
  for (const doc of docs) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    const kind = String(root.get('kind') ?? '');
    const apiVersion = String(root.get('apiVersion') ?? '');
    const name = String((root.getIn(['metadata', 'name']) as string | undefined) ?? '?');
    if (kind === 'InferenceService' && apiVersion.startsWith('serving.kserve.io/')) {
      const node = root.getIn(['spec', 'predictor', 'canaryTrafficPercent'], true) as Node | undefined;
      if (node === undefined)
        fail(`InferenceService '${name}' lacks spec.predictor.canaryTrafficPercent (the canary's traffic share)`, root);
      const current = weightOf(node!, 'canaryTrafficPercent');
      return manifest('kserve', `InferenceService/${name}`, current, [slot(node!, (w) => w)]);
    }
    if (kind === 'VirtualService' && apiVersion.startsWith('networking.istio.io/')) {
      const http = root.getIn(['spec', 'http'], true) as YAMLSeq | undefined;
      if (!isSeq(http)) return fail(`VirtualService '${name}' lacks spec.http routes`, root);
      const slots: Slot[] = [];
      let current: number | undefined;
      for (const entry of http.items as YAMLMap[]) {
        const route = isMap(entry) ? (entry.get('route', true) as YAMLSeq | undefined) : undefined;
        if (!isSeq(route)) continue;
        const routes = route.items as YAMLMap[];
        const canaryIndex = routes.findIndex((r) => isCanaryRoute(r, canaryVersion));
        // a route sending some requests (a header match) wholly to one destination is not part of the split
        if (canaryIndex < 0 || routes.length === 1) continue;
        if (routes.length !== 2)
          fail(
            `VirtualService '${name}': a route with the canary must have two destinations (baseline and canary), found ${routes.length}`,
            route,
          );
        const weights = routes.map((r) => {
          const w = r.get('weight', true) as Node | undefined;
          if (w === undefined) return fail(`VirtualService '${name}': a destination has no weight`, r);
          return { node: w, value: weightOf(w, 'weight') };
        });
        const sum = weights[0].value + weights[1].value;
        if (sum !== 100) fail(`VirtualService '${name}': route weights add up to ${sum}, not 100`, route);
        const canaryWeight = weights[canaryIndex].value;
        if (current !== undefined && current !== canaryWeight)
          fail(`VirtualService '${name}': the canary has weight ${canaryWeight} here and ${current} in another route`, route);
        current = canaryWeight;
        slots.push(
          slot(weights[canaryIndex].node, (w) => w),
          slot(weights[1 - canaryIndex].node, (w) => 100 - w),
        );
      }
      if (current === undefined)
        fail(
          `VirtualService '${name}' has no route to the canary (a destination whose subset is 'canary'${canaryVersion ? ` or '${canaryVersion}'` : ''})`,
          root,
        );
      return manifest('istio', `VirtualService/${name}`, current!, slots);
    }
    if (kind === 'Rollout' && apiVersion.startsWith('argoproj.io/')) {
      // Argo's controller walks spec.strategy.canary.steps in order and stops at a `pause` without a duration until
      // it is promoted (argoproj.github.io/argo-rollouts/features/canary). The weight the rollout holds there, the
      // one this action gates, is the last setWeight before that pause (the first setWeight when no step waits
      // indefinitely). Earlier setWeight steps are capped at the new weight so the walk to the hold never sends the
      // canary more traffic than was decided; steps after the hold are left as the user wrote them.
      const steps = root.getIn(['spec', 'strategy', 'canary', 'steps'], true) as YAMLSeq | undefined;
      const items = isSeq(steps) ? (steps.items as unknown[]) : [];
      const weighted = items.flatMap((s, index) =>
        isMap(s) && s.has('setWeight') ? [{ index, node: s.get('setWeight', true) as Node }] : [],
      );
      if (weighted.length === 0) return fail(`Rollout '${name}' has no spec.strategy.canary.steps entry with setWeight`, root);
      const holdAt = items.findIndex((s) => isMap(s) && s.has('pause') && waitsIndefinitely(s.get('pause', true)));
      const before = holdAt < 0 ? [] : weighted.filter((w) => w.index < holdAt);
      const held = before.length > 0 ? before[before.length - 1] : weighted[0];
      const current = weightOf(held.node, 'setWeight');
      const earlier = weighted.filter((w) => w.index < held.index);
      return manifest('argo-rollouts', `Rollout/${name}`, current, [
        slot(held.node, (w) => w),
        ...earlier.map((e) => {
          const original = weightOf(e.node, 'setWeight');
          return slot(e.node, (w) => Math.min(original, w));
        }),
      ]);
    }
  }
  return fail('has no KServe InferenceService, Istio VirtualService or Argo Rollouts Rollout with a traffic field');

  function weightOf(node: Node, field: string): number {
    const v = isScalar(node) ? Number(node.value) : NaN;
    if (!Number.isInteger(v) || v < 0 || v > 100)
      fail(`${field} is ${JSON.stringify(isScalar(node) ? node.value : '(not a number)')}. Expected a whole percentage 0-100`, node);
    return v;
  }
  function slot(node: Node, value: (w: number) => number): Slot {
    const [start, end] = node.range!;
    return { start, end, value };
  }
  function manifest(kind: ManifestKind, resource: string, currentWeight: number, slots: Slot[]): TrafficManifest {
    return {
      path,
      kind,
      resource,
      currentWeight,
      text,
      withWeight(weight: number) {
        let out = '';
        let at = 0;
        for (const s of [...slots].sort((a, b) => a.start - b.start)) {
          out += text.slice(at, s.start) + String(s.value(weight));
          at = s.end;
        }
        return out + text.slice(at);
      },
    };
  }
}

/** `pause: {}` (or an empty pause) waits for promotion; `pause: {duration: 10m}` resumes by itself. */
function waitsIndefinitely(pause: unknown): boolean {
  if (pause === null || (isScalar(pause) && (pause.value === null || pause.value === ''))) return true;
  return isMap(pause) && !pause.has('duration');
}

function isCanaryRoute(route: YAMLMap, canaryVersion?: string): boolean {
  if (!isMap(route)) return false;
  const subset = String(route.getIn(['destination', 'subset']) ?? '');
  const host = String(route.getIn(['destination', 'host']) ?? '');
  if (subset === 'canary') return true;
  return !!canaryVersion && (subset === canaryVersion || host.split('.')[0].endsWith(canaryVersion));
}
