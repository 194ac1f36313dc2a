// Public API of the data readers: open CSV, TSV, JSON Lines or Parquet files (maybe gzipped) as one typed,
// streamed, columnar dataset.
export { batchLocation, datasetColumnNames, openDataset } from './open-dataset.js';
export { inferColumnType } from './type-inference.js';
export { MISSING_TOKENS } from './value-parsers.js';
export { SUPPORTED_EXTENSIONS } from './file-source.js';
export { INVALID_CELL } from './types.js';
export type { BatchLocation, ColumnSchema, ColumnType, ColumnValues, Dataset, InvalidCell, OpenOptions, ReadProgress, RecordBatch, Utf8Column } from './types.js';
