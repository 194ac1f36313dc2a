// Checks the quarantine output paths before anything is written: each must be in the input's format (or name no
// known format), the two must differ, and neither may overwrite a data file being read (compared by real path, so
// './q.csv' or a link to a data file is caught too). Where they may be written is checked when they are opened.
import { realpathSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { InputError } from '#shared/errors.js';
import { formatExtension, formatName, formatNamedBy } from '#shared/data/formats.js';
import type { DataFormat } from '#shared/data/types.js';

export { formatName, formatNamedBy };

/** The real path of a file, or of its folder joined with its name when the file does not exist yet. */
function realPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return join(realpathSync(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}

/** InputError unless `path` (the value of `input`) suits data in `format` and is not one of the data files. */
export function checkOutputPath(input: string, path: string, format: DataFormat, dataFiles: readonly string[]): void {
  if (path.trim() === '') throw new InputError(input, path, 'a file path');
  const named = formatNamedBy(path);
  if (named !== undefined && named !== format) {
    throw new InputError(
      input,
      path,
      `a ${formatExtension(format)} path (optionally ending in .gz): the data is ${formatName(format)} and quarantined rows keep the ` +
        `input's format, but this path names a ${formatName(named)} file`,
    );
  }
  const target = realPath(path);
  if (dataFiles.some((file) => realPath(file) === target)) {
    throw new InputError(input, path, 'a path other than the data files being validated (writing there would overwrite them)');
  }
}
