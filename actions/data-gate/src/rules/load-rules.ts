// Reads the `rules` or `suite` input's file and parses it: a missing or unreadable file names the input.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { checkReadablePath } from '#shared/paths/index.js';
import { InputError, UserError } from '#shared/errors.js';
import { parseGxSuite } from './parse-gx-suite.js';
import { parseRulesFile } from './parse-rules-file.js';
import { MAX_RULES_FILE_BYTES } from './yaml-source-map.js';
import type { RuleSet, UnknownExpectations } from './rule-types.js';

export interface RulesInputs {
  /** Path of a data-gate YAML rules file (input `rules`). */
  rules?: string;
  /** Path of a Great Expectations suite JSON (input `suite`). */
  suite?: string;
  /** Input `unknown-expectations`: `fail` (default) refuses an expectation data-gate cannot run; `warn` skips it. */
  unknownExpectations?: UnknownExpectations;
}

async function readInputFile(input: 'rules' | 'suite', path: string): Promise<string> {
  // Inside the workspace (symlinks followed), and no larger than a rules file needs to be.
  const real = await checkReadablePath(path, `input '${input}'`);
  try {
    const { size } = await stat(real);
    if (size > MAX_RULES_FILE_BYTES) {
      const mb = MAX_RULES_FILE_BYTES / (1024 * 1024);
      throw new UserError(
        `The ${input} file '${shownPath(path)}' (input '${input}') has ${size.toLocaleString('en-US')} bytes; a ${input} file may have at most ${mb} MB.`,
        { file: shownPath(path) },
      );
    }
    return await readFile(real, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new UserError(`Cannot read the ${input} file '${shownPath(path)}' (input '${input}'): ${reason}.`, { file: shownPath(path) });
  }
}

/**
 * How messages, annotations and the result name the file: relative to the workspace, which is the working directory
 * of an action (the CLI's: the current directory), as GitHub's annotations want it; else as given.
 */
function shownPath(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
}

/** Exactly one of `rules` and `suite` must be given (an empty string counts as not given). */
export async function loadRules(inputs: RulesInputs): Promise<RuleSet> {
  const rules = inputs.rules?.trim() || undefined;
  const suite = inputs.suite?.trim() || undefined;
  if (rules && suite) throw new InputError('suite', suite, "either 'rules' or 'suite', not both");
  if (rules)
    return parseRulesFile(await readInputFile('rules', rules), shownPath(rules), { unknownExpectations: inputs.unknownExpectations });
  if (suite)
    return parseGxSuite(await readInputFile('suite', suite), shownPath(suite), { unknownExpectations: inputs.unknownExpectations });
  throw new InputError('rules', '', "a data-gate rules file (input 'rules') or a Great Expectations suite JSON (input 'suite')");
}
