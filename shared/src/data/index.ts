// Public API of the data readers: open CSV, TSV, JSON Lines or Parquet files (maybe gzipped) as one typed,
// streamed, columnar dataset.
export { batchLocation, datasetColumnNames, openDataset } from './open-dataset.js';
export { inferColumnType } from './type-inference.js';
export { MISSING_TOKENS } from './value-parsers.js';
export { DATA_FORMATS, formatExtension, formatName, formatNamedBy, formatOf, SUPPORTED_EXTENSIONS } from './formats.js';
export { DEFAULT_MAX_LINE_BYTES } from './file-source.js';
export { nameList, quote, quoteList, QUOTE_MAX } from './quote.js';
export { INVALID_CELL } from './types.js';
export type { RecordSpans } from './record-spans.js';
export type {
  BatchLocation,
  DataWarning,
  ColumnSchema,
  ColumnType,
  ColumnValues,
  Dataset,
  InvalidCell,
  OpenOptions,
  ReadProgress,
  RecordBatch,
  Utf8Column,
} from './types.js';
