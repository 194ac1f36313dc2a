// The text of `mlops-actions --help` and `mlops-actions <action> --help`, from each action's action.yml.
import type { ActionMetadata } from './action-metadata.js';

export function actionsHelp(actions: readonly { name: string; description: string }[]): string {
  const width = Math.max(...actions.map((a) => a.name.length));
  return [
    'Usage: mlops-actions <action> --<input> <value> ...',
    '       mlops-actions <action> --help',
    '',
    'Runs a GitHub Action of this repository locally: the same code, with inputs from flags, the summary printed',
    'here and outputs as name=value lines at the end. Repeat a flag to give a list input several values.',
    'Files are read and written only inside the current directory; --allow-path <folder> (repeatable) allows more.',
    '',
    'Actions:',
    ...actions.map((a) => `  ${a.name.padEnd(width)}  ${a.description}`),
    '',
  ].join('\n');
}

export function actionHelp(action: string, metadata: ActionMetadata): string {
  const lines = [`Usage: mlops-actions ${action} --<input> <value> ...`, '', metadata.description, '', 'Inputs:'];
  for (const [name, spec] of Object.entries(metadata.inputs)) {
    const facts = [spec.required ? 'required' : 'optional'];
    if (spec.declaredDefault !== undefined && spec.declaredDefault !== '')
      facts.push(`default: ${spec.declaredDefault}${spec.default === '' ? ' (empty outside GitHub)' : ''}`);
    lines.push(`  --${name}  (${facts.join(', ')})`, ...wrap(spec.description, 6));
  }
  const outputs = Object.entries(metadata.outputs);
  if (outputs.length > 0) {
    lines.push('', 'Outputs (printed as name=value at the end):');
    for (const [name, spec] of outputs) lines.push(`  ${name}`, ...wrap(spec.description, 6));
  }
  return `${lines.join('\n')}\n`;
}

function wrap(text: string, indent: number, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(' '.repeat(indent) + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(' '.repeat(indent) + line);
  return lines;
}
