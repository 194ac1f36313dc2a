// Installed Python packages from `pip list --format=json` or `conda list --json`, names normalised as PEP 503 does
// so that `Torch` and `torch`, `scikit_learn` and `scikit-learn` are one package in a diff.
import type { PackageVersion } from './manifest.js';

export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function parseJsonArray(text: string, what: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${what} did not print JSON`);
  }
  if (!Array.isArray(parsed)) throw new Error(`${what} did not print a JSON list`);
  return parsed;
}

export function parsePipList(text: string): PackageVersion[] {
  return parseJsonArray(text, 'pip list --format=json')
    .filter((p): p is { name: string; version: string } => typeof (p as any)?.name === 'string' && typeof (p as any)?.version === 'string')
    .map((p) => ({ name: normalizePackageName(p.name), version: p.version, source: 'pip' }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function parseCondaList(text: string): PackageVersion[] {
  return parseJsonArray(text, 'conda list --json')
    .filter(
      (p): p is { name: string; version: string; channel?: string } =>
        typeof (p as any)?.name === 'string' && typeof (p as any)?.version === 'string',
    )
    .map((p) => ({ name: normalizePackageName(p.name), version: p.version, source: p.channel ?? 'conda' }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
