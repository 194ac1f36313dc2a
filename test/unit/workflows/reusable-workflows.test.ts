// The reusable workflows and the release workflow: the repository's workflow rules (lint-workflows.mjs) hold, and
// the rules that are specific to each: permissions no wider than the header tells callers to grant, credentials kept
// only where a job pushes, fork code never on a GPU runner, concurrency groups, the release's single writing job.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load as loadYaml } from 'js-yaml';

const ROOT = process.cwd();
const REUSABLE = ['ml-pr-checks', 'drift-monitor', 'canary-rollout', 'cost-monthly', 'gpu-benchmark', 'drift-check'];
const text = (name: string) => readFileSync(join(ROOT, '.github', 'workflows', `${name}.yml`), 'utf8');
const workflow = (name: string) => loadYaml(text(name)) as any;
const jobs = (name: string) => Object.entries<any>(workflow(name).jobs);
// Jobs that push with the checkout's credentials, and why they may.
const PUSHING_JOBS = new Set(['drift-monitor/monitor', 'gpu-benchmark/record', 'release/tag']);
// Jobs that push only when the caller asks for it: credentials kept under exactly this condition.
const PUSHING_WHEN: Record<string, string> = { 'cost-monthly/report': "${{ inputs.history-branch != '' }}" };

/** The permissions the header comment tells the calling job to grant: lines like `#   contents: write   why`. */
function headerGrants(source: string): Map<string, string> {
  const grants = new Map<string, string>();
  for (const line of source.split('\n')) {
    if (!line.startsWith('#')) break;
    const match = /^#\s+([a-z-]+): (read|write)\b/.exec(line);
    if (match) grants.set(match[1], match[2]);
  }
  return grants;
}

describe.each(REUSABLE)('reusable workflow %s', (name) => {
  const doc = workflow(name);

  it('is called with workflow_call and every input has a description or a default', () => {
    const call = doc.on.workflow_call;
    expect(call).toBeDefined();
    for (const [input, spec] of Object.entries<any>(call.inputs ?? {}))
      expect([input, Boolean(spec.description || spec.default !== undefined)]).toEqual([input, true]);
    for (const [secret, spec] of Object.entries<any>(call.secrets ?? {}))
      expect([secret, typeof spec.description]).toEqual([secret, 'string']);
  });

  it('asks in each job for no permission the header does not tell the caller to grant', () => {
    const grants = headerGrants(text(name));
    expect(grants.get('contents')).toBeDefined();
    // A workflow whose header says it asks for none of its own runs with exactly what the caller grants (inherited);
    // every other one declares each job's permissions.
    const inherits = /asks for none of its own/.test(text(name));
    for (const [job, spec] of jobs(name)) {
      expect([job, spec.permissions === undefined]).toEqual([job, inherits]);
      for (const [scope, level] of Object.entries<string>(spec.permissions ?? {})) {
        const granted = grants.get(scope);
        const enough = granted === 'write' || (granted === 'read' && level === 'read') || level === 'none';
        expect([job, scope, level, enough]).toEqual([job, scope, level, true]);
      }
    }
  });

  it('sets a timeout on every job and keeps checkout credentials only where the job pushes', () => {
    for (const [job, spec] of jobs(name)) {
      expect([job, spec['timeout-minutes'] !== undefined]).toEqual([job, true]);
      for (const step of spec.steps ?? []) {
        if (!String(step.uses ?? '').startsWith('actions/checkout@')) continue;
        expect([job, step.with['persist-credentials']]).toEqual([
          job,
          PUSHING_WHEN[`${name}/${job}`] ?? PUSHING_JOBS.has(`${name}/${job}`),
        ]);
      }
    }
  });

  it('references our actions at @v1 and never expands inputs inside a script', () => {
    const source = text(name);
    expect(source).not.toMatch(/mlops-actions\/[^\s]*@main/);
    for (const [, spec] of jobs(name))
      for (const step of spec.steps ?? []) {
        if (String(step.uses ?? '').includes('mlops-actions/mlops-actions/')) expect(step.uses).toMatch(/@v1$/);
        if (typeof step.run === 'string') expect(step.run).not.toMatch(/\$\{\{[^}]*(inputs\.|github\.event\.|github\.head_ref|secrets\.)/);
      }
  });

  it('passes lint-workflows (actionlint and the repository rules)', async () => {
    const lint = await import(pathToFileURL(join(ROOT, 'scripts', 'lint-workflows.mjs')).href);
    const labels = lint.readRunnerLabels(join(ROOT, '.github', 'actionlint.yaml'));
    const findings = await lint.lintFiles([join(ROOT, '.github', 'workflows', `${name}.yml`)], { labels });
    expect(findings.map((f: any) => `${f.line}: ${f.message}`)).toEqual([]);
  });
});

describe('rules specific to one workflow', () => {
  it('ml-pr-checks runs its four checks in parallel and comments once after all of them', () => {
    const doc = workflow('ml-pr-checks');
    const checks = ['data-gate', 'drift', 'dependencies', 'reproducibility'];
    for (const job of checks) expect(doc.jobs[job].needs).toBeUndefined();
    expect(doc.jobs.summary.needs).toEqual(checks);
    expect(doc.jobs.summary.if).toContain('always()');
    expect(doc.jobs['data-gate'].steps[1].with['changed-only']).toBe('${{ inputs.changed-only }}');
    expect(doc.jobs.dependencies.steps.map((s: any) => s.uses)).toContain('github/codeql-action/upload-sarif@v3');
  });

  it('canary-rollout: one rollout per model at a time, each step in the approving environment, rollback on failure', () => {
    const doc = workflow('canary-rollout');
    expect(doc.concurrency).toEqual({ group: 'canary-rollout-${{ inputs.model-name }}', 'cancel-in-progress': false });
    expect(doc.jobs.step.environment).toBe('${{ inputs.environment }}');
    expect(doc.jobs.step.strategy).toMatchObject({ 'max-parallel': 1, 'fail-fast': true });
    expect(doc.jobs.rollback.if).toMatch(/failure\(\)/);
    expect(doc.jobs.rollback.needs).toContain('step');
  });

  it('gpu-benchmark: GPU job on the configurable self-hosted labels, never for forks, never cancelled', () => {
    const doc = workflow('gpu-benchmark');
    const bench = doc.jobs.benchmark;
    expect(bench['runs-on']).toBe('${{ fromJSON(inputs.runner-labels) }}');
    expect(bench.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(bench.if).toContain("github.event_name != 'pull_request'");
    expect(doc.concurrency['cancel-in-progress']).toBe(false);
    expect(bench.permissions).toEqual({ contents: 'read' });
    // Only the job that pushes the history may write, only on a push to the default branch, on a GitHub-hosted runner.
    expect(doc.jobs.record.permissions).toEqual({ contents: 'write' });
    expect(doc.jobs.record.if).toMatch(/github\.event_name == 'push'/);
    expect(doc.jobs.record['runs-on']).toBe('ubuntu-latest');
    for (const [job, spec] of jobs('gpu-benchmark')) if (job !== 'record') expect([job, spec.permissions.contents]).toEqual([job, 'read']);
  });

  it('gpu-benchmark turns latencies into the same percentiles as numpy', () => {
    // The Result step's percentile: linear interpolation between closest ranks (numpy.percentile's default).
    const pct = (values: number[], q: number) => {
      const v = [...values].sort((a, b) => a - b);
      const pos = (v.length - 1) * q;
      const lo = Math.floor(pos);
      const hi = Math.min(lo + 1, v.length - 1);
      return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    };
    expect(text('gpu-benchmark')).toContain('v = sorted(values); pos = (len(v) - 1) * q; lo = int(pos); hi = min(lo + 1, len(v) - 1)');
    // numpy.percentile([1..10], [50, 95, 99]) = 5.5, 9.55, 9.91
    const values = [3, 1, 2, 10, 9, 8, 7, 6, 5, 4];
    expect(pct(values, 0.5)).toBeCloseTo(5.5, 12);
    expect(pct(values, 0.95)).toBeCloseTo(9.55, 12);
    expect(pct(values, 0.99)).toBeCloseTo(9.91, 12);
  });

  it('every reusable workflow is called by the example repository through ./.github/workflows/', () => {
    const callers = ['pr-checks', 'drift-monitor', 'canary-rollout', 'cost-monthly', 'gpu-benchmark'].map((file) =>
      readFileSync(join(ROOT, 'examples', 'ml-repo', '.github', 'workflows', `${file}.yml`), 'utf8'),
    );
    for (const name of REUSABLE.filter((n) => n !== 'drift-check'))
      expect([name, callers.some((source) => source.includes(`uses: ./.github/workflows/${name}.yml`))]).toEqual([name, true]);
  });
});

describe('cost-monthly history', () => {
  const doc = workflow('cost-monthly');
  const steps = doc.jobs.report.steps as any[];

  it('passes history-branch to cost-report, empty (no history) unless the caller gives one', () => {
    expect(doc.on.workflow_call.inputs['history-branch']).toMatchObject({ type: 'string', default: '' });
    const cost = steps.find((s) => String(s.uses).includes('/actions/cost-report@'));
    expect(cost.with['history-branch']).toBe('${{ inputs.history-branch }}');
  });

  it('asks for no permission of its own, so a caller granting contents: read still runs it; the header says when write is needed', () => {
    // GitHub refuses at startup a called workflow asking for more than its caller granted: a contents: write here
    // would break every caller that grants read.
    expect(doc.permissions).toBeUndefined();
    expect(doc.jobs.report.permissions).toBeUndefined();
    expect(text('cost-monthly')).toMatch(/^#\s+contents: read\s+always/m);
    expect(text('cost-monthly')).toMatch(/^#\s+contents: write\s+only with history-branch/m);
    // The example caller grants contents: read only, and uses no history-branch.
    const caller = loadYaml(readFileSync(join(ROOT, 'examples', 'ml-repo', '.github', 'workflows', 'cost-monthly.yml'), 'utf8')) as any;
    expect(caller.jobs.cost.permissions.contents).toBe('read');
    expect(caller.jobs.cost.with['history-branch']).toBeUndefined();
  });
});

describe('release workflow', () => {
  const doc = workflow('release');

  it('runs on semantic version tags only', () => {
    expect(doc.on).toEqual({ push: { tags: ['v*.*.*'] } });
  });

  it('installs, lints, tests and checks dist before anything is tagged', () => {
    const runs = doc.jobs.verify.steps.map((s: any) => s.run ?? s.uses);
    for (const command of ['npm ci', 'npm run lint', 'npm test']) expect(runs).toContain(command);
    expect(runs.some((r: string) => /git diff --exit-code .*actions\/\*\/dist/.test(r))).toBe(true);
    expect(doc.jobs.tag.needs).toBe('verify');
  });

  it('gives contents: write to the tag job only, which moves the major tag', () => {
    expect(doc.permissions).toEqual({ contents: 'read' });
    expect(doc.jobs.verify.permissions).toEqual({ contents: 'read' });
    expect(doc.jobs.tag.permissions).toEqual({ contents: 'write' });
    const script = doc.jobs.tag.steps.map((s: any) => s.run ?? '').join('\n');
    expect(script).toContain('major="${TAG%%.*}"');
    expect(script).toContain('git push --force origin "refs/tags/$major"');
  });

  it('moves v1 for v1.2.3 and leaves it for a pre-release', () => {
    const script = doc.jobs.tag.steps.find((s: any) => s.name === 'Move the major tag').run as string;
    const major = (tag: string) => (tag.includes('-') ? undefined : tag.split('.')[0]);
    expect(major('v1.2.3')).toBe('v1');
    expect(major('v2.0.0-rc.1')).toBeUndefined();
    expect(script).toContain('case "$TAG" in *-*)');
  });
});
