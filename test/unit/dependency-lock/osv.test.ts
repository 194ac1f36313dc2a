// OSV: CVSS v3 scores from vectors (reference values from FIRST's calculator examples), PEP 440 range evaluation
// on real OSV records (ossf/osv-schema testdata) and written ones, the offline all.zip / folder, and the online API
// against a loopback server that answers as api.osv.dev documents (querybatch, then vulns/{id}).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { RecordingLogger } from '#shared/logger.js';
import { affects, type OsvRecord } from '../../../actions/dependency-lock/src/osv/affected.js';
import { cvss3BaseScore, recordSeverity } from '../../../actions/dependency-lock/src/osv/cvss.js';
import { loadOfflineDatabase } from '../../../actions/dependency-lock/src/osv/offline-db.js';
import { OsvUnavailable, queryOsv } from '../../../actions/dependency-lock/src/osv/osv-api.js';

const OSV = 'test/fixtures/dependency-lock/osv';
const record = (id: string) => JSON.parse(readFileSync(join(OSV, `${id}.json`), 'utf8')) as OsvRecord;

describe('CVSS v3 base scores', () => {
  test.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:L', 5.0],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L', 1.6],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
  ])('%s = %d', (vector, score) => {
    expect(cvss3BaseScore(vector)).toBe(score);
  });
  test('not a v3 vector', () => {
    expect(cvss3BaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P')).toBeUndefined();
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L')).toBeUndefined();
  });
  test("a record's severity: its highest CVSS score, else the database label", () => {
    expect(recordSeverity(record('GHSA-9v2f-6vcg-3hgv'))).toEqual({
      level: 'critical',
      score: 9.8,
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    });
    expect(recordSeverity({ id: 'x', database_specific: { severity: 'MODERATE' } })).toEqual({ level: 'medium' });
    expect(recordSeverity({ id: 'x' })).toEqual({ level: 'unknown' });
  });
});

describe('affected ranges (PEP 440)', () => {
  test('PYSEC-2023-74: requests from 2.3.0, fixed in 2.31.0', () => {
    const r = record('PYSEC-2023-74');
    expect(affects(r, 'requests', '2.30.0')).toEqual({ affected: true, fixed: '2.31.0' });
    expect(affects(r, 'requests', '2.31.0').affected).toBe(false);
    expect(affects(r, 'requests', '2.2.1').affected).toBe(false);
  });
  test('names compare PEP 503 normalised (Products.PluggableAuthService)', () => {
    expect(affects(record('GHSA-p44j-xrqg-4xrr'), 'products-pluggableauthservice', '2.6.0')).toEqual({ affected: true, fixed: '2.6.1' });
  });
  test('the versions list alone (GHSA-9v2f-6vcg-3hgv, gradio 4.36.1)', () => {
    expect(affects(record('GHSA-9v2f-6vcg-3hgv'), 'gradio', '4.36.1').affected).toBe(true);
    expect(affects(record('GHSA-9v2f-6vcg-3hgv'), 'gradio', '4.37.0').affected).toBe(false);
  });
  test('last_affected, several introduced/fixed pairs, pre-releases and withdrawn records', () => {
    expect(affects(record('TEST-2026-0001'), 'numpy', '1.26.3').affected).toBe(true);
    expect(affects(record('TEST-2026-0001'), 'numpy', '1.26.4').affected).toBe(false);
    expect(affects(record('TEST-2026-0001'), 'numpy', '1.19.5').affected).toBe(false);
    expect(affects(record('TEST-2026-0002'), 'urllib3', '1.26.17')).toEqual({ affected: true, fixed: '1.26.18' });
    expect(affects(record('TEST-2026-0002'), 'urllib3', '1.26.18').affected).toBe(false);
    expect(affects(record('TEST-2026-0002'), 'urllib3', '2.0.7rc1')).toEqual({ affected: true, fixed: '2.0.7' });
    expect(affects(record('TEST-2026-0003'), 'requests', '2.30.0').affected).toBe(false);
  });
});

describe('offline database', () => {
  const wanted = new Set(['requests', 'gradio', 'numpy']);
  test("a folder of OSV JSON records, only the lock's packages kept", async () => {
    const db = await loadOfflineDatabase(OSV, 'osv', wanted, true);
    expect([...db.keys()].sort()).toEqual(['gradio', 'numpy', 'requests']);
    expect(
      db
        .get('requests')!
        .map((r) => r.id)
        .sort(),
    ).toEqual(['PYSEC-2023-74', 'TEST-2026-0003']);
  });
  test('all.zip streamed entry by entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osv-zip-'));
    const files = Object.fromEntries(readdirSync(OSV).map((f) => [f, strToU8(readFileSync(join(OSV, f), 'utf8'))]));
    writeFileSync(join(dir, 'all.zip'), zipSync(files, { level: 6 }));
    const db = await loadOfflineDatabase(join(dir, 'all.zip'), 'all.zip', wanted, false);
    expect(db.get('gradio')!.map((r) => r.id)).toEqual(['GHSA-9v2f-6vcg-3hgv']);
    writeFileSync(join(dir, 'bad.zip'), 'not a zip at all');
    await expect(loadOfflineDatabase(join(dir, 'bad.zip'), 'bad.zip', wanted, false)).rejects.toThrow(/'bad\.zip' is not a zip archive/);
    writeFileSync(join(dir, 'empty.zip'), zipSync({ 'README.txt': strToU8('x') }));
    await expect(loadOfflineDatabase(join(dir, 'empty.zip'), 'empty.zip', wanted, false)).rejects.toThrow(/holds no OSV JSON records/);
  });
  test('a record that is not JSON names its file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osv-dir-'));
    writeFileSync(join(dir, 'X-1.json'), '{ nope');
    await expect(loadOfflineDatabase(dir, 'db', wanted, true)).rejects.toThrow(/^db\/X-1\.json:1: not a JSON OSV record/);
  });
});

describe('online API (loopback server)', () => {
  let server: Server;
  let url: string;
  let failuresLeft = 0;
  const requests: string[] = [];
  beforeAll(async () => {
    const records = Object.fromEntries(
      readdirSync(OSV).map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(OSV, f), 'utf8')) as OsvRecord]),
    );
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push(`${req.method} ${req.url}`);
        if (failuresLeft > 0) {
          failuresLeft--;
          res.writeHead(503).end('try later');
          return;
        }
        if (req.method === 'POST' && req.url === '/v1/querybatch') {
          const { queries } = JSON.parse(body) as { queries: { package: { name: string; ecosystem: string }; version: string }[] };
          // As the API does: the ids (and modified) of records affecting each query, in order.
          const results = queries.map((q) => ({
            vulns: Object.values(records)
              .filter((r) => affects(r, q.package.name.toLowerCase(), q.version).affected)
              .map((r) => ({ id: r.id, modified: r.modified })),
          }));
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
        } else if (req.method === 'GET' && req.url?.startsWith('/v1/vulns/')) {
          const r = records[decodeURIComponent(req.url.slice('/v1/vulns/'.length))];
          if (!r) res.writeHead(404).end('{"code":5,"message":"Bug not found."}');
          else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(r));
        } else res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  const queries = [
    { key: 'requests', name: 'requests', version: '2.30.0' },
    { key: 'gradio', name: 'gradio', version: '4.36.1' },
    { key: 'numpy', name: 'numpy', version: '2.0.0' },
  ];
  test('querybatch, then each vulnerability by id, after retrying a 503', async () => {
    requests.length = 0;
    failuresLeft = 1;
    const byKey = await queryOsv(queries, { baseUrl: url, logger: new RecordingLogger(), retryDelayMs: 1 });
    expect(byKey.get('requests')!.map((r) => r.id)).toEqual(['PYSEC-2023-74']);
    expect(byKey.get('gradio')!.map((r) => r.severity?.[0]?.score)).toEqual(['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']);
    expect(byKey.has('numpy')).toBe(false);
    expect(requests.slice(0, 2)).toEqual(['POST /v1/querybatch', 'POST /v1/querybatch']);
    expect(requests.slice(2).sort()).toEqual(['GET /v1/vulns/GHSA-9v2f-6vcg-3hgv', 'GET /v1/vulns/PYSEC-2023-74']);
  });
  test('a server that keeps failing is OsvUnavailable after the retries', async () => {
    failuresLeft = 100;
    await expect(queryOsv(queries, { baseUrl: url, logger: new RecordingLogger(), retryDelayMs: 1, retries: 2 })).rejects.toThrow(
      OsvUnavailable,
    );
    failuresLeft = 0;
  });
  test('nothing listening is OsvUnavailable too', async () => {
    await expect(
      queryOsv(queries, { baseUrl: 'http://127.0.0.1:9', logger: new RecordingLogger(), retryDelayMs: 1, retries: 1 }),
    ).rejects.toThrow(/failed after 2 attempts/);
  });
});
