import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';

const repo = process.cwd();
const script = join(repo, 'scripts', 'action-docs.mjs');
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'action-docs-'));
  mkdirSync(join(root, 'actions', 'drift-check'), { recursive: true });
  copyFileSync(join(repo, 'actions', 'drift-check', 'action.yml'), join(root, 'actions', 'drift-check', 'action.yml'));
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name: 'mlops-actions', version: '1.2.0', repository: 'github:acme/mlops-actions' }),
  );
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const docs = (...args: string[]) => spawnSync(process.execPath, [script, '--root', root, ...args], { encoding: 'utf8' });

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

describe('generated action docs', () => {
  it("lists every input and output of drift-check's action.yml with its description, required flag and default", () => {
    expect(docs().status).toBe(0);
    const page = readFileSync(join(root, 'action-docs', 'drift-check.md'), 'utf8');
    const action = loadYaml(readFileSync(join(root, 'actions', 'drift-check', 'action.yml'), 'utf8')) as ActionYml;
    for (const [name, spec] of Object.entries(action.inputs)) {
      const row = page.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row).toBeDefined();
      expect(row).toContain(spec.description.replace(/\|/g, '\\|'));
      expect(row).toContain(spec.required ? '| yes |' : '| no |');
      if (spec.default !== undefined) expect(row).toContain(`\`${spec.default}\``);
    }
    for (const name of Object.keys(action.outputs)) expect(page).toContain(`| \`${name}\` |`);
  });

  it('shows a uses: example with the repository, major version and required inputs', () => {
    docs();
    const page = readFileSync(join(root, 'action-docs', 'drift-check.md'), 'utf8');
    expect(page).toContain('- uses: acme/mlops-actions/actions/drift-check@v1\n  with:\n    reference: <reference>\n');
  });

  it('--check passes on fresh docs and fails once action.yml changes', () => {
    expect(docs('--check').status).toBe(1);
    docs();
    expect(docs('--check').status).toBe(0);
    const yml = join(root, 'actions', 'drift-check', 'action.yml');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace('inputs:\n', 'inputs:\n  sample-size:\n    description: Rows to sample.\n'));
    const stale = docs('--check');
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('action-docs/drift-check.md: out of date with its action.yml');
    expect(stale.stderr).toContain('npm run docs');
  });

  it("renders data-gate's expectations page and rules schema from the catalog, and --check notices a changed catalog", () => {
    const catalog = join('actions', 'data-gate', 'src', 'rules', 'expectation-catalog.json');
    mkdirSync(join(root, 'actions', 'data-gate', 'src', 'rules'), { recursive: true });
    copyFileSync(join(repo, catalog), join(root, catalog));
    expect(docs().status).toBe(0);
    expect(readFileSync(join(root, 'action-docs', 'data-gate-expectations.md'), 'utf8')).toContain(
      '### expect_column_values_to_be_between',
    );
    expect(JSON.parse(readFileSync(join(root, 'actions', 'data-gate', 'rules.schema.json'), 'utf8')).definitions).toHaveProperty(
      'expect_column_values_to_be_between',
    );
    expect(docs('--check').status).toBe(0);
    writeFileSync(join(root, catalog), readFileSync(join(root, catalog), 'utf8').replace('The column to check.', 'The column.'));
    const stale = docs('--check');
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain(`action-docs/data-gate-expectations.md: out of date with ${catalog}`);
    expect(stale.stderr).toContain(`actions/data-gate/rules.schema.json: out of date with ${catalog}`);
  });
});
