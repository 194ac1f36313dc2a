// Whether the step fails, decided from the report and the user's fail-on; the verdict itself never depends on it.
import type { DriftReport } from './drift-report.js';
import type { FailOn } from './inputs.js';

/** Why the step fails, or undefined when it passes. */
export function failureReason(failOn: FailOn, report: Pick<DriftReport, 'dataset_drift' | 'performance'>): string | undefined {
  const dataDrift = report.dataset_drift;
  const performanceDrift = report.performance?.performance_drift ?? false;
  const failing =
    (failOn === 'drift' || failOn === 'any') && dataDrift
      ? 'dataset drift'
      : (failOn === 'performance' || failOn === 'any') && performanceDrift
        ? report.performance?.estimated
          ? 'estimated performance drift (the current data has no labels)'
          : 'performance drift'
        : undefined;
  return failing && `Failing because fail-on is '${failOn}' and there is ${failing}.`;
}
