// Reads a file named by an input: inside the workspace (symlinks resolved) and with a message naming the input
// when it is missing or unreadable.
import { readFile } from 'node:fs/promises';
import { UserError } from '#shared/errors.js';
import { checkReadablePath } from '#shared/paths/index.js';

export async function readInputFile(path: string, input: string): Promise<string> {
  const real = await checkReadablePath(path, `input '${input}'`);
  try {
    return await readFile(real, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new UserError(`input '${input}': cannot read '${path}': ${why}.`, { file: path });
  }
}
