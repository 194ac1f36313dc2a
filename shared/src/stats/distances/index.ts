// Distances between a reference and a current distribution: binned (PSI, KL, Jensen-Shannon, Hellinger, total
// variation) on aligned count or share vectors, and the kernel MMD test on raw numeric samples.
export {
  psi,
  klDivergence,
  relativeEntropy,
  jensenShannonDistance,
  hellingerDistance,
  totalVariationDistance,
} from './binned-distances.js';
export { floorEmptyShares, toShares } from './share-vectors.js';
export { empiricalMmd, medianHeuristicSigma, type MmdOptions, type MmdResult } from './empirical-mmd.js';
export { seededRandom, shuffleInPlace, type RandomSource } from './seeded-random.js';
