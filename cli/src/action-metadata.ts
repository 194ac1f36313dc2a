// Reads an action's action.yml into the few fields the CLI needs: its inputs (description, default, required) and
// outputs, so flags, defaults and `--help` come from the same file the GitHub runner reads.
import { readFileSync } from 'node:fs';
import { load as loadYaml } from 'js-yaml';
import { UserError } from '#shared/errors.js';

export interface InputSpec {
  description: string;
  required: boolean;
  /** The default as the runner would pass it; '' when there is none or it is a `${{ }}` expression. */
  default: string;
  /** The default exactly as written in action.yml (shown by --help). */
  declaredDefault?: string;
}

export interface ActionMetadata {
  name: string;
  description: string;
  inputs: Record<string, InputSpec>;
  outputs: Record<string, { description: string }>;
}

export function readActionMetadata(file: string): ActionMetadata {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`Cannot read ${file}: the action's metadata is missing from this installation.`);
  }
  return parseActionMetadata(text, file);
}

export function parseActionMetadata(yamlText: string, file = 'action.yml'): ActionMetadata {
  const doc = loadYaml(yamlText) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') throw new UserError(`${file}: expected a YAML mapping with name, inputs and runs.`);
  const inputs: Record<string, InputSpec> = {};
  for (const [name, raw] of Object.entries(asRecord(doc.inputs))) {
    const spec = asRecord(raw);
    const declared = spec.default === undefined || spec.default === null ? undefined : String(spec.default);
    inputs[name] = {
      description: String(spec.description ?? ''),
      required: spec.required === true || spec.required === 'true',
      default: runnerDefault(declared),
      declaredDefault: declared,
    };
  }
  const outputs: Record<string, { description: string }> = {};
  for (const [name, raw] of Object.entries(asRecord(doc.outputs))) outputs[name] = { description: String(asRecord(raw).description ?? '') };
  return { name: String(doc.name ?? ''), description: String(doc.description ?? ''), inputs, outputs };
}

/** Outside GitHub there is no expression context, so a default such as `${{ github.token }}` becomes ''. */
export function runnerDefault(declared: string | undefined): string {
  if (declared === undefined || declared.includes('${{')) return '';
  return declared;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
