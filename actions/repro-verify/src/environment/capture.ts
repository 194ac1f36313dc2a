// Captures the manifest from the machine: os and node modules for the host, nvidia-smi, python/pip or conda, git.
// Each probe is optional: a missing tool leaves its field null rather than failing the step.
import { execFile } from 'node:child_process';
import { arch, cpus, platform, release, totalmem, version } from 'node:os';
import { promisify } from 'node:util';
import { detectContainer, type ContainerInspector } from './container.js';
import { dockerInspector } from './docker-inspect.js';
import { readGitState } from './git-state.js';
import { determinismEnv, MANIFEST_SCHEMA_VERSION, type CudaKnobs, type EnvironmentManifest } from './manifest.js';
import { gpuInfo, NVIDIA_SMI_QUERY } from './nvidia-smi.js';
import { parseCondaList, parsePipList } from './package-lists.js';

const run = promisify(execFile);

async function probe(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    return (await run(file, args, { timeout: 60_000, maxBuffer: 64 << 20, env })).stdout;
  } catch {
    return undefined;
  }
}

export interface CaptureOptions {
  cwd: string;
  python: string;
  env: Record<string, string | undefined>;
  envAllowlist: string[];
  inputs: Record<string, string>;
  cuda: CudaKnobs;
  now?: Date;
  /** Where the container runtime's files are looked for: '/' unless a test records them elsewhere. */
  containerRoot?: string;
  inspectContainer?: ContainerInspector;
}

export async function captureEnvironment(options: CaptureOptions): Promise<EnvironmentManifest> {
  const env = options.env as NodeJS.ProcessEnv;
  const [smiQuery, smiBanner, pyVersion, git, container] = await Promise.all([
    probe('nvidia-smi', NVIDIA_SMI_QUERY),
    probe('nvidia-smi', []),
    probe(options.python, ['--version'], env),
    readGitState(options.cwd),
    detectContainer(options.containerRoot ?? '/', { env: options.env, inspect: options.inspectContainer ?? dockerInspector(env) }),
  ]);
  const condaPrefix = options.env.CONDA_PREFIX;
  const conda = condaPrefix ? await probe('conda', ['list', '--json', '-p', condaPrefix], env) : undefined;
  const pip = conda ? undefined : await probe(options.python, ['-m', 'pip', 'list', '--format=json', '--disable-pip-version-check'], env);
  let packages: EnvironmentManifest['python']['packages'] = [];
  try {
    packages = conda ? parseCondaList(conda) : pip ? parsePipList(pip) : [];
  } catch {
    packages = [];
  }
  const cpuList = cpus();
  return {
    schema_version: MANIFEST_SCHEMA_VERSION,
    captured_at: (options.now ?? new Date()).toISOString(),
    os: { platform: platform(), release: release(), kernel: version(), arch: arch() },
    cpu: { model: cpuList[0]?.model.trim() ?? 'unknown', count: cpuList.length },
    memory_bytes: totalmem(),
    gpu: smiQuery ? gpuInfo(smiQuery, smiBanner ?? '') : null,
    python: {
      executable: options.python,
      version: pyVersion?.trim().replace(/^Python\s+/, '') ?? null,
      packages,
      package_manager: conda ? 'conda' : pip ? 'pip' : null,
    },
    node: process.version,
    git,
    container,
    determinism_env: determinismEnv(options.env, options.envAllowlist),
    cuda_determinism: options.cuda,
    inputs: options.inputs,
  };
}
