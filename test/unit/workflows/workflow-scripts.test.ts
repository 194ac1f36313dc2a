// The inline scripts of canary-rollout.yml (the traffic plan) and ml-pr-checks.yml (the summary comment, an
// actions/github-script body), run as the runner runs them: bash -eo pipefail, and an async function given
// github, context and core.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';

const ROOT = process.cwd();
const workflow = (name: string) => loadYaml(readFileSync(join(ROOT, '.github', 'workflows', `${name}.yml`), 'utf8')) as any;

describe('canary-rollout plan', () => {
  const script = workflow('canary-rollout').jobs.plan.steps[0].run as string;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'canary-plan-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function plan(steps: string) {
    const output = join(dir, 'output');
    writeFileSync(output, '');
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, STEPS: steps, GITHUB_OUTPUT: output },
    });
    const outputs = Object.fromEntries(
      readFileSync(output, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('=')),
    );
    return { code: result.status, stdout: result.stdout, outputs };
  }

  it.each([
    ['10,25,50,100', '[10,25,50]', '100'],
    ['5, 20\n100', '[5,20]', '100'],
    ['1,5,25,50,100', '[1,5,25,50]', '100'],
  ])('steps %p are judged at %s and end at %s', (steps, weights, last) => {
    const result = plan(steps);
    expect(result.code).toBe(0);
    expect(result.outputs).toEqual({ weights, last });
    expect(JSON.parse(result.outputs.weights)).toEqual(expect.any(Array));
  });

  it.each(['ten, twenty', '10,abc,100', '10,150', '', '10,*'])('refuses steps %p in the house message style', (steps) => {
    const result = plan(steps);
    expect(result.code).toBe(1);
    expect(result.outputs).toEqual({});
    expect(result.stdout).toContain(
      `::error::Invalid value for input 'steps': '${steps}'. Expected traffic percentages such as 10,25,50,100.`,
    );
  });
});

describe('ml-pr-checks summary comment', () => {
  const step = workflow('ml-pr-checks').jobs.summary.steps[0];
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  const needs = {
    'data-gate': { result: 'failure', outputs: { passed: 'false', 'failed-rules': '["age in range"]' } },
    drift: { result: 'success', outputs: { 'drift-detected': 'false', 'drift-share': '0.2', 'drifted-columns': '["income"]' } },
    dependencies: { result: 'success', outputs: { passed: 'true', vulnerabilities: '0', 'unsafe-models': '0' } },
    reproducibility: { result: 'skipped', outputs: {} },
  };

  function fakes(existing: { id: number; body: string }[], failWith?: number) {
    const calls: { method: string; args: any }[] = [];
    const warnings: string[] = [];
    let summary = '';
    const guard = (method: string) => async (args: any) => {
      calls.push({ method, args });
      if (failWith) throw Object.assign(new Error('Resource not accessible by integration'), { status: failWith });
      return { data: {} };
    };
    const github = {
      paginate: async (_method: unknown, args: any) => {
        calls.push({ method: 'listComments', args });
        if (failWith) throw Object.assign(new Error('Resource not accessible by integration'), { status: failWith });
        return existing;
      },
      rest: { issues: { listComments: {}, updateComment: guard('updateComment'), createComment: guard('createComment') } },
    };
    const context = {
      serverUrl: 'https://github.com',
      runId: 42,
      repo: { owner: 'octo-org', repo: 'ml-repo' },
      payload: { pull_request: { number: 7 } },
    };
    const core = {
      warning: (message: string) => warnings.push(message),
      summary: {
        addRaw(text: string) {
          summary += text;
          return this;
        },
        write: async () => undefined,
      },
    };
    return { github, context, core, calls, warnings, summary: () => summary };
  }

  async function runScript(f: ReturnType<typeof fakes>) {
    process.env.RESULTS = JSON.stringify(needs);
    try {
      await new AsyncFunction('github', 'context', 'core', step.with.script)(f.github, f.context, f.core);
    } finally {
      delete process.env.RESULTS;
    }
  }

  it('gets the jobs through env, never pasted into the script', () => {
    expect(step.env.RESULTS).toBe('${{ toJSON(needs) }}');
    expect(step.with.script).not.toContain('${{');
  });

  it('creates one comment linking each result to the run', async () => {
    const f = fakes([]);
    await runScript(f);
    const created = f.calls.find((c) => c.method === 'createComment')!;
    expect(created.args).toMatchObject({ owner: 'octo-org', repo: 'ml-repo', issue_number: 7 });
    const body: string = created.args.body;
    expect(body.startsWith('<!-- mlops-actions:ml-pr-checks -->')).toBe(true);
    expect(body).toContain(
      '| [Data quality (data-gate)](https://github.com/octo-org/ml-repo/actions/runs/42) | ❌ failure | passed: false; failed rules: ["age in range"] |',
    );
    expect(body).toContain(
      '| [Drift (drift-check)](https://github.com/octo-org/ml-repo/actions/runs/42) | ✅ success | drift detected: false; share: 0.2; columns: ["income"] |',
    );
    expect(body).toContain('⚪ skipped | reproducible: ?; score: ? |');
    expect(f.summary()).toBe(body);
  });

  it('updates its own comment instead of adding another', async () => {
    const f = fakes([
      { id: 1, body: 'someone else' },
      { id: 2, body: '<!-- mlops-actions:ml-pr-checks -->\nold' },
    ]);
    await runScript(f);
    expect(f.calls.map((c) => c.method)).toEqual(['listComments', 'updateComment']);
    expect(f.calls[1].args.comment_id).toBe(2);
  });

  it("warns instead of failing when the token may not comment (a fork's pull request)", async () => {
    const f = fakes([], 403);
    await runScript(f);
    expect(f.warnings).toEqual([expect.stringContaining('The summary comment was skipped')]);
    expect(f.summary()).toContain('### ML checks');
  });
});
