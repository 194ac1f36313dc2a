// Every mistake in a rules file or suite, reported in one run: each rule is checked on its own and its problem kept,
// so a user fixing a suite sees all of them (each with file:line) instead of one per run.
import { DataError, UserError } from '#shared/errors.js';

/** Several problems in one rules file or suite; the message lists each as "file:line: problem". */
export class ConfigProblems extends UserError {
  constructor(readonly problems: readonly DataError[]) {
    super(
      `${problems.length} problems in ${problems[0].location?.file ?? 'the rules'}:\n${problems.map((p) => `- ${p.message}`).join('\n')}`,
      problems[0].location,
    );
    this.name = 'ConfigProblems';
  }
}

/** Runs `check` on each item, keeping the DataErrors it throws; other errors pass through. */
export function checkEach<T, R>(items: readonly T[], check: (item: T, index: number) => R, problems: DataError[]): (R | undefined)[] {
  return items.map((item, index) => {
    try {
      return check(item, index);
    } catch (error) {
      if (error instanceof ConfigProblems) problems.push(...error.problems);
      else if (error instanceof DataError) problems.push(error);
      else throw error;
      return undefined;
    }
  });
}

/** Throws the problems found: the one DataError itself, or all of them together. */
export function throwProblems(problems: readonly DataError[]): void {
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new ConfigProblems(problems);
}
