// Policy rules, exceptions with expiry, licences, and the lock-manifest sync, with the lock hashes recomputed the
// way Poetry and pipenv compute them and checked against the hashes real lock files recorded.
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { parseRequirementsFile } from '../../../actions/dependency-lock/src/manifests/requirements-txt.js';
import { parsePipfileLock } from '../../../actions/dependency-lock/src/manifests/json-yaml-manifests.js';
import {
  parsePipfile,
  parsePoetryLock,
  parsePyproject,
  parseUvLock,
} from '../../../actions/dependency-lock/src/manifests/toml-manifests.js';
import { checkPolicy, readLicenceMetadata } from '../../../actions/dependency-lock/src/policy/check-policy.js';
import { judgeLicence } from '../../../actions/dependency-lock/src/policy/licences.js';
import { pipfileHash, pipfileHashes, poetryContentHash } from '../../../actions/dependency-lock/src/policy/lock-hashes.js';
import { DEFAULT_POLICY, parsePolicy } from '../../../actions/dependency-lock/src/policy/policy-file.js';
import { pythonJsonDumps } from '../../../actions/dependency-lock/src/policy/python-json.js';
import { checkSync, versionSatisfies } from '../../../actions/dependency-lock/src/policy/sync.js';
import { applyExceptions } from '../../../actions/dependency-lock/src/policy/violations.js';

const F = 'test/fixtures/dependency-lock';
const read = (p: string) => readFileSync(`${F}/${p}`, 'utf8');
const toml = (p: string) => parse(read(p)) as Record<string, unknown>;

describe('lock hashes, recomputed as the tools do', () => {
  test.each(['poetry-up-to-date', 'poetry-path-dep'])("Poetry's content-hash of %s (Poetry's own fixture) matches the lock", (dir) => {
    const recorded = (toml(`${dir}/poetry.lock`).metadata as Record<string, string>)['content-hash'];
    expect(poetryContentHash(toml(`${dir}/pyproject.toml`))).toBe(recorded);
  });
  test.each(['pipenv-root', 'pipenv-example'])("pipenv's _meta hash of %s (pipenv's own Pipfile.lock) matches", (dir) => {
    const recorded = JSON.parse(read(`${dir}/Pipfile.lock`))._meta.hash.sha256;
    expect(pipfileHashes(toml(`${dir}/Pipfile`))).toContain(recorded);
  });
  test('pipenv normalises package names since 2025; both forms are accepted', () => {
    const pipfile = { packages: { My_Pkg: '*' } };
    expect(pipfileHash(pipfile, true)).not.toBe(pipfileHash(pipfile, false));
    expect(pipfileHash({ packages: { 'my-pkg': '*' } }, false)).toBe(pipfileHash(pipfile, true));
  });
  test("Python's json.dumps, byte for byte", () => {
    // Reference: python3 -c 'import json; print(json.dumps({"b": [1, 2.5, True, None], "a": "é\\n\\"x\\""}, sort_keys=True))'
    expect(pythonJsonDumps({ b: [1, 2.5, true, null], a: 'é\n"x"' })).toBe('{"a": "\\u00e9\\n\\"x\\"", "b": [1, 2.5, true, null]}');
    expect(pythonJsonDumps({ z: { y: 1 }, a: [] }, { separators: [',', ':'] })).toBe('{"a":[],"z":{"y":1}}');
  });
});

describe('sync between manifest and lock', () => {
  test('an up-to-date poetry.lock passes; an edited pyproject.toml makes it stale', () => {
    const lock = parsePoetryLock(read('poetry-up-to-date/poetry.lock'), 'app/poetry.lock');
    const pyproject = parsePyproject(read('poetry-up-to-date/pyproject.toml'), 'app/pyproject.toml');
    expect(checkSync([pyproject, lock])).toEqual([]);
    const edited = parsePyproject(
      read('poetry-up-to-date/pyproject.toml').replace('"docker>=4.3.1",', '"docker>=4.3.1",\n    "rich>=13",'),
      'app/pyproject.toml',
    );
    const violations = checkSync([edited, lock]);
    expect(violations.map((v) => v.message)).toEqual([
      "app/poetry.lock's content-hash does not match app/pyproject.toml: the lock is stale",
      "'rich' is declared in app/pyproject.toml but missing from app/poetry.lock",
    ]);
    expect(violations[0].location.line).toBe(lock.lockMeta?.line);
  });
  test('Pipfile.lock: the recorded hash and the locked versions', () => {
    const pipfile = parsePipfile(read('pipenv-example/Pipfile'), 'Pipfile');
    const lock = parsePipfileLock(read('pipenv-example/Pipfile.lock'), 'Pipfile.lock');
    expect(checkSync([pipfile, lock])).toEqual([]);
    const tightened = parsePipfile(read('pipenv-example/Pipfile').replace('requests = ">=2.32.0"', 'requests = ">=9"'), 'Pipfile');
    expect(checkSync([tightened, lock]).map((v) => v.message)).toEqual([
      "Pipfile.lock's _meta hash does not match Pipfile: the lock is stale",
      expect.stringMatching(/^Pipfile\.lock locks 'requests' at .*, which does not satisfy '>=9' in Pipfile$/),
    ]);
  });
  test("uv.lock's recorded requirements against pyproject.toml", () => {
    const lock = parseUvLock(read('project/uv.lock'), 'uv.lock');
    expect(checkSync([parsePyproject(read('project/pyproject.toml'), 'pyproject.toml'), lock])).toEqual([]);
    const changed = parsePyproject(
      read('project/pyproject.toml').replace('"pandas>=2.1,<3",', '"pandas>=2.2,<3",\n  "scipy>=1.11",'),
      'pyproject.toml',
    );
    expect(checkSync([changed, lock]).map((v) => `${v.location.line}: ${v.message}`)).toEqual([
      "7: 'pandas' is '>=2.2,<3' in pyproject.toml but '>=2.1,<3' in uv.lock",
      "8: 'scipy' (main) is in pyproject.toml but not among uv.lock's recorded requirements",
      "8: 'scipy' is declared in pyproject.toml but missing from uv.lock",
    ]);
  });
  test('PEP 440 satisfaction with alternatives', () => {
    expect(versionSatisfies('2.18.1', '>=2.14.2,<2.18.0||>2.18.0')).toBe(true);
    expect(versionSatisfies('2.18.0', '>=2.14.2,<2.18.0||>2.18.0')).toBe(false);
    expect(versionSatisfies('1.0rc1', '>=1.0')).toBe(false);
  });
});

describe('policy rules', () => {
  const reader = (files: Record<string, string>) => async (p: string) => ({ text: files[p], display: p });
  test('pins, hashes, URL pins and indexes in a requirements lock', async () => {
    const m = await parseRequirementsFile(
      'requirements.txt',
      reader({
        'requirements.txt':
          '--extra-index-url https://evil.example/simple\nrequests>=2\nnumpy==1.26.4 --hash=sha256:aa\nlib @ git+https://github.com/o/lib@main\n',
      }),
    );
    const { violations } = checkPolicy(
      [m],
      { ...DEFAULT_POLICY, requireHashes: true, allowedIndexes: ['https://pypi.org/simple'] },
      new Map(),
    );
    expect(violations.map((v) => `${v.location.line} ${v.rule} ${v.package ?? ''}`)).toEqual([
      '1 index ',
      '2 pin requests',
      '2 hash requests',
      '4 url lib',
      '4 hash lib',
    ]);
  });
  test('licences: OR needs one allowed branch, AND needs all; deny wins', () => {
    expect(judgeLicence('MIT OR GPL-3.0-only', ['MIT'], ['GPL-3.0-only']).ok).toBe(true);
    expect(judgeLicence('MIT AND GPL-3.0-only', ['MIT', 'GPL-3.0-only'], ['GPL-3.0-only']).ok).toBe(false);
    expect(judgeLicence('(Apache-2.0 OR MIT) AND BSD-3-Clause', ['MIT', 'BSD-3-Clause'], []).ok).toBe(true);
    expect(judgeLicence('LGPL-2.1-or-later', ['MIT'], [])).toEqual({
      ok: false,
      why: "licence 'LGPL-2.1-or-later' is not in the policy's allow list",
    });
    expect(judgeLicence('Some custom licence', ['MIT'], []).ok).toBe('unknown');
    expect(readLicenceMetadata([{ Name: 'Typing_Extensions', License: 'PSF-2.0' }]).get('typing-extensions')).toBe('PSF-2.0');
  });
  test('an exception accepts a violation until it expires; an expired one is itself a violation', () => {
    const policy = parsePolicy(
      ['exceptions:', '  - package: Requests', '    rules: [pin]', '    reason: "vendored"', '    expires: 2026-06-30'].join('\n'),
      'policy.yml',
    );
    const violation = { rule: 'pin' as const, package: 'requests', message: 'x', fix: 'y', location: { file: 'r.txt', line: 1 } };
    expect(applyExceptions([violation], policy, new Date('2026-06-30T12:00:00Z'))).toEqual([
      { ...violation, accepted: { reason: 'vendored', expires: '2026-06-30' } },
    ]);
    const after = applyExceptions([violation], policy, new Date('2026-07-01T00:00:00Z'));
    expect(after.map((v) => [v.rule, v.accepted, v.location])).toEqual([
      ['pin', undefined, { file: 'r.txt', line: 1 }],
      ['exception-expired', undefined, { file: 'policy.yml', line: 2 }],
    ]);
  });
  test('a policy file mistake names its line', () => {
    expect(() => parsePolicy('require-pins: yes please\n', 'p.yml')).toThrow(/^p\.yml:1: 'require-pins' must be true or false/);
    expect(() => parsePolicy('require-pin: true\n', 'p.yml')).toThrow(/^p\.yml:1: unknown policy key 'require-pin'/);
    expect(() => parsePolicy('exceptions:\n  - package: x\n    expires: 2026-01-01\n', 'p.yml')).toThrow(
      /^p\.yml:2: the exception for 'x' needs a 'reason'/,
    );
    expect(() => parsePolicy('ignore-vulnerabilities:\n  - id: GHSA-1\n    reason: r\n    expires: soon\n', 'p.yml')).toThrow(
      /^p\.yml:2: .*YYYY-MM-DD/,
    );
  });
});

describe('more locks in sync', () => {
  const reader = (files: Record<string, string>) => async (p: string) => ({ text: files[p], display: p });
  test('requirements.in against the requirements.txt pip-compile wrote', async () => {
    const files = { 'app/requirements.in': 'requests>=2.32\nnumpy\n', 'app/requirements.txt': 'requests==2.31.0\n' };
    const ins = await parseRequirementsFile('app/requirements.in', reader(files));
    const txt = await parseRequirementsFile('app/requirements.txt', reader(files));
    expect(checkSync([ins, txt]).map((v) => `${v.location.file}:${v.location.line} ${v.message}`)).toEqual([
      "app/requirements.in:1 app/requirements.txt locks 'requests' at 2.31.0, which does not satisfy '>=2.32' in app/requirements.in",
      "app/requirements.in:2 'numpy' is declared in app/requirements.in but missing from app/requirements.txt",
    ]);
    // A requirements.in is a manifest: not pinned, and not asked to be.
    expect(checkPolicy([ins], DEFAULT_POLICY, new Map()).violations).toEqual([]);
  });
});
