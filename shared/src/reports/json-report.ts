// Versioned JSON reports: the machine-readable artifact each action writes, and reads back (a baseline, the history
// dashboard). The schema_version's major number says whether a reader understands a file written by another release.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DataError, UserError } from '../errors.js';

/** Every report carries the version of its schema, "MAJOR.MINOR" or "MAJOR.MINOR.PATCH". */
export interface VersionedReport {
  schema_version: string;
}

const VERSION_PATTERN = /^(\d+)\.(\d+)(?:\.(\d+))?$/;

/**
 * Writes `report` as pretty-printed JSON (2 spaces, trailing newline), creating the folder. Keys keep the order in
 * which the object was built, so reports diff cleanly between runs. JSON has no NaN or Infinity: such numbers are
 * written as null, as JSON.stringify does.
 */
export async function writeJsonReport<T extends VersionedReport>(path: string, report: T): Promise<void> {
  if (!VERSION_PATTERN.test(report.schema_version)) {
    // A bug in the caller, not a user's mistake: the version is a constant in our code.
    throw new Error(`writeJsonReport: schema_version '${report.schema_version}' is not MAJOR.MINOR[.PATCH]`);
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(report, null, 2) + '\n', 'utf8');
}

/**
 * Reads a report written by `writeJsonReport` and checks that its schema's major version is `expectedMajor`.
 * Throws a UserError naming the file when it is missing, is not JSON, has no schema_version, or has another major
 * version. The content is not validated further: pass it to a schema check when the caller needs one.
 */
export async function readJsonReport<T extends VersionedReport = VersionedReport>(path: string, expectedMajor: number): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : (error as Error).message;
    throw new UserError(`Cannot read report '${path}': ${why}.`, { file: path });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DataError(`not a JSON report (${(error as Error).message}).`, { file: path });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DataError('not a JSON report: expected an object with a schema_version.', { file: path });
  }
  const version = (parsed as { schema_version?: unknown }).schema_version;
  const match = typeof version === 'string' ? VERSION_PATTERN.exec(version) : null;
  if (!match) {
    throw new DataError(`report has no valid schema_version (found ${JSON.stringify(version) ?? 'none'}); expected "${expectedMajor}.x".`, {
      file: path,
    });
  }
  const major = Number(match[1]);
  if (major !== expectedMajor) {
    throw new DataError(
      `report schema_version ${version} is not supported: this version of the action reads ${expectedMajor}.x. ` +
        'Regenerate the report with a matching release of the action.',
      { file: path },
    );
  }
  return parsed as T;
}
