// The baseline JSON out of a downloaded artifact zip, in memory (nothing is extracted to disk). Every entry name is
// checked first: an absolute path, a drive letter, a `..` segment or a backslash refuses the whole archive, since
// a tool that does extract it would write outside its folder. Only the chosen entry is inflated (fflate), and only
// when its declared size is within the limit; the inflated length is checked against it again.
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { DataError } from '#shared/errors.js';

export const BASELINE_FILE_NAME = 'repro-baseline.json';

export function isSafeEntryName(name: string): boolean {
  return !(name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\') || name.split('/').includes('..') || name.includes('\0'));
}

/**
 * Picks the baseline among the entries: `repro-baseline.json` (at any depth, the shallowest first), else the only
 * .json file. The report artifact repro-verify uploads holds it too, beside the report and the manifest.
 */
export function pickBaselineEntry(names: string[], where: string): string {
  const files = names.filter((n) => !n.endsWith('/'));
  const named = files.filter((n) => n.split('/').pop() === BASELINE_FILE_NAME).sort((a, b) => a.split('/').length - b.split('/').length);
  if (named.length) return named[0];
  const json = files.filter((n) => n.endsWith('.json'));
  if (json.length === 1) return json[0];
  throw new DataError(
    json.length
      ? `${where} holds ${json.length} JSON files (${json.slice(0, 5).join(', ')}) and none named ${BASELINE_FILE_NAME}: upload the baseline file alone, or under that name`
      : `${where} holds no JSON file (${files.length} entries): upload the file that save-baseline wrote (${BASELINE_FILE_NAME})`,
    { file: where },
  );
}

export function readBaselineEntry(zip: Uint8Array, where: string, maxBytes: number): { entry: string; text: string } {
  const entries: UnzipFileInfo[] = [];
  try {
    // First pass lists without inflating anything (the filter refuses every entry).
    unzipSync(zip, {
      filter: (file) => {
        entries.push(file);
        return false;
      },
    });
  } catch (error) {
    throw new DataError(`${where} is not a readable zip archive (${(error as Error).message})`, { file: where });
  }
  const unsafe = entries.find((e) => !isSafeEntryName(e.name));
  if (unsafe) throw new DataError(`${where} holds an entry with an unsafe path ('${unsafe.name}'): refused`, { file: where });
  const entry = pickBaselineEntry(
    entries.map((e) => e.name),
    where,
  );
  const info = entries.find((e) => e.name === entry)!;
  if (info.originalSize > maxBytes)
    throw new DataError(`${where}: ${entry} is ${info.originalSize} bytes, more than the ${maxBytes} bytes allowed for a baseline`, {
      file: where,
    });
  let data: Uint8Array | undefined;
  try {
    data = unzipSync(zip, { filter: (file) => file.name === entry })[entry];
  } catch (error) {
    throw new DataError(`${where}: ${entry} could not be inflated (${(error as Error).message})`, { file: where });
  }
  if (!data || data.length > maxBytes) throw new DataError(`${where}: ${entry} inflates past its declared size`, { file: where });
  return { entry, text: new TextDecoder().decode(data) };
}
