import { parseActionMetadata } from '../../../cli/src/action-metadata.js';
import { parseArgs } from '../../../cli/src/parse-args.js';

const metadata = parseActionMetadata(`
name: drift
description: Detects drift.
inputs:
  reference:
    description: Reference data.
    required: true
  columns:
    description: Columns to compare.
  drift-share:
    description: Share of drifted columns.
    default: 0.5
  issue-on-drift:
    description: Open an issue.
    default: 'false'
  github-token:
    description: Token.
    default: \${{ github.token }}
`);
const parse = (...argv: string[]) => parseArgs(argv, ['drift-check', 'data-quality'], () => metadata);

describe('reading the command line', () => {
  it('takes inputs as --name value and --name=value, and fills the rest from action.yml defaults', () => {
    expect(parse('drift-check', '--reference', 'ref.csv', '--drift-share=0.3')).toEqual({
      kind: 'run',
      action: 'drift-check',
      inputs: { reference: 'ref.csv', columns: '', 'drift-share': '0.3', 'issue-on-drift': 'false', 'github-token': '' },
      allowPaths: [],
    });
  });

  it('takes --allow-path (repeatable) as the CLI own flag, not an action input', () => {
    const command = parse('drift-check', '--reference', 'r.csv', '--allow-path', '/data', '--allow-path=/scratch');
    expect(command).toMatchObject({ kind: 'run', allowPaths: ['/data', '/scratch'] });
    expect(command.kind === 'run' && command.inputs['allow-path']).toBeUndefined();
    expect(() => parse('drift-check', '--reference', 'r.csv', '--allow-path')).toThrow('--allow-path needs a folder');
  });

  it('applies a numeric default written without quotes as the runner would, as text', () => {
    const command = parse('drift-check', '--reference', 'r.csv');
    expect(command.kind === 'run' && command.inputs['drift-share']).toBe('0.5');
  });

  it('leaves an expression default such as ${{ github.token }} empty outside GitHub', () => {
    const command = parse('drift-check', '--reference', 'r.csv');
    expect(command.kind === 'run' && command.inputs['github-token']).toBe('');
  });

  it('joins a repeated flag into a newline list, as a list input is written in a workflow', () => {
    const command = parse('drift-check', '--columns', 'age', '--columns=income', '--columns', 'city');
    expect(command.kind === 'run' && command.inputs.columns).toBe('age\nincome\ncity');
  });

  it('keeps values that contain = or start with a single dash', () => {
    const command = parse('drift-check', '--reference=a=b.csv', '--drift-share', '-1');
    expect(command.kind === 'run' && [command.inputs.reference, command.inputs['drift-share']]).toEqual(['a=b.csv', '-1']);
  });

  it('accepts a bare flag as true for a boolean input only', () => {
    const command = parse('drift-check', '--issue-on-drift', '--reference', 'r.csv');
    expect(command.kind === 'run' && command.inputs['issue-on-drift']).toBe('true');
    expect(() => parse('drift-check', '--reference', '--columns', 'a')).toThrow(
      "Input '--reference' needs a value: --reference <value> or --reference=<value>.",
    );
  });

  it('matches input names case-insensitively, as the runner does', () => {
    const command = parse('drift-check', '--Reference', 'r.csv');
    expect(command.kind === 'run' && command.inputs.reference).toBe('r.csv');
  });

  it('refuses an unknown input and lists the valid ones', () => {
    expect(() => parse('drift-check', '--refrence', 'r.csv')).toThrow(
      "Unknown input '--refrence' for drift-check. Valid inputs: --reference, --columns, --drift-share, --issue-on-drift, --github-token.",
    );
  });

  it('refuses an unknown action and lists the available ones', () => {
    expect(() => parse('drfit-check')).toThrow("Unknown action 'drfit-check'. Available actions: drift-check, data-quality.");
  });

  it('refuses a stray positional argument', () => {
    expect(() => parse('drift-check', 'ref.csv')).toThrow("Unexpected argument 'ref.csv'");
  });

  it('answers --help with the list of actions, and <action> --help with that action', () => {
    expect(parse('--help')).toEqual({ kind: 'list-actions', missingAction: false });
    expect(parse()).toEqual({ kind: 'list-actions', missingAction: true });
    expect(parse('drift-check', '--reference', 'r.csv', '--help')).toEqual({ kind: 'action-help', action: 'drift-check' });
    expect(parse('drift-check', '-h')).toEqual({ kind: 'action-help', action: 'drift-check' });
  });
});
