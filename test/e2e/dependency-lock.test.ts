// dependency-lock as users run it: the built dist/index.js in a child process, as the runner starts it, on a copy
// of the test project, with an offline OSV export and a loopback OSV API.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { startGitHubApiServer } from '../support/github-api-server.js';
import { REPO_ROOT, runBuiltAction } from '../support/run-built-action.js';
import { expectCleanFailure } from '../support/action-assertions.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/dependency-lock');

function newWorkspace(): string {
  const ws = mkdtempSync(join(tmpdir(), 'dl-e2e-'));
  cpSync(join(FIXTURES, 'project'), ws, { recursive: true });
  const osv = join(FIXTURES, 'osv');
  writeFileSync(
    join(ws, 'osv-all.zip'),
    zipSync(Object.fromEntries(readdirSync(osv).map((f) => [f, strToU8(readFileSync(join(osv, f), 'utf8'))]))),
  );
  return ws;
}

const offline = { policy: 'policy.yml', osv: 'offline', 'osv-db': 'osv-all.zip', models: '**/*.pt, **/*.pkl, **/*.safetensors' };

describe('dependency-lock, built', () => {
  test('finds the vulnerabilities, violations and unsafe model of the project, and writes SARIF and SBOM', async () => {
    const ws = newWorkspace();
    const result = await runBuiltAction({ action: 'dependency-lock', inputs: offline, cwd: ws });
    expectCleanFailure(result, /Dependency check failed: 2 vulnerabilities at or above low, 3 policy violations, 1 unsafe model file/);
    expect(result.outputs).toMatchObject({ passed: 'false', vulnerabilities: '2', 'policy-violations': '3', 'unsafe-models': '1' });
    expect(JSON.parse(readFileSync(result.outputs.sarif, 'utf8')).version).toBe('2.1.0');
    expect(JSON.parse(readFileSync(result.outputs.sbom, 'utf8')).specVersion).toBe('1.6');
    expect(existsSync(result.outputs['report-json'])).toBe(true);
    expect(result.summary.trimStart()).toMatch(/^## Dependency lock\n\n🔴 \*\*Dependency check failed\*\*/);
    const lines = result.annotations.filter((a) => a.properties.line).map((a) => `${a.properties.file}:${a.properties.line}`);
    expect(lines).toEqual(
      expect.arrayContaining(['requirements.txt:4', 'requirements.txt:7', 'requirements.txt:8', 'requirements.txt:9', 'policy.yml:16']),
    );
  });

  test('the OSV API on loopback, and severity-threshold: critical with fail-on: never', async () => {
    const ws = newWorkspace();
    const records = Object.fromEntries(
      readdirSync(join(FIXTURES, 'osv')).map((f) => [f.replace(/\.json$/, ''), readFileSync(join(FIXTURES, 'osv', f), 'utf8')]),
    );
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url}`);
        if (req.url === '/v1/querybatch') {
          const { queries } = JSON.parse(body) as { queries: { package: { name: string } }[] };
          const ids: Record<string, string[]> = { requests: ['PYSEC-2023-74'], gradio: ['GHSA-9v2f-6vcg-3hgv'] };
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ results: queries.map((q) => ({ vulns: (ids[q.package.name] ?? []).map((id) => ({ id })) })) }));
        } else res.writeHead(200, { 'content-type': 'application/json' }).end(records[decodeURIComponent(req.url!.split('/').pop()!)]);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await runBuiltAction({
        action: 'dependency-lock',
        inputs: { policy: 'policy.yml', 'osv-url': url, 'severity-threshold': 'critical', 'fail-on': 'never' },
        cwd: ws,
      });
      expect(result.exitCode).toBe(0);
      expect(result.outputs.vulnerabilities).toBe('0');
      expect(seen).toEqual(
        expect.arrayContaining(['POST /v1/querybatch', 'GET /v1/vulns/PYSEC-2023-74', 'GET /v1/vulns/GHSA-9v2f-6vcg-3hgv']),
      );
      expect(result.summary).toContain('PYSEC-2023-74');
    } finally {
      server.close();
    }
  });

  test('a lock that does not parse: file:line, no stack trace, no outputs written', async () => {
    const ws = newWorkspace();
    writeFileSync(join(ws, 'uv.lock'), 'version = 1\n[[package]]\nname = "numpy\n');
    const result = await runBuiltAction({ action: 'dependency-lock', inputs: { ...offline, 'report-dir': 'out' }, cwd: ws });
    expectCleanFailure(result, /^uv\.lock:3: not valid TOML/m);
    expect(existsSync(join(ws, 'out'))).toBe(false);
  });

  test('an unknown manifest format and an OSV export that is not one', async () => {
    const ws = newWorkspace();
    writeFileSync(join(ws, 'setup.cfg'), '[metadata]\n');
    expectCleanFailure(
      await runBuiltAction({ action: 'dependency-lock', inputs: { ...offline, manifests: 'setup.cfg' }, cwd: ws }),
      /Unknown manifest format: '.*setup\.cfg'/,
    );
    writeFileSync(join(ws, 'osv-all.zip'), 'not a zip');
    expectCleanFailure(
      await runBuiltAction({ action: 'dependency-lock', inputs: offline, cwd: ws }),
      /'osv-db': 'osv-all\.zip' is not a zip archive/,
    );
  });

  test('a manifest symlinked to a file outside the workspace is refused', async () => {
    const ws = newWorkspace();
    const outside = mkdtempSync(join(tmpdir(), 'dl-outside-'));
    writeFileSync(join(outside, 'requirements.txt'), 'requests==2.31.0\n');
    symlinkSync(join(outside, 'requirements.txt'), join(ws, 'requirements-extra.txt'));
    const result = await runBuiltAction({ action: 'dependency-lock', inputs: offline, cwd: ws });
    expectCleanFailure(result, /requirements-extra\.txt' \(it resolves to '.*dl-outside-.*requirements\.txt'\) lies outside the workspace/);
  });

  test('on a pull request, two runs upsert one PR comment with the verdict', async () => {
    const api = await startGitHubApiServer();
    try {
      const ws = newWorkspace();
      const event = {
        name: 'pull_request' as const,
        payload: {
          action: 'synchronize',
          number: 21,
          pull_request: { number: 21, head: { sha: '5f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c' }, base: { ref: 'main' } },
          repository: { full_name: 'octo-org/ml-repo', name: 'ml-repo', owner: { login: 'octo-org' } },
        },
      };
      const inputs = { ...offline, 'comment-on-pr': 'update', 'fail-on': 'never' };
      for (let i = 0; i < 2; i++)
        expect((await runBuiltAction({ action: 'dependency-lock', inputs, cwd: ws, event, apiUrl: api.url })).exitCode).toBe(0);
      expect(api.violations).toEqual([]);
      const comments = api.state.comments.filter((c) => c.issueNumber === 21);
      expect(comments).toHaveLength(1);
      expect(comments[0].body).toContain('Dependency check failed');
      expect(comments[0].body).toContain('PYSEC-2023-74');
    } finally {
      await api.close();
    }
  });
});
