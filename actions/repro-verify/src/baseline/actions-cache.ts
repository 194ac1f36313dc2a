// BaselineCache over @actions/cache: the only file that imports it.
import * as cache from '@actions/cache';
import type { BaselineCache } from './baseline-cache.js';

export function actionsCache(): BaselineCache {
  return {
    available: () => cache.isFeatureAvailable(),
    restore: (paths, primaryKey, restoreKeys) => cache.restoreCache(paths, primaryKey, restoreKeys),
    save: async (paths, key) => {
      await cache.saveCache(paths, key);
    },
  };
}
