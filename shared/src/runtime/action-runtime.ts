// What an action's wiring needs from the place it runs: the GitHub runner (github-runtime.ts) or the local CLI
// (cli-runtime.ts). Engines never see this; main.ts translates between it and the engine's typed settings.
import type { FileLocation } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RunContext } from './run-context.js';

export type AnnotationLevel = 'notice' | 'warning' | 'error';

export interface ActionRuntime {
  /** The raw input as the user wrote it (trimmed); '' when absent. */
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  /** Appends markdown meant for people: the job summary on GitHub, the terminal in the CLI. */
  appendSummary(markdown: string): Promise<void>;
  /** Hides a secret (token, webhook URL) from every log line from now on. */
  setSecret(secret: string): void;
  annotate(level: AnnotationLevel, message: string, location?: FileLocation): void;
  /** Uploads files as a workflow artifact; returns its id or undefined where artifacts do not exist (CLI). */
  uploadArtifact(name: string, files: string[], rootDirectory: string): Promise<string | undefined>;
  fail(message: string): void;
  /** Reports progress of a long step (rows read, files scanned); only the CLI shows it, on a terminal. */
  progress?(label: string, done: number, total: number): void;
  logger: Logger;
  context: RunContext;
}
