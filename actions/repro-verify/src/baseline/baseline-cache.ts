// The baseline kept in the Actions cache. Cache entries are immutable, so each good run saves under
// `<key>-<run id>-<attempt>` and a later run restores the newest entry whose key starts with `<key>-`
// (restoreKeys prefix matching picks the most recent). The cache itself is behind BaselineCache, a thin adapter over
// @actions/cache (actions-cache.ts), so this logic is tested with a fake.
export interface BaselineCache {
  /** False where no cache service exists (the CLI, a runner without one): restore and save are skipped. */
  available(): boolean;
  /** Restores `paths`; returns the key that matched, or undefined. */
  restore(paths: string[], primaryKey: string, restoreKeys: string[]): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<void>;
}

export interface CacheLog {
  info(message: string): void;
  warning(message: string): void;
}

export function savedKey(key: string, runId: string, attempt: string): string {
  return `${key}-${runId || 'local'}-${attempt || '1'}`;
}

/** Restores the newest baseline saved under `key` into `path`; true when one was found. */
export async function restoreBaseline(cache: BaselineCache, key: string, path: string, log: CacheLog): Promise<boolean> {
  if (!cache.available()) {
    log.warning(`baseline-cache-key '${key}' is set but no Actions cache service is available here; no baseline restored.`);
    return false;
  }
  try {
    // The exact key first (a user who manages keys themselves), then the newest `<key>-...` entry.
    const hit = await cache.restore([path], key, [`${key}-`]);
    if (hit) log.info(`Restored the baseline from the cache (key '${hit}').`);
    else log.info(`No baseline in the cache under '${key}' yet: this run's results become the first one when they reproduce.`);
    return hit !== undefined;
  } catch (error) {
    log.warning(`Could not restore the baseline from the cache: ${(error as Error).message}`);
    return false;
  }
}

/** Saves this run's baseline when it reproduced: a nightly job compares with the last good run. */
export async function saveBaseline(
  cache: BaselineCache,
  key: string,
  path: string,
  ids: { runId: string; attempt: string },
  reproducible: boolean,
  log: CacheLog,
): Promise<string | undefined> {
  if (!reproducible) {
    log.info('The runs did not reproduce: the cached baseline is kept as it was.');
    return undefined;
  }
  if (!cache.available()) return undefined;
  const target = savedKey(key, ids.runId, ids.attempt);
  try {
    await cache.save([path], target);
    log.info(`Saved this run as the baseline (cache key '${target}').`);
    return target;
  } catch (error) {
    log.warning(`Could not save the baseline to the cache: ${(error as Error).message}`);
    return undefined;
  }
}
