// Deterministic canary and baseline samples for tests, examples and the benchmark's small sibling: latency
// (log-normal ms), a 0/1 error column and a 0/1 correct-prediction column, written as CSV.
import { writeFileSync } from 'node:fs';
import { seededRandom } from '#shared/stats/distances/seeded-random.js';

export interface ArmShape {
  rows: number;
  latencyMs: number;
  errorRate: number;
  accuracy: number;
}

export function writeArmCsv(path: string, shape: ArmShape, seed: number): void {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(random() + 1e-300)) * Math.cos(2 * Math.PI * random());
  const lines = ['latency_ms,error,correct'];
  for (let i = 0; i < shape.rows; i++) {
    const latency = shape.latencyMs * Math.exp(0.25 * normal());
    lines.push(`${latency.toFixed(3)},${random() < shape.errorRate ? 1 : 0},${random() < shape.accuracy ? 1 : 0}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

export const METRICS_YAML = `# model server canary metrics
metrics:
  - name: latency
    column: latency_ms
    direction: increase
    critical: true
    effect-size:
      allowed-increase: 1.05
      critical-increase: 1.2
  - name: errors
    kind: rate
    column: error
    direction: increase
  - name: accuracy
    kind: rate
    column: correct
    direction: decrease
`;

export const KSERVE_YAML = (weight: number) => `# fraud model, managed by canary-promote
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: fraud-detector
spec:
  predictor:
    canaryTrafficPercent: ${weight}   # the canary's share of requests
    model:
      modelFormat:
        name: sklearn
      storageUri: "s3://models/fraud/v2"
`;
