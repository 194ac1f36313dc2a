// The report JSON (report-json output), as the issue specifies it: schema_version, reproducible, score, runs,
// outputs, metrics, environment_diff, findings; plus dvc when dvc: true.
import type { EnvironmentChange } from '../environment/environment-diff.js';
import type { Finding } from '../causes/finding.js';
import type { DvcCheck } from '../dvc/dvc-status.js';

export const REPORT_SCHEMA_VERSION = '1.0';

export type OutputStatus = 'identical' | 'within_tolerance' | 'differs' | 'missing';

export interface RunRecord {
  run: number;
  exit_code: number;
  duration_s: number;
}

export interface OutputResult {
  path: string;
  status: OutputStatus;
  /** sha256 per run, null where the run did not write the file. */
  hashes: (string | null)[];
  sizes: (number | null)[];
  baseline_hash?: string | null;
  /** A short unified diff (text files) between the first two versions that differ. */
  diff?: string;
  binary?: boolean;
}

export interface MetricResult {
  key: string;
  file: string;
  values: (number | null)[];
  baseline_value?: number | null;
  status: OutputStatus;
  abs_diff: number | null;
  rel_diff: number | null;
}

export interface ReproReport {
  schema_version: string;
  reproducible: boolean;
  score: number;
  runs: RunRecord[];
  outputs: OutputResult[];
  metrics: MetricResult[];
  environment_diff: EnvironmentChange[];
  findings: Finding[];
  dvc?: DvcCheck & { status_text: string };
}

export const reproduces = (status: OutputStatus) => status === 'identical' || status === 'within_tolerance';
