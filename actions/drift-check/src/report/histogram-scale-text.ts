// What a numerical chart says about its bins: the axis label names the scale (pooled quantiles, equal widths, log),
// and the caption explains how to read it and, where log was asked for and not drawn, why.
import type { ColumnDistribution } from '../drift-report.js';

export function binsAxisLabel(d: ColumnDistribution): string {
  const bins = d.labels.length - 1;
  if (d.binning === 'pooled-quantiles') return `${bins} bins at the pooled quantiles (equal width drawn, not to scale)`;
  if (d.binning === 'log') return `log scale: ${bins} bins evenly spaced in log10 (drawn to scale)`;
  return `linear scale: ${bins} equal-width bins`;
}

export function binsCaption(d: ColumnDistribution): string {
  const bins = d.labels.length - 1;
  const lead =
    d.binning === 'pooled-quantiles'
      ? `Bin edges are quantiles of the reference and current rows together, so each bin holds about 1/${bins} of all rows: ` +
        'where one outline rises above the other, that side has more of its rows in that range.'
      : d.binning === 'log'
        ? 'Log scale: bin edges are evenly spaced in log10 from the smallest to the largest value, so each bin spans the same ' +
          'ratio and a tail over several decades spreads over several bins.'
        : 'Equal-width bins between the smallest and largest value.';
  return d.scale_note ? `${lead} Note: ${d.scale_note}, so pooled quantiles are drawn instead.` : lead;
}
