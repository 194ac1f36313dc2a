import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules } from '../../../../actions/data-gate/src/rules/load-rules.js';
import { InputError, UserError } from '#shared/errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'load-rules-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loading the rules or suite input', () => {
  it('reads a rules file given as `rules` and a suite given as `suite`', async () => {
    writeFileSync(join(dir, 'rules.yml'), 'version: 1\nrules:\n  - {expectation: column_values_to_not_be_null, column: id}\n');
    writeFileSync(
      join(dir, 'suite.json'),
      JSON.stringify({
        expectation_suite_name: 's',
        expectations: [{ expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'id' } }],
        meta: { great_expectations_version: '0.18.8' },
      }),
    );
    expect((await loadRules({ rules: join(dir, 'rules.yml') })).format).toBe('rules-file');
    expect((await loadRules({ suite: join(dir, 'suite.json'), rules: '' })).format).toBe('gx-suite-0.x');
  });

  it('names the input when its file is missing', async () => {
    const missing = join(dir, 'nope.yml');
    await expect(loadRules({ rules: missing })).rejects.toThrow(
      new UserError(`Cannot read the rules file '${missing}' (input 'rules'): the file does not exist.`),
    );
    await expect(loadRules({ suite: dir })).rejects.toThrow(`Cannot read the suite file '${dir}' (input 'suite'): it is a directory.`);
  });

  it('wants exactly one of rules and suite', async () => {
    await expect(loadRules({})).rejects.toBeInstanceOf(InputError);
    await expect(loadRules({ rules: 'a.yml', suite: 'b.json' })).rejects.toThrow("either 'rules' or 'suite', not both");
  });
});
