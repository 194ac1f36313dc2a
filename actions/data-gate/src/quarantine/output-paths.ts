// Checks the quarantine output paths before anything is written: each must be in the input's format (or name no
// known format), the two must differ, and neither may overwrite a data file being read.
import { resolve } from 'node:path';
import { InputError } from '#shared/errors.js';
import type { DataFormat } from '#shared/data/types.js';

const FORMAT_BY_EXTENSION: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
};

const FORMAT_NAMES: Record<DataFormat, string> = { csv: 'CSV', tsv: 'TSV', jsonl: 'JSON Lines', parquet: 'Parquet' };

const EXTENSIONS: Record<DataFormat, string> = { csv: '.csv', tsv: '.tsv', jsonl: '.jsonl', parquet: '.parquet' };

/** The format an output path's extension names (ignoring a trailing .gz), or undefined for any other extension. */
export function formatNamedBy(path: string): DataFormat | undefined {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? FORMAT_BY_EXTENSION[name.slice(dot)] : undefined;
}

/** InputError unless `path` (the value of `input`) suits data in `format` and is not one of the data files. */
export function checkOutputPath(input: string, path: string, format: DataFormat, dataFiles: readonly string[]): void {
  if (path.trim() === '') throw new InputError(input, path, 'a file path');
  const named = formatNamedBy(path);
  if (named !== undefined && named !== format) {
    throw new InputError(
      input,
      path,
      `a ${EXTENSIONS[format]} path (optionally ending in .gz): the data is ${FORMAT_NAMES[format]} and quarantined rows keep the ` +
        `input's format, but this path names a ${FORMAT_NAMES[named]} file`,
    );
  }
  const target = resolve(path);
  if (dataFiles.some((file) => resolve(file) === target)) {
    throw new InputError(input, path, 'a path other than the data files being validated (writing there would overwrite them)');
  }
}

export function formatName(format: DataFormat): string {
  return FORMAT_NAMES[format];
}
