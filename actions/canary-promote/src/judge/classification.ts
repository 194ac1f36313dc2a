// The words of a judgement, as Kayenta's NetflixACAJudge names them, shared by the classifiers, the scorer and reports.

export type Classification = 'Pass' | 'High' | 'Low' | 'Nodata' | 'NodataFailure' | 'Inconclusive';
/** increase: bad when it goes up (latency, errors); decrease: bad when it goes down (accuracy); either. */
export type Direction = 'increase' | 'decrease' | 'either';
export type NanStrategy = 'remove' | 'replace';

export interface MetricClassification {
  classification: Classification;
  /** A critical metric that failed: the canary is rolled back whatever the score. */
  critical: boolean;
  reason?: string;
}
