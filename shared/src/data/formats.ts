// The one table of data file formats: which extension names which format, how a format is named to people and
// which extension its files are written with. Readers (formatOf) and writers (data-gate's quarantine) both use it.
import { DataError } from '../errors.js';
import type { DataFormat } from './types.js';

interface FormatInfo {
  /** Extensions read as this format; the first is the one written. */
  extensions: readonly string[];
  name: string;
}

export const DATA_FORMATS: Readonly<Record<DataFormat, FormatInfo>> = {
  csv: { extensions: ['.csv'], name: 'CSV' },
  tsv: { extensions: ['.tsv'], name: 'TSV' },
  jsonl: { extensions: ['.jsonl', '.ndjson'], name: 'JSON Lines' },
  parquet: { extensions: ['.parquet'], name: 'Parquet' },
};

const BY_EXTENSION = new Map<string, DataFormat>(
  (Object.keys(DATA_FORMATS) as DataFormat[]).flatMap((format) => DATA_FORMATS[format].extensions.map((ext) => [ext, format] as const)),
);

export const SUPPORTED_EXTENSIONS: readonly string[] = [...BY_EXTENSION.keys()];

/** The format a path's extension names (case-insensitive, ignoring a trailing .gz), or undefined. */
export function formatNamedBy(path: string): DataFormat | undefined {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? BY_EXTENSION.get(name.slice(dot)) : undefined;
}

/** The format by extension, ignoring a trailing .gz; DataError for any other extension. */
export function formatOf(file: string): DataFormat {
  const format = formatNamedBy(file);
  if (!format) throw new DataError(`unsupported file type. Expected one of ${SUPPORTED_EXTENSIONS.join(', ')} (optionally .gz).`, { file });
  return format;
}

/** "CSV", "JSON Lines", ... */
export function formatName(format: DataFormat): string {
  return DATA_FORMATS[format].name;
}

/** The extension a file of this format is written with (".jsonl" for JSON Lines). */
export function formatExtension(format: DataFormat): string {
  return DATA_FORMATS[format].extensions[0];
}
