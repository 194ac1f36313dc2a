// One error path for the user's mistakes: a UserError carries a message meant for people (what was wrong, where,
// what was expected); the top-level runner prints it with core.setFailed and no stack trace. Anything else is a bug.

/** Where in a file a problem is, for messages and GitHub annotations. */
export interface FileLocation {
  file: string;
  line?: number;
  column?: string | number;
}

export class UserError extends Error {
  constructor(
    message: string,
    readonly location?: FileLocation,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A wrong action input: names the input, the value and what was expected. */
export class InputError extends UserError {
  constructor(
    readonly input: string,
    readonly value: string,
    readonly expected: string,
  ) {
    super(`Invalid value for input '${input}': '${value}'. Expected ${expected}.`);
    this.name = 'InputError';
  }
}

/** A problem in a data or configuration file: the message begins with file:line. */
export class DataError extends UserError {
  constructor(problem: string, location: FileLocation) {
    super(`${formatLocation(location)}: ${problem}`, location);
    this.name = 'DataError';
  }
}

export function formatLocation(location: FileLocation): string {
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.column !== undefined) text += ` (column '${location.column}')`;
  return text;
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
