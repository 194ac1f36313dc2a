// The native parsers: every format into requirements and locked packages with file:line, and a clear file:line
// error for a file that does not parse.
import { mkdtempSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest, workspaceReader, manifestKind } from '../../../actions/dependency-lock/src/manifests/discover.js';
import {
  parseCondaEnvironment,
  parseCondaLock,
  parsePipfileLock,
} from '../../../actions/dependency-lock/src/manifests/json-yaml-manifests.js';
import { parsePep508, urlPin } from '../../../actions/dependency-lock/src/manifests/pep508.js';
import { poetryToPep440 } from '../../../actions/dependency-lock/src/manifests/poetry-constraint.js';
import { parseRequirementsFile } from '../../../actions/dependency-lock/src/manifests/requirements-txt.js';
import {
  parsePipfile,
  parsePoetryLock,
  parsePylock,
  parsePyproject,
  parseUvLock,
} from '../../../actions/dependency-lock/src/manifests/toml-manifests.js';
import { normaliseName } from '../../../actions/dependency-lock/src/manifests/types.js';
import { readFileSync } from 'node:fs';

const F = 'test/fixtures/dependency-lock';
const read = (p: string) => readFileSync(p, 'utf8');
const memoryReader = (files: Record<string, string>) => async (path: string) => {
  if (!(path in files)) throw new Error(`no ${path}`);
  return { text: files[path], display: path };
};

describe('PEP 503 and PEP 508', () => {
  test('names normalise as pip compares them', () => {
    expect(normaliseName('Friendly-Bard')).toBe('friendly-bard');
    expect(normaliseName('FRIENDLY._-bard')).toBe('friendly-bard');
    expect(normaliseName('zope.interface')).toBe('zope-interface');
  });
  test('a requirement splits into name, extras, specifier and marker', () => {
    expect(parsePep508('requests[socks, security] >= 2.8.1, == 2.8.* ; python_version < "3.11"')).toEqual({
      name: 'requests',
      extras: ['socks', 'security'],
      specifier: '>=2.8.1,==2.8.*',
      marker: 'python_version < "3.11"',
    });
    expect(parsePep508('pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee ; python_version>"3"')).toMatchObject({
      name: 'pip',
      url: 'https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee',
      marker: 'python_version>"3"',
    });
    expect(() => parsePep508('requests >> 2')).toThrow(/not a PEP 440 version specifier/);
  });
  test('URLs count as pinned only to a full commit or an archive hash', () => {
    expect(urlPin('git+https://github.com/x/y.git@v1.2').pinned).toBe(false);
    expect(urlPin('git+https://github.com/x/y.git@0123456789abcdef0123456789abcdef01234567#egg=y')).toEqual({
      pinned: true,
      commit: '0123456789abcdef0123456789abcdef01234567',
    });
    expect(urlPin('https://example.com/y-1.0.tar.gz#sha256=abcdef').pinned).toBe(true);
    expect(urlPin('https://example.com/y-1.0.tar.gz').pinned).toBe(false);
  });
  test("Poetry's caret and tilde become PEP 440 ranges", () => {
    expect(poetryToPep440('^1.2.3')).toBe('>=1.2.3,<2');
    expect(poetryToPep440('^0.2.3')).toBe('>=0.2.3,<0.3');
    expect(poetryToPep440('~1.2.3')).toBe('>=1.2.3,<1.3');
    expect(poetryToPep440('~1')).toBe('>=1,<2');
    expect(poetryToPep440('1.2.3')).toBe('==1.2.3');
    expect(poetryToPep440('*')).toBe('');
    expect(poetryToPep440('>=2.14.2,<2.18.0 || >2.18.0')).toBe('>=2.14.2,<2.18.0||>2.18.0');
  });
});

describe('requirements files', () => {
  test('includes, hashes, markers, extras, URLs, VCS and editable installs keep their file:line', async () => {
    const files = {
      '/ws/requirements.txt': [
        '# top',
        '-r base/requirements-base.txt',
        '-c constraints.txt',
        '--index-url https://pypi.org/simple',
        'requests[socks]==2.31.0 \\',
        '    --hash=sha256:AAAA \\',
        '    --hash sha256:bbbb',
        'numpy==1.26.4 ; python_version >= "3.9"  # pinned',
        '-e git+https://github.com/org/lib.git@0123456789abcdef0123456789abcdef01234567#egg=lib',
        'https://example.com/pkgs/torchvision-0.17.0-cp311-none-any.whl#sha256=ff',
        'mypkg @ git+https://github.com/org/mypkg.git@main',
      ].join('\n'),
      '/ws/base/requirements-base.txt': 'six==1.16.0\n',
      '/ws/constraints.txt': 'urllib3<2\n',
    };
    const m = await parseRequirementsFile('/ws/requirements.txt', memoryReader(files));
    const byName = Object.fromEntries(m.requirements.map((r) => [r.key, r]));
    expect(byName.six.location).toEqual({ file: '/ws/base/requirements-base.txt', line: 1 });
    expect(byName.urllib3.constraint).toBe(true);
    expect(byName.requests).toMatchObject({
      specifier: '==2.31.0',
      extras: ['socks'],
      hashes: ['sha256:aaaa', 'sha256:bbbb'],
      location: { line: 5 },
    });
    expect(byName.numpy).toMatchObject({ marker: 'python_version >= "3.9"', location: { line: 8 } });
    expect(byName.lib).toMatchObject({
      editable: true,
      url: 'git+https://github.com/org/lib.git@0123456789abcdef0123456789abcdef01234567#egg=lib',
    });
    expect(byName.torchvision.url).toContain('torchvision-0.17.0');
    expect(byName.mypkg.url).toBe('git+https://github.com/org/mypkg.git@main');
    expect(m.indexes).toEqual([{ url: 'https://pypi.org/simple', location: { file: '/ws/requirements.txt', line: 4 } }]);
    expect(m.packages.map((p) => `${p.key}==${p.version}`).sort()).toEqual(['numpy==1.26.4', 'requests==2.31.0', 'six==1.16.0']);
  });
  test('a line that does not parse is reported with file:line', async () => {
    await expect(parseRequirementsFile('/r.txt', memoryReader({ '/r.txt': 'ok==1\nrequests >> 2\n' }))).rejects.toThrow(
      /^\/r\.txt:2: 'requests >> 2'/,
    );
    await expect(parseRequirementsFile('/r.txt', memoryReader({ '/r.txt': '--frobnicate\n' }))).rejects.toThrow(
      /^\/r\.txt:1: unknown pip option '--frobnicate'/,
    );
    await expect(parseRequirementsFile('/r.txt', memoryReader({ '/r.txt': 'x==1 --hash=md5\n' }))).rejects.toThrow(
      /\/r\.txt:1: .*is not a hash/,
    );
  });
  test('an include that leaves the workspace through a symlink is refused', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'dl-ws-'));
    const outside = mkdtempSync(join(tmpdir(), 'dl-out-'));
    writeFileSync(join(outside, 'secret.txt'), 'x==1\n');
    symlinkSync(join(outside, 'secret.txt'), join(ws, 'base.txt'));
    writeFileSync(join(ws, 'requirements.txt'), '-r base.txt\n');
    const { setPathPolicy, resetPathPolicy } = await import('#shared/paths/index.js');
    setPathPolicy([{ path: ws, name: 'the workspace' }]);
    try {
      await expect(parseManifest(join(ws, 'requirements.txt'), workspaceReader(ws))).rejects.toThrow(
        /included from requirements\.txt:1: .*lies outside the workspace/,
      );
    } finally {
      resetPathPolicy();
    }
  });
});

describe('TOML manifests and locks', () => {
  test('pyproject.toml: PEP 621 dependencies, extras and dependency groups with lines', () => {
    const m = parsePyproject(read(`${F}/project/pyproject.toml`), 'pyproject.toml');
    expect(m.requirements.map((r) => [r.key, r.specifier, r.group, r.location.line])).toEqual([
      ['numpy', '>=1.26', 'main', 6],
      ['pandas', '>=2.1,<3', 'main', 7],
      ['fastapi', '>=0.110', 'extra:serve', 11],
      ['pytest', '>=8', 'dev', 14],
    ]);
  });
  test("pyproject.toml: Poetry's sections, groups, git dependencies and sources", () => {
    const text = [
      '[tool.poetry]',
      'name = "x"',
      '[tool.poetry.dependencies]',
      'python = "^3.10"',
      'requests = "^2.31"',
      'torch = { version = "2.2.0", source = "pytorch" }',
      'mylib = { git = "https://github.com/org/mylib.git", rev = "v1" }',
      '[tool.poetry.group.dev.dependencies]',
      'pytest = "~8.1"',
      '[[tool.poetry.source]]',
      'name = "pytorch"',
      'url = "https://download.pytorch.org/whl/cpu"',
    ].join('\n');
    const m = parsePyproject(text, 'pyproject.toml');
    expect(m.requirements.map((r) => [r.key, r.specifier || r.url, r.group, r.location.line])).toEqual([
      ['requests', '>=2.31,<3', 'main', 5],
      ['torch', '==2.2.0', 'main', 6],
      ['mylib', 'git+https://github.com/org/mylib.git@v1', 'main', 7],
      ['pytest', '>=8.1,<8.2', 'dev', 9],
    ]);
    expect(m.indexes).toEqual([{ url: 'https://download.pytorch.org/whl/cpu', location: { file: 'pyproject.toml', line: 10 } }]);
  });
  test("uv's legacy [tool.uv] dev-dependencies count as the dev group", () => {
    const m = parsePyproject(
      '[project]\nname = "x"\ndependencies = []\n[tool.uv]\ndev-dependencies = [\n  "ruff>=0.4",\n]\n',
      'pyproject.toml',
    );
    expect(m.requirements.map((r) => [r.key, r.specifier, r.group, r.location.line])).toEqual([['ruff', '>=0.4', 'dev', 6]]);
  });
  test("poetry.lock (Poetry's own test fixture): packages, hashes and content-hash", () => {
    const m = parsePoetryLock(read(`${F}/poetry-up-to-date/poetry.lock`), 'poetry.lock');
    expect(m.packages.find((p) => p.key === 'certifi')).toMatchObject({
      version: '2020.12.5',
      location: { line: 4 },
      hashes: expect.arrayContaining(['sha256:719a74fb9e33b9bd44cc7f3a8d94bc35e4049deebe19ba7d8e108280cfd59830']),
    });
    expect(m.lockMeta?.poetryContentHash).toMatch(/^[0-9a-f]{64}$/);
  });
  test("uv.lock: registry packages, hashes, and the project's recorded requirements", () => {
    const m = parseUvLock(read(`${F}/project/uv.lock`), 'uv.lock');
    expect(m.packages.map((p) => `${p.key}==${p.version}`)).toEqual([
      'fastapi==0.110.0',
      'numpy==1.26.4',
      'pandas==2.2.1',
      'pytest==8.1.1',
    ]);
    expect(m.packages[1]).toMatchObject({
      index: 'https://pypi.org/simple',
      hashes: expect.arrayContaining(['sha256:666dbfb6ec68962c033a450943ded891bed2d54e6755e35e5835d63f4f6931d5']),
      location: { line: 42 },
    });
    expect(m.lockMeta?.uvRequirements?.map((r) => [r.key, r.specifier, r.group])).toEqual([
      ['fastapi', '>=0.110', 'extra:serve'],
      ['numpy', '>=1.26', 'main'],
      ['pandas', '>=2.1,<3', 'main'],
      ['pytest', '>=8', 'dev'],
    ]);
  });
  test("Pipfile and Pipfile.lock (pipenv's own): sections, sources and the _meta hash", () => {
    const pipfile = parsePipfile(read(`${F}/pipenv-root/Pipfile`), 'Pipfile');
    expect(pipfile.requirements.find((r) => r.key === 'click')).toMatchObject({
      specifier: '==8.0.3',
      group: 'develop',
      location: { line: 12 },
    });
    expect(pipfile.requirements.find((r) => r.key === 'stdeb')).toMatchObject({ specifier: '' });
    const lock = parsePipfileLock(read(`${F}/pipenv-example/Pipfile.lock`), 'Pipfile.lock');
    expect(lock.lockMeta?.pipfileHash).toBe('edff3c36826f984dacc94d24141b4fc9895c9b8568f16fb67deeea60631ec1a6');
    expect(lock.packages.find((p) => p.key === 'certifi')).toMatchObject({
      version: '2026.2.25',
      index: 'https://pypi.org/simple',
      location: { line: 19 },
    });
  });
  test('pylock.toml (PEP 751): wheels, sdists, VCS and archives', () => {
    const text = [
      'lock-version = "1.0"',
      'created-by = "pip"',
      '[[packages]]',
      'name = "attrs"',
      'version = "25.1.0"',
      'index = "https://pypi.org/simple"',
      '[[packages.wheels]]',
      'url = "https://files.pythonhosted.org/attrs-25.1.0-py3-none-any.whl"',
      'hashes = {sha256 = "c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a"}',
      '[[packages]]',
      'name = "mylib"',
      'vcs = { type = "git", url = "https://github.com/org/mylib", commit-id = "0123456789abcdef0123456789abcdef01234567" }',
    ].join('\n');
    const m = parsePylock(text, 'pylock.toml');
    expect(m.packages[0]).toMatchObject({
      key: 'attrs',
      version: '25.1.0',
      index: 'https://pypi.org/simple',
      hashes: ['sha256:c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a'],
      location: { line: 4 },
    });
    expect(m.packages[1]).toMatchObject({ key: 'mylib', vcsCommit: '0123456789abcdef0123456789abcdef01234567', location: { line: 11 } });
    expect(() => parsePylock('[[packages]]\nname = "x"\n', 'pylock.toml')).toThrow(/pylock\.toml:1: .*lock-version/);
  });
  test('a TOML file that does not parse names its line', () => {
    expect(() => parseUvLock('version = 1\n[[package]]\nname = "x\n', 'uv.lock')).toThrow(/^uv\.lock:3: not valid TOML/);
  });
});

describe('conda', () => {
  test('environment.yml with its pip section', async () => {
    const text = [
      'name: train',
      'channels:',
      '  - conda-forge',
      'dependencies:',
      '  - python=3.11',
      '  - numpy==1.26.4',
      '  - conda-forge::scipy>=1.11',
      '  - pip',
      '  - pip:',
      '    - requests==2.31.0',
      '    - -e git+https://github.com/org/lib.git@0123456789abcdef0123456789abcdef01234567#egg=lib',
    ].join('\n');
    const m = await parseCondaEnvironment(text, 'environment.yml');
    expect(m.requirements.map((r) => [r.key, r.ecosystem, r.specifier, r.location.line])).toEqual([
      ['python', 'conda', '==3.11.*', 5],
      ['numpy', 'conda', '==1.26.4', 6],
      ['scipy', 'conda', '>=1.11', 7],
      ['pip', 'conda', '', 8],
      ['requests', 'PyPI', '==2.31.0', 10],
      ['lib', 'PyPI', '', 11],
    ]);
    expect(m.packages.map((p) => `${p.ecosystem}:${p.key}==${p.version}`)).toEqual([
      'conda:python==3.11',
      'conda:numpy==1.26.4',
      'PyPI:requests==2.31.0',
    ]);
    await expect(parseCondaEnvironment('dependencies:\n  - [oops\n', 'environment.yml')).rejects.toThrow(
      /^environment\.yml:\d+: not valid YAML/,
    );
  });
  test('conda-lock.yml: one package per name and version across platforms, pip packages as PyPI', () => {
    const text = [
      'version: 1',
      'metadata: {channels: [{url: conda-forge}], platforms: [linux-64, osx-arm64]}',
      'package:',
      '- name: numpy',
      '  version: 1.26.4',
      '  manager: conda',
      '  platform: linux-64',
      '  url: https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4.conda',
      '  hash: {md5: 0123abcd, sha256: 89abcdef}',
      '- name: numpy',
      '  version: 1.26.4',
      '  manager: conda',
      '  platform: osx-arm64',
      '  hash: {md5: 4567, sha256: 0a0a}',
      '- name: requests',
      '  version: 2.31.0',
      '  manager: pip',
      '  platform: linux-64',
      '  hash: {sha256: 58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f}',
    ].join('\n');
    const m = parseCondaLock(text, 'conda-lock.yml');
    expect(m.packages.map((p) => [p.ecosystem, p.key, p.version, p.location.line])).toEqual([
      ['conda', 'numpy', '1.26.4', 4],
      ['PyPI', 'requests', '2.31.0', 15],
    ]);
    expect(m.packages[0].hashes).toEqual(['md5:0123abcd', 'sha256:89abcdef']);
  });
});

describe('formats by name', () => {
  test('known names map to formats; others are refused with the list of formats', async () => {
    expect(
      [
        'requirements-dev.txt',
        'pyproject.toml',
        'poetry.lock',
        'uv.lock',
        'Pipfile',
        'Pipfile.lock',
        'pylock.toml',
        'pylock.gpu.toml',
        'environment.yml',
        'conda-lock.yml',
      ].map(manifestKind),
    ).toEqual([
      'requirements',
      'pyproject',
      'poetry-lock',
      'uv-lock',
      'pipfile',
      'pipfile-lock',
      'pylock',
      'pylock',
      'conda-env',
      'conda-lock',
    ]);
    await expect(parseManifest('/ws/setup.cfg', memoryReader({}))).rejects.toThrow(/Unknown manifest format: '\/ws\/setup\.cfg'/);
  });
  test('a malformed Pipfile.lock names its line', () => {
    expect(() => parsePipfileLock('{\n  "_meta": {\n    "hash": ,\n  }\n}\n', 'Pipfile.lock')).toThrow(/^Pipfile\.lock:3: not valid JSON/);
  });
});

void mkdirSync;
