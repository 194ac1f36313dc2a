// A likely cause of nondeterminism found in the sources: advice with its place, ranked by how likely it is to
// explain what the runs showed.
export type FindingRule =
  | 'unseeded-random'
  | 'unseeded-numpy'
  | 'unseeded-torch'
  | 'unseeded-tensorflow'
  | 'unseeded-jax'
  | 'clock-seed'
  | 'cudnn-benchmark'
  | 'no-deterministic-algorithms'
  | 'cublas-workspace'
  | 'dataloader-workers'
  | 'set-iteration'
  | 'timestamp-in-path';

export interface Finding {
  rule: FindingRule;
  /** Relative to the working directory's repository root (the workspace on GitHub). */
  file: string;
  line: number;
  message: string;
  /** 0..1: how likely this explains the observed difference. */
  likelihood: number;
  /** 1 = most likely. */
  rank: number;
}
