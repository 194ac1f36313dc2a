// The environment manifest: nvidia-smi parsed from recorded outputs (no GPU needed), pip and conda lists, git state
// through the real git CLI, allowlisted variables only, the manifest valid against its JSON schema, and the
// environment diff that says "torch 2.4.0 -> 2.5.0".
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { captureEnvironment } from '../../../actions/repro-verify/src/environment/capture.js';
import { diffEnvironments } from '../../../actions/repro-verify/src/environment/environment-diff.js';
import { parsePorcelainZ, readGitState } from '../../../actions/repro-verify/src/environment/git-state.js';
import { determinismEnv, type EnvironmentManifest } from '../../../actions/repro-verify/src/environment/manifest.js';
import { gpuInfo, parseGpuQuery, parseSmiBanner } from '../../../actions/repro-verify/src/environment/nvidia-smi.js';
import { parseCondaList, parsePipList } from '../../../actions/repro-verify/src/environment/package-lists.js';
import { REPO_ROOT } from '../../support/run-built-action.js';

const smi = (name: string) => readFileSync(join(REPO_ROOT, 'test/fixtures/repro-verify/nvidia-smi', name), 'utf8');

describe('nvidia-smi, from recorded outputs', () => {
  test('two A100s with driver and CUDA version from the banner', () => {
    expect(gpuInfo(smi('a100x2-query.csv'), smi('a100x2-banner.txt'))).toEqual({
      devices: [
        {
          index: 0,
          name: 'NVIDIA A100-SXM4-80GB',
          driver_version: '535.104.05',
          memory_total_mib: 81920,
          uuid: 'GPU-2f4b9a0e-5c1d-4e3a-9b7c-1d2e3f4a5b6c',
        },
        {
          index: 1,
          name: 'NVIDIA A100-SXM4-80GB',
          driver_version: '535.104.05',
          memory_total_mib: 81920,
          uuid: 'GPU-7a8b9c0d-1e2f-3a4b-5c6d-7e8f9a0b1c2d',
        },
      ],
      driver_version: '535.104.05',
      cuda_version: '12.2',
    });
  });

  test('the 570 driver banner, a query with a header and units', () => {
    expect(parseSmiBanner(smi('h100-banner-570.txt'))).toEqual({ driver_version: '570.86.10', cuda_version: '12.8' });
    expect(parseGpuQuery(smi('h100-query-with-header.csv'))).toEqual([
      {
        index: 0,
        name: 'NVIDIA H100 80GB HBM3',
        driver_version: '570.86.10',
        memory_total_mib: 81559,
        uuid: 'GPU-0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f',
      },
    ]);
  });

  test('MIG memory [N/A] is null; no devices and a driver failure mean no GPU', () => {
    expect(parseGpuQuery(smi('mig-query.csv'))[0].memory_total_mib).toBeNull();
    expect(gpuInfo(smi('no-devices.txt'), '')).toBeNull();
    expect(gpuInfo(smi('driver-failure.txt'), smi('driver-failure.txt'))).toBeNull();
  });
});

describe('packages', () => {
  test('pip list --format=json, names normalised as PEP 503', () => {
    const pip = parsePipList(
      JSON.stringify([
        { name: 'Torch', version: '2.4.0' },
        { name: 'scikit_learn', version: '1.5.1' },
        { name: 'numpy', version: '1.26.4' },
      ]),
    );
    expect(pip.map((p) => `${p.name}==${p.version}`)).toEqual(['numpy==1.26.4', 'scikit-learn==1.5.1', 'torch==2.4.0']);
  });

  test('conda list --json keeps the channel', () => {
    const conda = parseCondaList(
      JSON.stringify([
        {
          base_url: 'https://conda.anaconda.org/pytorch',
          build_number: 0,
          build_string: 'py3.11_cuda12.1_cudnn8.9.2_0',
          channel: 'pytorch',
          dist_name: 'pytorch-2.4.0-py3.11_cuda12.1_cudnn8.9.2_0',
          name: 'pytorch',
          platform: 'linux-64',
          version: '2.4.0',
        },
      ]),
    );
    expect(conda).toEqual([{ name: 'pytorch', version: '2.4.0', source: 'pytorch' }]);
  });

  test('output that is not JSON is an error the capture turns into an empty list', () => {
    expect(() => parsePipList('DEPRECATION: ...')).toThrow(/did not print JSON/);
  });
});

describe('git state through the git CLI', () => {
  test('commit, branch and dirty files (modified, untracked, renamed)', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'repro-git-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q', '-b', 'experiments');
    writeFileSync(join(repo, 'train.py'), 'print(1)\n');
    writeFileSync(join(repo, 'old name.py'), 'x = 1\n');
    git('add', '.');
    git('commit', '-q', '-m', 'first');
    writeFileSync(join(repo, 'train.py'), 'print(2)\n');
    writeFileSync(join(repo, 'new.txt'), 'untracked\n');
    renameSync(join(repo, 'old name.py'), join(repo, 'new name.py'));
    git('add', 'old name.py', 'new name.py');
    const state = await readGitState(repo);
    expect(state).toEqual({
      commit: git('rev-parse', 'HEAD').trim(),
      branch: 'experiments',
      dirty_files: ['new name.py', 'train.py', 'new.txt'],
    });
    expect(await readGitState(tmpdir())).toBeNull();
  });

  test('porcelain -z with a rename skips the old path', () => {
    expect(parsePorcelainZ('R  b.py\0a.py\0 M c.py\0?? d e.txt\0')).toEqual(['b.py', 'c.py', 'd e.txt']);
  });
});

describe('variables: allowlisted only, nothing secret', () => {
  test('determinism variables and the user allowlist; secret-looking names never', () => {
    const env = determinismEnv({ PYTHONHASHSEED: '0', GITHUB_TOKEN: 'ghs_x', SEED: '1', HOME: '/root' }, ['SEED', 'AWS_SECRET_ACCESS_KEY']);
    expect(env).toMatchObject({ PYTHONHASHSEED: '0', SEED: '1', CUBLAS_WORKSPACE_CONFIG: null });
    expect(Object.keys(env)).not.toContain('GITHUB_TOKEN');
    expect(Object.keys(env)).not.toContain('AWS_SECRET_ACCESS_KEY');
    expect(Object.keys(env)).not.toContain('HOME');
  });
});

describe('the manifest', () => {
  let manifest: EnvironmentManifest;
  beforeAll(async () => {
    manifest = await captureEnvironment({
      cwd: REPO_ROOT,
      python: 'python3',
      env: { ...process.env, PYTHONHASHSEED: '0' },
      envAllowlist: [],
      inputs: { 'data.csv': 'a'.repeat(64) },
      cuda: { cublas_workspace_config: null, cudnn_benchmark: 'train.py:3', deterministic_algorithms: null },
    });
  }, 60_000);

  test('is valid against schema/manifest.schema.json', () => {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'actions/repro-verify/schema/manifest.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true });
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
    addFormats(ajv);
    const valid = ajv.validate(schema, manifest);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test('records python, packages from pip, git and this machine', () => {
    expect(manifest.python.version).toMatch(/^3\.\d+\.\d+/);
    expect(manifest.python.package_manager).toBe('pip');
    expect(manifest.python.packages.length).toBeGreaterThan(0);
    expect(manifest.git?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(manifest.cpu.count).toBeGreaterThan(0);
    expect(manifest.gpu).toBeNull(); // no nvidia-smi on this machine
    expect(JSON.stringify(manifest)).not.toMatch(/ghs_|TOKEN/);
  });

  test('the environment diff states package, GPU, driver, CUDA and variable changes', () => {
    const before: EnvironmentManifest = {
      ...manifest,
      gpu: gpuInfo(smi('a100x2-query.csv'), smi('a100x2-banner.txt')),
      python: {
        ...manifest.python,
        packages: [
          { name: 'torch', version: '2.4.0', source: 'pip' },
          { name: 'numpy', version: '1.26.4', source: 'pip' },
        ],
      },
      determinism_env: { PYTHONHASHSEED: null, CUBLAS_WORKSPACE_CONFIG: ':4096:8' },
    };
    const after: EnvironmentManifest = {
      ...manifest,
      gpu: { devices: parseGpuQuery(smi('h100-query-with-header.csv')), ...parseSmiBanner(smi('h100-banner-570.txt')) },
      python: {
        ...manifest.python,
        packages: [
          { name: 'torch', version: '2.5.0', source: 'pip' },
          { name: 'triton', version: '3.1.0', source: 'pip' },
        ],
      },
      determinism_env: { PYTHONHASHSEED: '0', CUBLAS_WORKSPACE_CONFIG: ':4096:8' },
    };
    expect(diffEnvironments(before, after).map((c) => c.text)).toEqual([
      'GPU NVIDIA A100-SXM4-80GB, NVIDIA A100-SXM4-80GB -> NVIDIA H100 80GB HBM3',
      'NVIDIA driver 535.104.05 -> 570.86.10',
      'CUDA 12.2 -> 12.8',
      'package removed: numpy 1.26.4',
      'torch 2.4.0 -> 2.5.0',
      'package added: triton 3.1.0',
      'PYTHONHASHSEED unset -> 0',
    ]);
    expect(diffEnvironments(manifest, manifest)).toEqual([]);
  });
});
