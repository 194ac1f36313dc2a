// Input max-line-mb in both actions: 64 MB unless given, any positive size in MB, and a clear message otherwise.
import { InputError } from '#shared/errors.js';
import { readInputs as dataGateInputs } from '../../../../actions/data-gate/src/inputs.js';
import { readInputs as driftCheckInputs } from '../../../../actions/drift-check/src/inputs.js';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';
const MB = 1024 * 1024;

describe('input max-line-mb', () => {
  test.each([
    ['data-gate', (v: Record<string, string>) => dataGateInputs(reader({ data: 'd.csv', rules: 'r.yml', ...v }))],
    ['drift-check', (v: Record<string, string>) => driftCheckInputs(reader({ reference: 'r.csv', current: 'c.csv', ...v }))],
  ])('%s: 64 MB by default, fractions allowed, zero or words refused', (_name, read) => {
    expect(read({}).maxLineBytes).toBe(64 * MB);
    expect(read({ 'max-line-mb': '8' }).maxLineBytes).toBe(8 * MB);
    expect(read({ 'max-line-mb': '0.5' }).maxLineBytes).toBe(MB / 2);
    expect(() => read({ 'max-line-mb': '0' })).toThrow(InputError);
    expect(() => read({ 'max-line-mb': 'lots' })).toThrow(/Invalid value for input 'max-line-mb': 'lots'/);
  });
});
