// Runs the git CLI without a shell (arguments are never parsed by one) and returns its exit code and output, so
// callers can tell an expected refusal (a rejected push, a missing branch) from a failure.
import { execFile } from 'node:child_process';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitOptions {
  /** Extra environment (author identity); git never prompts, and speaks English so we can read its refusals. */
  env?: Record<string, string>;
  input?: string;
}

export function runGit(cwd: string, args: string[], options: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...options.env },
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        if (error && typeof code !== 'number') {
          reject(new Error(`Could not run git: ${error.message}`));
          return;
        }
        resolve({ code: code as number, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Runs git and throws a GitCommandError (with git's own message) when it fails. */
export async function git(cwd: string, args: string[], options: GitOptions = {}): Promise<string> {
  const result = await runGit(cwd, args, options);
  if (result.code !== 0) {
    throw new GitCommandError(args, result);
  }
  return result.stdout;
}

export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly result: GitResult,
  ) {
    super(`git ${args[0]} failed (exit ${result.code}): ${redactUrlCredentials(result.stderr.trim() || result.stdout.trim())}`);
    this.name = 'GitCommandError';
  }
}

/** Hides `user:token@` in any URL git quotes (a remote configured with credentials in its URL). */
export function redactUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}
