// Model performance metrics as mergeable accumulators: add batches, merge shards, save and restore their state.
export { ClassificationAccumulator, type ClassificationMetrics, type ClassificationState } from './classification-accumulator.js';
export { RocAucAccumulator, type RocAucState } from './roc-auc-accumulator.js';
export { RegressionAccumulator, type RegressionMetrics, type RegressionState } from './regression-accumulator.js';
