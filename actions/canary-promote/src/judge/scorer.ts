// Kayenta's WeightedSumScorer and ThresholdScoreClassifier, reimplemented: each group scores the share of its
// Pass metrics among its Pass/High/Low ones (x100; a group without any is "no data" and adds nothing); the summary
// is the sum of group scores times their weights / 100, groups without a configured weight sharing what is left of
// 100 equally; any critical failure makes the score 0. score >= pass: Pass; >= marginal: Marginal; else Fail.
// Kayenta's ScorerSuite is reproduced in test/unit/canary-promote/judge/scorer.test.ts.
import type { Classification } from './classification.js';

export interface ScoredMetric {
  name: string;
  classification: Classification;
  /** Failed critically (see MetricClassification.critical). */
  critical: boolean;
  groups: string[];
  /** Kayenta's report-only metrics are shown but not scored. */
  reportOnly?: boolean;
}

export interface GroupScore {
  name: string;
  score: number;
  noData: boolean;
  counts: Partial<Record<Classification, number>>;
}

export interface ScoreResult {
  score: number;
  groups: GroupScore[];
  criticalFailures: string[];
}

export type ScoreClass = 'Pass' | 'Marginal' | 'Fail';

export function scoreMetrics(metrics: ScoredMetric[], groupWeights: Record<string, number>): ScoreResult {
  const byGroup = new Map<string, Classification[]>();
  for (const m of metrics) {
    if (m.reportOnly) continue;
    for (const g of m.groups) {
      if (!byGroup.has(g)) byGroup.set(g, []);
      byGroup.get(g)!.push(m.classification);
    }
  }
  const groups: GroupScore[] = [...byGroup].map(([name, labels]) => {
    const counts: Partial<Record<Classification, number>> = {};
    for (const l of labels) counts[l] = (counts[l] ?? 0) + 1;
    const pass = counts.Pass ?? 0;
    const scored = pass + (counts.High ?? 0) + (counts.Low ?? 0);
    return { name, score: scored === 0 ? 0 : (pass / scored) * 100, noData: scored === 0, counts };
  });
  const weighted = Object.keys(groupWeights);
  const weightSum = Object.values(groupWeights).reduce((a, b) => a + b, 0);
  const unweighted = groups.filter((g) => !weighted.includes(g.name));
  const shared = unweighted.length > 0 ? (100 - weightSum) / unweighted.length : 0;
  let score = 0;
  for (const g of groups) if (!g.noData) score += g.score * ((groupWeights[g.name] ?? shared) / 100);
  const criticalFailures = metrics.filter((m) => m.critical && m.classification !== 'Pass').map((m) => m.name);
  return { score: criticalFailures.length > 0 ? 0 : score, groups, criticalFailures };
}

export function classifyScore(score: number, thresholds: { pass: number; marginal: number }): ScoreClass {
  if (score >= thresholds.pass) return 'Pass';
  if (score >= thresholds.marginal) return 'Marginal';
  return 'Fail';
}
