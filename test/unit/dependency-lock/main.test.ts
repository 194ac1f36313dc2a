// main.ts driven through a fake ActionRuntime (the wiring the runner and the CLI share), and fail-on for every value.
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { runAction } from '#shared/runtime/run-action.js';
import { dependencyLock } from '../../../actions/dependency-lock/src/main.js';
import { failureReason, FAIL_ON } from '../../../actions/dependency-lock/src/fail-on.js';
import { fakeRuntime } from '../../support/fake-runtime.js';

const F = 'test/fixtures/dependency-lock';

/** The CycloneDX 1.6 JSON schema the library ships (formats not checked: ajv-formats-draft2019 is not installed). */
function validateCycloneDx(bom: unknown) {
  const R = 'node_modules/@cyclonedx/cyclonedx-library/res/schema';
  const dependency = (f: string) => ({ ...JSON.parse(readFileSync(`${R}/${f}`, 'utf8')), $id: undefined });
  const ajv = new Ajv({ strict: false, validateFormats: false });
  ajv.addSchema(dependency('spdx.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json');
  ajv.addSchema(dependency('jsf-0.82.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json');
  const validate = ajv.compile(JSON.parse(readFileSync(`${R}/bom-1.6.SNAPSHOT.schema.json`, 'utf8')));
  validate(bom);
  return validate.errors ?? [];
}

describe('fail-on', () => {
  const clean = { counts: { vulnerabilities: 0, violations: 0, unsafeModels: 0 }, severityThreshold: 'low' as const };
  test.each([
    ['never', { vulnerabilities: 3, violations: 2, unsafeModels: 1 }, undefined],
    ['violation', { vulnerabilities: 0, violations: 0, unsafeModels: 0 }, undefined],
    [
      'violation',
      { vulnerabilities: 1, violations: 0, unsafeModels: 0 },
      "Dependency check failed: 1 vulnerability at or above low (fail-on is 'violation').",
    ],
    [
      'violation',
      { vulnerabilities: 0, violations: 2, unsafeModels: 0 },
      "Dependency check failed: 2 policy violations (fail-on is 'violation').",
    ],
    [
      'violation',
      { vulnerabilities: 0, violations: 0, unsafeModels: 1 },
      "Dependency check failed: 1 unsafe model file (fail-on is 'violation').",
    ],
    [
      'violation',
      { vulnerabilities: 2, violations: 1, unsafeModels: 3 },
      "Dependency check failed: 2 vulnerabilities at or above low, 1 policy violation, 3 unsafe model files (fail-on is 'violation').",
    ],
  ] as const)('%s with %j', (failOn, counts, reason) => {
    expect(failureReason(failOn, { ...clean, counts })).toBe(reason);
  });
  test('every value is tested', () => {
    expect([...FAIL_ON]).toEqual(['never', 'violation']);
  });
});

describe('main', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'dl-main-'));
  cpSync(join(F, 'project'), join(workspace, 'project'), { recursive: true });
  cpSync(join(F, 'osv'), join(workspace, 'osv'), { recursive: true });
  const inputs = {
    path: join(workspace, 'project'),
    policy: join(workspace, 'project/policy.yml'),
    osv: 'offline',
    'osv-db': join(workspace, 'osv'),
    models: '**/*.pt, **/*.pkl, **/*.safetensors',
    'report-dir': join(workspace, 'out'),
  };

  test('outputs, SARIF, SBOM, summary and annotations for the test project', async () => {
    const runtime = fakeRuntime(inputs, { workspace });
    expect(await runAction(dependencyLock, runtime)).toBe(false);
    expect(runtime.failures).toEqual([
      "Dependency check failed: 2 vulnerabilities at or above low, 3 policy violations, 1 unsafe model file (fail-on is 'violation').",
    ]);
    expect(runtime.outputs).toMatchObject({ passed: 'false', vulnerabilities: '2', 'policy-violations': '3', 'unsafe-models': '1' });

    const sarif = JSON.parse(readFileSync(runtime.outputs.sarif, 'utf8'));
    // The SARIF 2.1.0 shape code scanning requires (a subset of the OASIS schema).
    const validate = new Ajv({ strict: false }).compile({
      type: 'object',
      required: ['version', 'runs'],
      properties: {
        version: { const: '2.1.0' },
        runs: {
          type: 'array',
          items: {
            type: 'object',
            required: ['tool', 'results'],
            properties: {
              tool: { type: 'object', required: ['driver'], properties: { driver: { type: 'object', required: ['name', 'rules'] } } },
              results: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['ruleId', 'message', 'locations', 'level'],
                  properties: {
                    level: { enum: ['error', 'warning', 'note', 'none'] },
                    message: { type: 'object', required: ['text'] },
                    locations: { type: 'array', minItems: 1, items: { type: 'object', required: ['physicalLocation'] } },
                  },
                },
              },
            },
          },
        },
      },
    });
    expect(validate(sarif)).toBe(true);
    const results = sarif.runs[0].results as {
      ruleId: string;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
    }[];
    const at = (id: string) =>
      results
        .filter((r) => r.ruleId === id)
        .map(
          (r) =>
            `${r.level} ${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region?.startLine ?? ''}`,
        );
    expect(at('PYSEC-2023-74')).toEqual(['error project/requirements.txt:4']);
    expect(at('GHSA-9v2f-6vcg-3hgv')).toEqual(['note project/requirements.txt:6']);
    expect(at('policy/pin')).toEqual(['error project/requirements.txt:8']);
    expect(at('unsafe-model')).toEqual(['error project/models/malicious11_memo.pkl:']);
    expect(
      sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'GHSA-9v2f-6vcg-3hgv').properties['security-severity'],
    ).toBe('9.8');

    const sbom = JSON.parse(readFileSync(runtime.outputs.sbom, 'utf8'));
    expect(sbom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    expect(validateCycloneDx(sbom)).toEqual([]);
    const numpy = sbom.components.find((c: { purl?: string }) => c.purl === 'pkg:pypi/numpy@1.26.4');
    expect(numpy.hashes).toEqual([{ alg: 'SHA-256', content: '2a02aba9ed12e4ac4eb3ea9421c420301a0c6460d9830d74a9df87efa4912010' }]);
    const models = sbom.components.filter((c: { type: string }) => c.type === 'machine-learning-model');
    expect(models.map((m: { name: string }) => m.name).sort()).toEqual([
      'project/models/malicious11_memo.pkl',
      'project/models/model.pt',
      'project/models/model.safetensors',
    ]);
    expect(models[0].hashes[0]).toMatchObject({ alg: 'SHA-256', content: expect.stringMatching(/^[0-9a-f]{64}$/) });

    expect(runtime.summary.indexOf('Dependency check failed')).toBeLessThan(runtime.summary.indexOf('### Vulnerabilities'));
    expect(runtime.summary).toContain('| requests | 2.30.0 | PYSEC-2023-74 | unknown | 2.31.0 | project/requirements.txt:4 |');
    expect(runtime.summary).toContain('### How to fix');
    expect(runtime.annotations.filter((a) => a.location?.line).map((a) => `${a.location!.file}:${a.location!.line}`)).toEqual(
      expect.arrayContaining(['project/requirements.txt:4', 'project/requirements.txt:8', 'project/policy.yml:16']),
    );
    const report = JSON.parse(readFileSync(runtime.outputs['report-json'], 'utf8'));
    expect(report.violations.find((v: { rule: string }) => v.rule === 'exception-expired').message).toMatch(/certifi/);
  });

  test('fail-on: never passes the step with the same outputs', async () => {
    const runtime = fakeRuntime({ ...inputs, 'fail-on': 'never', 'report-dir': join(workspace, 'out2') }, { workspace });
    expect(await runAction(dependencyLock, runtime)).toBe(true);
    expect(runtime.outputs.passed).toBe('false');
  });

  test('an unreachable OSV API fails clearly, or warns with osv-unavailable: warn', async () => {
    const online = { ...inputs, osv: 'online', 'osv-url': 'http://127.0.0.1:9', 'report-dir': join(workspace, 'out3') };
    const failing = fakeRuntime(online, { workspace });
    expect(await runAction(dependencyLock, failing)).toBe(false);
    expect(failing.failures[0]).toMatch(/^The OSV API at http:\/\/127\.0\.0\.1:9\/ is unavailable: .* Set osv-unavailable: warn/);
    const warning = fakeRuntime({ ...online, 'osv-unavailable': 'warn', 'fail-on': 'never' }, { workspace });
    expect(await runAction(dependencyLock, warning)).toBe(true);
    expect(warning.logs.some((l) => /^warning: The OSV API .* Vulnerabilities were not checked/.test(l))).toBe(true);
    expect(warning.summary).toContain('OSV unavailable');
  }, 60000);

  test('bad inputs name the input and what was expected', async () => {
    const r1 = fakeRuntime({ ...inputs, osv: 'sometimes' }, { workspace });
    await runAction(dependencyLock, r1);
    expect(r1.failures).toEqual(["Invalid value for input 'osv': 'sometimes'. Expected one of 'online', 'offline', 'off'."]);
    const r2 = fakeRuntime({ ...inputs, 'osv-db': '' }, { workspace });
    await runAction(dependencyLock, r2);
    expect(r2.failures[0]).toMatch(/^Invalid value for input 'osv-db': ''\. Expected an OSV export/);
    const r3 = fakeRuntime({ ...inputs, manifests: 'setup.cfg' }, { workspace });
    await runAction(dependencyLock, r3);
    expect(r3.failures[0]).toMatch(/matches no file|Unknown manifest format/);
  });
});

describe('policy over models and vulnerabilities', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'dl-models-'));
  cpSync(join(F, 'models'), join(workspace, 'models'), { recursive: true });
  cpSync(join(F, 'osv'), join(workspace, 'osv'), { recursive: true });
  const run = async (policy: string, extra: Record<string, string> = {}) => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(workspace, 'policy.yml'), policy);
    writeFileSync(join(workspace, 'requirements.txt'), 'requests==2.30.0\n');
    const runtime = fakeRuntime(
      {
        path: workspace,
        policy: join(workspace, 'policy.yml'),
        osv: 'offline',
        'osv-db': join(workspace, 'osv'),
        'report-dir': join(workspace, 'out'),
        'fail-on': 'never',
        ...extra,
      },
      { workspace },
    );
    expect(await runAction(dependencyLock, runtime)).toBe(true);
    return { runtime, report: JSON.parse(readFileSync(runtime.outputs['report-json'], 'utf8')) };
  };
  test('models.unknown: fail makes a file with an unknown callable unsafe; models.allow declares it safe', async () => {
    const pkl = 'models/unsafe/malicious4_requests.pkl';
    const unknown = (await run('models:\n  unknown: fail\n', { models: 'models/safe/*.joblib' })).report;
    expect(unknown.counts.unsafeModels).toBe(0); // joblib's wrapper is known-safe
    const { writeFileSync } = await import('node:fs');
    // An sklearn estimator: neither dangerous nor known-safe.
    writeFileSync(
      join(workspace, 'models/estimator.pkl'),
      Buffer.from('\x80\x02csklearn.linear_model._logistic\nLogisticRegression\n)\x81}b.', 'latin1'),
    );
    const warned = await run('models:\n  unknown: warn\n', { models: 'models/estimator.pkl' });
    expect(warned.report.models[0]).toMatchObject({
      unsafe: false,
      callables: [{ safety: 'unknown', module: 'sklearn.linear_model._logistic' }],
    });
    expect(warned.runtime.summary).toContain('unknown: sklearn.linear_model._logistic.LogisticRegression');
    expect((await run('models:\n  unknown: fail\n', { models: 'models/estimator.pkl' })).report.models[0].unsafe).toBe(true);
    const allowed = await run('models:\n  unknown: fail\n  allow: [sklearn.linear_model._logistic.LogisticRegression]\n', {
      models: 'models/estimator.pkl',
    });
    expect(allowed.report.models[0]).toMatchObject({ unsafe: false, callables: [{ safety: 'safe' }] });
    const accepted = await run(
      `exceptions:\n  - model: ${pkl}\n    reason: "quarantined sample for the scanner's own tests"\n    expires: 2099-01-01\n`,
      { models: pkl },
    );
    expect(accepted.report.models[0]).toMatchObject({ unsafe: true, accepted: { expires: '2099-01-01' } });
    expect(accepted.runtime.outputs['unsafe-models']).toBe('0');
  });
  test('an ignored vulnerability stops counting until its expiry; an expired ignore is a violation', async () => {
    const live = await run(
      'ignore-vulnerabilities:\n  - id: CVE-2023-32681\n    reason: "no proxies in this service"\n    expires: 2099-01-01\n',
    );
    expect(live.runtime.outputs).toMatchObject({ vulnerabilities: '0', 'policy-violations': '0' });
    expect(live.report.vulnerabilities[0]).toMatchObject({ id: 'PYSEC-2023-74', ignored: { reason: 'no proxies in this service' } });
    const expired = await run(
      'ignore-vulnerabilities:\n  - id: PYSEC-2023-74\n    reason: "no proxies in this service"\n    expires: 2020-01-01\n',
    );
    expect(expired.runtime.outputs).toMatchObject({ vulnerabilities: '1', 'policy-violations': '1' });
    expect(expired.report.violations[0]).toMatchObject({ rule: 'exception-expired', location: { file: 'policy.yml', line: 2 } });
  });
});
