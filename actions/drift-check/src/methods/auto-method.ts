// `method: auto`, as Evidently documents its defaults: small references (<= 1000 rows) get statistical tests,
// larger ones distances, since with many rows every test flags tiny, harmless shifts.
import type { MethodName } from './method-catalog.js';

export const AUTO_SMALL_REFERENCE_ROWS = 1000;

export function autoMethod(kind: 'numerical' | 'categorical', referenceRows: number, categoryCount: number): MethodName {
  const small = referenceRows <= AUTO_SMALL_REFERENCE_ROWS;
  if (kind === 'numerical') return small ? 'ks' : 'wasserstein';
  if (!small) return 'jensenshannon';
  return categoryCount <= 2 ? 'z' : 'chisquare';
}
