// The performance section of the report when the current data has no labels (its target column absent, or present
// and entirely missing): realised metrics are left empty and the CBPE estimates, with their bands, stand in.
import type { PerformanceReport } from '../../drift-report.js';
import type { PerformanceAccumulator } from '../../profile/performance-accumulator.js';
import { estimatePerformance } from './cbpe.js';

/** Whether the current side's performance has to be estimated: scores kept, but no label anywhere. */
export function needsEstimate(current: PerformanceAccumulator): boolean {
  return current.scoreBins !== undefined && !current.hasLabels;
}

export function estimatedPerformanceReport(
  reference: PerformanceAccumulator,
  current: PerformanceAccumulator,
  tolerance: number,
): PerformanceReport {
  const report: PerformanceReport = {
    task: 'classification',
    target: reference.columns.target,
    prediction: reference.columns.prediction,
    tolerance,
    performance_drift: false,
    metrics: [],
  };
  if (!reference.scoreBins || !reference.hasLabels) {
    report.estimated_unavailable = 'the reference has no labels to calibrate the scores on';
    return report;
  }
  const estimate = estimatePerformance(reference.scoreBins, current.scoreBins!, reference.metrics(), tolerance);
  if ('unavailable' in estimate) report.estimated_unavailable = estimate.unavailable;
  else {
    report.estimated = estimate;
    report.performance_drift = estimate.metrics.some((m) => m.degraded);
  }
  return report;
}
