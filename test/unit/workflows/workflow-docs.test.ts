// action-docs/workflows/<name>.md: one generated page per reusable workflow, listing every input, secret and output,
// with a `uses:` example; the committed pages equal what the generator writes now (CI's `npm run docs -- --check`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load as loadYaml } from 'js-yaml';

const ROOT = process.cwd();
const REUSABLE = ['ml-pr-checks', 'drift-monitor', 'canary-rollout', 'cost-monthly', 'gpu-benchmark'];
const load = async () => import(pathToFileURL(join(ROOT, 'scripts', 'action-docs.mjs')).href);

describe('reusable workflow pages', () => {
  it.each(REUSABLE)('%s: every input, secret and output is on its page, with a uses: example', async (name) => {
    const { renderWorkflowDoc } = await load();
    const text = readFileSync(join(ROOT, '.github', 'workflows', `${name}.yml`), 'utf8');
    const call = (loadYaml(text) as any).on.workflow_call;
    const page: string = renderWorkflowDoc(`${name}.yml`, text, { slug: 'acme/mlops-actions', ref: 'v1' });
    expect(page).toContain(`    uses: acme/mlops-actions/.github/workflows/${name}.yml@v1\n`);
    for (const [input, spec] of Object.entries<any>(call.inputs ?? {})) {
      const row = page.split('\n').find((line) => line.startsWith(`| \`${input}\` |`));
      expect(row).toBeDefined();
      expect(row).toContain(String(spec.description).replace(/\|/g, '\\|'));
      expect(row).toContain(spec.required ? '| yes |' : '| no |');
    }
    for (const secret of Object.keys(call.secrets ?? {})) expect(page).toContain(`| \`${secret}\` |`);
    for (const output of Object.keys(call.outputs ?? {})) expect(page).toContain(`| \`${output}\` |`);
    // The header comment, with what the calling job must grant, is on the page.
    expect(page).toContain('Grant in the calling job:');
  });

  it('the committed pages are what the generator writes now, and only reusable workflows get one', async () => {
    const { generateDocs } = await load();
    const pages: Map<string, string> = generateDocs(ROOT);
    const workflowPages = [...pages.keys()].filter((file) => file.startsWith(join('action-docs', 'workflows'))).sort();
    expect(workflowPages).toEqual(expect.arrayContaining(REUSABLE.map((name) => join('action-docs', 'workflows', `${name}.md`))));
    expect(workflowPages).not.toContain(join('action-docs', 'workflows', 'release.md'));
    expect(workflowPages).not.toContain(join('action-docs', 'workflows', 'ci.md'));
    for (const file of workflowPages) {
      expect(existsSync(join(ROOT, file))).toBe(true);
      expect([file, readFileSync(join(ROOT, file), 'utf8') === pages.get(file)]).toEqual([file, true]);
    }
    expect(pages.get(join('action-docs', 'ml-gate.md'))).toBe(readFileSync(join(ROOT, 'action-docs', 'ml-gate.md'), 'utf8'));
  });
});
