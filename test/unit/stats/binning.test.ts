// Bin edges and counts must equal numpy's, so that binned drift scores agree with Evidently's.
import { readFileSync } from 'node:fs';
import { equalWidthEdges, histogramCounts, quantileEdges, sturgesEdges, sturgesEdgesOfSorted } from '#shared/stats/binning/index.js';

interface BinningFixture {
  quantile: { name: string; reference: number[]; bins: number; edges: (number | string)[] }[];
  equalWidth: { name: string; min: number; max: number; bins: number; edges: number[] }[];
  sturges: { name: string; min: number; max: number; count: number; edges: number[] }[];
  histogram: { name: string; values: (number | string)[]; edges: number[]; counts: number[] }[];
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/stats/distances/binning.json', import.meta.url), 'utf8')) as BinningFixture;
const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v));

describe('quantile bin edges from the reference sample', () => {
  it.each(fixture.quantile.map((c) => [`${c.name}, ${c.bins} bins`, c] as const))('match numpy quantiles: %s', (_, c) => {
    const sorted = Float64Array.from(c.reference).sort();
    // -0 and 0 tie in numpy's sort but not in JavaScript's, so compare them as equal edges
    const zeroSigned = (x: number): number => x + 0;
    expect(Array.from(quantileEdges(sorted, c.bins), zeroSigned)).toEqual(c.edges.map(num).map(zeroSigned));
  });

  it('puts current values beyond the reference range into the outer bins', () => {
    const edges = quantileEdges(Float64Array.of(1, 2, 3, 4, 5), 4);
    expect(Array.from(histogramCounts(Float64Array.of(-100, 100), edges))).toEqual([1, 0, 0, 1]);
  });

  it('rejects an empty reference', () => {
    expect(() => quantileEdges(new Float64Array(0), 10)).toThrow(/non-empty reference/);
  });
});

describe('equal-width bin edges over both samples', () => {
  it.each(fixture.equalWidth.map((c) => [`${c.name}, ${c.bins} bins`, c] as const))('match np.histogram_bin_edges: %s', (_, c) => {
    expect(Array.from(equalWidthEdges(c.min, c.max, c.bins))).toEqual(c.edges);
  });

  it.each(fixture.sturges.map((c) => [c.name, c] as const))("match numpy's 'sturges' rule: %s", (_, c) => {
    expect(Array.from(sturgesEdges(c.min, c.max, c.count))).toEqual(c.edges);
  });

  it('derive Sturges edges from the sorted combined sample', () => {
    const c = fixture.sturges[0];
    const values = Float64Array.from({ length: c.count }, (_, i) => c.min + ((c.max - c.min) * i) / (c.count - 1));
    expect(Array.from(sturgesEdgesOfSorted(values))).toEqual(c.edges);
  });

  it('rejects an impossible range', () => {
    expect(() => equalWidthEdges(2, 1, 5)).toThrow(/larger than maximum/);
    expect(() => equalWidthEdges(0, Infinity, 5)).toThrow(/not finite/);
  });
});

describe('histogram counts', () => {
  it.each(fixture.histogram.map((c) => [c.name, c] as const))('match np.histogram: %s', (_, c) => {
    expect(Array.from(histogramCounts(c.values.map(num), Float64Array.from(c.edges)))).toEqual(c.counts);
  });
});
