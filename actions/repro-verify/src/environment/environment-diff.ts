// What changed between the baseline's environment and this run's, stated the way a person would say it:
// "torch 2.4.0 -> 2.5.0", "CUDA 12.1 -> 12.4", "PYTHONHASHSEED unset -> 0".
import type { EnvironmentManifest } from './manifest.js';

export type EnvironmentChangeKind =
  'package' | 'gpu' | 'driver' | 'cuda' | 'container' | 'python' | 'determinism_env' | 'os' | 'cpu' | 'node' | 'input' | 'git';

export interface EnvironmentChange {
  kind: EnvironmentChangeKind;
  name: string;
  change: 'added' | 'removed' | 'changed';
  before: string | null;
  after: string | null;
  /** The sentence for people. */
  text: string;
}

function change(
  kind: EnvironmentChangeKind,
  name: string,
  before: string | null,
  after: string | null,
  label = name,
): EnvironmentChange | undefined {
  if (before === after) return undefined;
  if (before === null) return { kind, name, change: 'added', before, after, text: `${label} added: ${after}` };
  if (after === null) return { kind, name, change: 'removed', before, after, text: `${label} removed (was ${before})` };
  return { kind, name, change: 'changed', before, after, text: `${label} ${before} -> ${after}` };
}

/** The image as precisely as it was recorded: registry digest, else local image id, else the reference. */
const containerImage = (m: EnvironmentManifest) =>
  m.container?.detected ? (m.container.image_digest ?? m.container.image_id ?? m.container.image ?? 'unknown image') : null;

const gpuNames = (m: EnvironmentManifest) => (m.gpu ? m.gpu.devices.map((d) => d.name).join(', ') : null);

export function diffEnvironments(baseline: EnvironmentManifest, current: EnvironmentManifest): EnvironmentChange[] {
  const changes: (EnvironmentChange | undefined)[] = [];
  // Hardware and drivers first: they explain GPU numeric differences before any package does.
  changes.push(change('gpu', 'gpu', gpuNames(baseline), gpuNames(current), 'GPU'));
  changes.push(change('driver', 'driver', baseline.gpu?.driver_version ?? null, current.gpu?.driver_version ?? null, 'NVIDIA driver'));
  changes.push(change('cuda', 'cuda', baseline.gpu?.cuda_version ?? null, current.gpu?.cuda_version ?? null, 'CUDA'));
  changes.push(change('container', 'container', containerImage(baseline), containerImage(current), 'container image'));
  changes.push(change('python', 'python', baseline.python.version, current.python.version, 'Python'));

  const before = new Map(baseline.python.packages.map((p) => [p.name, p.version]));
  const after = new Map(current.python.packages.map((p) => [p.name, p.version]));
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(name) ?? null;
    const a = after.get(name) ?? null;
    if (b === a) continue;
    if (b === null) changes.push({ kind: 'package', name, change: 'added', before: b, after: a, text: `package added: ${name} ${a}` });
    else if (a === null)
      changes.push({ kind: 'package', name, change: 'removed', before: b, after: a, text: `package removed: ${name} ${b}` });
    else changes.push({ kind: 'package', name, change: 'changed', before: b, after: a, text: `${name} ${b} -> ${a}` });
  }

  for (const name of [...new Set([...Object.keys(baseline.determinism_env), ...Object.keys(current.determinism_env)])].sort()) {
    const b = baseline.determinism_env[name] ?? null;
    const a = current.determinism_env[name] ?? null;
    if (b !== a)
      changes.push({
        kind: 'determinism_env',
        name,
        change: b === null ? 'added' : a === null ? 'removed' : 'changed',
        before: b,
        after: a,
        text: `${name} ${b ?? 'unset'} -> ${a ?? 'unset'}`,
      });
  }
  for (const name of [...new Set([...Object.keys(baseline.inputs), ...Object.keys(current.inputs)])].sort())
    changes.push(
      change('input', name, baseline.inputs[name]?.slice(0, 12) ?? null, current.inputs[name]?.slice(0, 12) ?? null, `input ${name}`),
    );
  changes.push(change('os', 'os', `${baseline.os.platform} ${baseline.os.release}`, `${current.os.platform} ${current.os.release}`, 'OS'));
  changes.push(change('cpu', 'cpu', `${baseline.cpu.model} x${baseline.cpu.count}`, `${current.cpu.model} x${current.cpu.count}`, 'CPU'));
  changes.push(change('node', 'node', baseline.node, current.node, 'Node'));
  changes.push(change('git', 'commit', baseline.git?.commit?.slice(0, 12) ?? null, current.git?.commit?.slice(0, 12) ?? null, 'commit'));
  return changes.filter((c): c is EnvironmentChange => c !== undefined);
}
