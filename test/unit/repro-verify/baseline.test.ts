// The baseline file (versioned, newer majors refused) and the Actions-cache logic, with a fake cache that behaves
// as @actions/cache documents: immutable keys, restoreKeys matched by prefix, newest entry first.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { baselineFiles, buildBaseline, parseBaseline } from '../../../actions/repro-verify/src/baseline/baseline-file.js';
import { restoreBaseline, saveBaseline, type BaselineCache } from '../../../actions/repro-verify/src/baseline/baseline-cache.js';
import type { EnvironmentManifest } from '../../../actions/repro-verify/src/environment/manifest.js';

const manifest = { schema_version: '1.0' } as EnvironmentManifest;

describe('the baseline file', () => {
  test('round-trips outputs and metrics', () => {
    const files = {
      outputs: new Map([['model.bin', { hash: 'ab'.repeat(32), size: 3 }]]),
      metrics: new Map([['m.json', new Map([['eval.acc', 0.9]])]]),
    };
    const doc = parseBaseline(JSON.stringify(buildBaseline(manifest, files, new Date('2026-01-01T00:00:00Z'))), 'b.json');
    expect(doc.created_at).toBe('2026-01-01T00:00:00.000Z');
    expect(baselineFiles(doc)).toEqual(files);
  });

  test('a newer major schema (of the file or its manifest) is refused; a newer minor is read', () => {
    const doc = (v: string, m = '1.0') =>
      JSON.stringify({ schema_version: v, kind: 'repro-verify-baseline', manifest: { schema_version: m }, outputs: [], metrics: [] });
    expect(() => parseBaseline(doc('2.0'), 'b.json')).toThrow(
      /^b\.json: the baseline has schema_version 2\.0 \(manifest 1\.0\), newer than this action reads \(1\.0\)\. Update repro-verify/,
    );
    expect(() => parseBaseline(doc('1.0', '3.1'), 'b.json')).toThrow(/newer than this action reads/);
    expect(parseBaseline(doc('1.7'), 'b.json').schema_version).toBe('1.7');
  });

  test('not JSON, or not a baseline', () => {
    expect(() => parseBaseline('{', 'b.json')).toThrow(/^b\.json: the baseline is not valid JSON/);
    expect(() => parseBaseline('{"schema_version": "1.0"}', 'b.json')).toThrow(/not a repro-verify baseline/);
  });
});

/** A fake of the Actions cache: entries by key, saved in order; keys immutable as the service makes them. */
class FakeCache implements BaselineCache {
  entries: { key: string; content: string }[] = [];
  constructor(private readonly up = true) {}
  available() {
    return this.up;
  }
  async restore(paths: string[], primaryKey: string, restoreKeys: string[]) {
    const exact = this.entries.find((e) => e.key === primaryKey);
    const prefixed = [...this.entries].reverse().find((e) => restoreKeys.some((k) => e.key.startsWith(k)));
    const hit = exact ?? prefixed;
    if (!hit) return undefined;
    mkdirSync(dirname(paths[0]), { recursive: true });
    writeFileSync(paths[0], hit.content);
    return hit.key;
  }
  async save(paths: string[], key: string) {
    if (this.entries.some((e) => e.key === key))
      throw new Error(`Unable to reserve cache with key ${key}, another job may be creating this cache.`);
    this.entries.push({ key, content: readFileSync(paths[0], 'utf8') });
  }
}

describe('the baseline in the Actions cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'repro-cache-'));
  const file = join(dir, 'baseline.json');
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(m), warning: (m: string) => logs.push(`warning: ${m}`) };

  test('the nightly job restores the newest good run and saves under a new key each time', async () => {
    const cache = new FakeCache();
    expect(await restoreBaseline(cache, 'nightly-train', file, log)).toBe(false);
    writeFileSync(file, 'night 1');
    expect(await saveBaseline(cache, 'nightly-train', file, { runId: '101', attempt: '1' }, true, log)).toBe('nightly-train-101-1');
    writeFileSync(file, 'night 2');
    expect(await saveBaseline(cache, 'nightly-train', file, { runId: '102', attempt: '1' }, true, log)).toBe('nightly-train-102-1');
    writeFileSync(file, 'night 3, did not reproduce');
    expect(await saveBaseline(cache, 'nightly-train', file, { runId: '103', attempt: '1' }, false, log)).toBeUndefined();
    expect(await restoreBaseline(cache, 'nightly-train', file, log)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('night 2');
    expect(logs).toContain("Restored the baseline from the cache (key 'nightly-train-102-1').");
  });

  test('a re-run attempt does not collide with the first attempt', async () => {
    const cache = new FakeCache();
    writeFileSync(file, 'x');
    await saveBaseline(cache, 'k', file, { runId: '7', attempt: '1' }, true, log);
    expect(await saveBaseline(cache, 'k', file, { runId: '7', attempt: '2' }, true, log)).toBe('k-7-2');
  });

  test('no cache service: a warning, no baseline, no failure', async () => {
    const cache = new FakeCache(false);
    expect(await restoreBaseline(cache, 'k', file, log)).toBe(false);
    expect(logs.at(-1)).toMatch(/^warning: baseline-cache-key 'k' is set but no Actions cache service is available here/);
    expect(await saveBaseline(cache, 'k', file, { runId: '1', attempt: '1' }, true, log)).toBeUndefined();
  });

  test('a failing cache is a warning', async () => {
    const cache = new FakeCache();
    cache.restore = async () => {
      throw new Error('Cache service responded with 503');
    };
    expect(await restoreBaseline(cache, 'k', file, log)).toBe(false);
    expect(logs.at(-1)).toBe('warning: Could not restore the baseline from the cache: Cache service responded with 503');
  });
});
