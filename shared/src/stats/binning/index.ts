// Bin edges and histogram counts that reproduce numpy, for binned drift statistics (PSI, KL, Jensen-Shannon).
export { quantileEdges, numpyQuantileOfSorted } from './quantile-edges.js';
export { equalWidthEdges, sturgesEdges, sturgesEdgesOfSorted } from './equal-width-edges.js';
export { histogramCounts, binIndex } from './histogram-counts.js';
export { numpyLinspace } from './numpy-linspace.js';
