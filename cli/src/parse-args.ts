// Turns the command line into what to do: list the actions, describe one, or run one with its inputs resolved
// against action.yml (defaults applied as the runner applies them). Pure: no I/O, errors are UserErrors.
import { UserError } from '#shared/errors.js';
import type { ActionMetadata } from './action-metadata.js';

export type CliCommand =
  /** `mlops-actions --help`, or no arguments at all (then `missingAction` is true and the exit code 1). */
  | { kind: 'list-actions'; missingAction: boolean }
  | { kind: 'action-help'; action: string }
  /** allowPaths: folders besides the current directory that the action may read and write (--allow-path). */
  | { kind: 'run'; action: string; inputs: Record<string, string>; allowPaths: string[] };

/** The CLI's own flag (not an action input): another place the action may read and write, repeatable. */
export const ALLOW_PATH_FLAG = 'allow-path';

interface Flag {
  name: string;
  /** undefined for a bare flag (`--issue-on-drift`), allowed for boolean inputs only. */
  value?: string;
}

const HELP = new Set(['--help', '-h']);

export function parseArgs(
  argv: readonly string[],
  actionNames: readonly string[],
  metadataOf: (action: string) => ActionMetadata,
): CliCommand {
  const [first, ...rest] = argv;
  if (first === undefined) return { kind: 'list-actions', missingAction: true };
  if (HELP.has(first)) return { kind: 'list-actions', missingAction: false };
  if (first.startsWith('-'))
    throw new UserError(`Expected an action name before '${first}'. Usage: mlops-actions <action> --<input> <value> ...`);
  if (!actionNames.includes(first)) throw new UserError(`Unknown action '${first}'. Available actions: ${actionNames.join(', ')}.`);
  if (rest.some((arg) => HELP.has(arg))) return { kind: 'action-help', action: first };
  const metadata = metadataOf(first);
  const flags = splitFlags(rest);
  const allowPaths: string[] = [];
  for (const flag of flags.filter((f) => f.name === ALLOW_PATH_FLAG)) {
    if (!flag.value) throw new UserError(`--${ALLOW_PATH_FLAG} needs a folder: --${ALLOW_PATH_FLAG} <folder>.`);
    allowPaths.push(flag.value);
  }
  const inputs = resolveInputs(
    first,
    flags.filter((f) => f.name !== ALLOW_PATH_FLAG),
    metadata,
  );
  return { kind: 'run', action: first, inputs, allowPaths };
}

function splitFlags(args: readonly string[]): Flag[] {
  const flags: Flag[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--') || arg === '--')
      throw new UserError(`Unexpected argument '${arg}': inputs are given as --<input> <value> or --<input>=<value>.`);
    const equals = arg.indexOf('=');
    if (equals > 0) {
      flags.push({ name: arg.slice(2, equals), value: arg.slice(equals + 1) });
    } else if (i + 1 < args.length && !args[i + 1].startsWith('--')) {
      flags.push({ name: arg.slice(2), value: args[++i] });
    } else {
      flags.push({ name: arg.slice(2) });
    }
  }
  return flags;
}

/** Every declared input gets a value: the flag's, the repeated flags' joined with newlines, or the default. */
function resolveInputs(action: string, flags: readonly Flag[], metadata: ActionMetadata): Record<string, string> {
  const declared = Object.keys(metadata.inputs);
  // The runner reads inputs case-insensitively (INPUT_<NAME>); so does the CLI.
  const canonical = new Map(declared.map((name) => [name.toLowerCase(), name]));
  const given = new Map<string, string[]>();
  for (const flag of flags) {
    const name = canonical.get(flag.name.toLowerCase());
    if (name === undefined)
      throw new UserError(`Unknown input '--${flag.name}' for ${action}. Valid inputs: ${declared.map((n) => `--${n}`).join(', ')}.`);
    let value = flag.value;
    if (value === undefined) {
      if (!isBooleanInput(metadata, name)) throw new UserError(`Input '--${name}' needs a value: --${name} <value> or --${name}=<value>.`);
      value = 'true';
    }
    given.set(name, [...(given.get(name) ?? []), value]);
  }
  const inputs: Record<string, string> = {};
  for (const name of declared) inputs[name] = given.get(name)?.join('\n') ?? metadata.inputs[name].default;
  return inputs;
}

function isBooleanInput(metadata: ActionMetadata, name: string): boolean {
  return ['true', 'false'].includes((metadata.inputs[name].declaredDefault ?? '').toLowerCase());
}
