// The CLI's top level: parse the command line, print help, or run one action's main function with the terminal
// runtime. Returns the exit code instead of exiting, so tests drive it like a user would.
import { join } from 'node:path';
import { isUserError } from '#shared/errors.js';
import { setPathPolicy } from '#shared/paths/index.js';
import { cliRuntime, type TextSink } from '#shared/runtime/cli-runtime.js';
import { runAction } from '#shared/runtime/run-action.js';
import { readActionMetadata, type ActionMetadata } from './action-metadata.js';
import { registeredActions, type RegisteredAction } from './actions.js';
import { actionHelp, actionsHelp } from './help.js';
import { packageRoot } from './package-root.js';
import { parseArgs } from './parse-args.js';

export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  env?: NodeJS.ProcessEnv;
  /** Where actions/<name>/action.yml are found; the package root by default. */
  root?: string;
  /** The actions to offer; those of this package by default. */
  actions?: Readonly<Record<string, RegisteredAction>>;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const root = io.root ?? packageRoot();
  const actions = io.actions ?? registeredActions;
  const names = Object.keys(actions).sort();
  const metadataOf = (name: string): ActionMetadata => readActionMetadata(join(root, actions[name].metadataPath));
  try {
    const command = parseArgs(argv, names, metadataOf);
    if (command.kind === 'list-actions') {
      const listed = names.map((name) => ({ name, description: metadataOf(name).description }));
      (command.missingAction ? io.stderr : io.stdout).write(actionsHelp(listed));
      return command.missingAction ? 1 : 0;
    }
    if (command.kind === 'action-help') {
      io.stdout.write(actionHelp(command.action, metadataOf(command.action)));
      return 0;
    }
    // The CLI's workspace is the current directory: an action reads and writes there, and where --allow-path says.
    setPathPolicy([
      { path: process.cwd(), name: 'the current directory' },
      ...command.allowPaths.map((path) => ({ path, name: `--allow-path` })),
    ]);
    const runtime = cliRuntime({ inputs: command.inputs, stdout: io.stdout, stderr: io.stderr, env: io.env });
    await runAction(actions[command.action].main, runtime);
    return runtime.finish();
  } catch (error) {
    // Only the command line's own mistakes reach here; an action's errors are handled by runAction.
    const message = isUserError(error) ? error.message : `Unexpected error (please report it): ${String(error)}`;
    io.stderr.write(`Error: ${message}\n`);
    return 1;
  }
}
