// The package's root folder, where actions/<name>/action.yml live. Both this source file (cli/src/) and the ncc
// bundle (cli/dist/index.js) sit two folders below it.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}
