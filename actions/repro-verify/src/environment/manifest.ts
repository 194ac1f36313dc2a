// The environment manifest: what an experiment ran on, in a versioned JSON schema (schema/manifest.schema.json).
// Only allowlisted environment variables are recorded: everything else may hold a secret.
import type { ContainerInfo } from './container.js';

/** MAJOR.MINOR: a reader refuses a newer major version, and reads a newer minor one. */
export const MANIFEST_SCHEMA_VERSION = '1.1';

export interface GpuDevice {
  index: number;
  name: string;
  driver_version: string;
  memory_total_mib: number | null;
  uuid?: string;
}

export interface GpuInfo {
  devices: GpuDevice[];
  driver_version: string | null;
  cuda_version: string | null;
}

export interface PackageVersion {
  name: string;
  version: string;
  /** 'pip' or the conda channel. */
  source: string;
}

export interface GitState {
  commit: string | null;
  branch: string | null;
  dirty_files: string[];
}

export interface CudaKnobs {
  cublas_workspace_config: string | null;
  /** Where the sources set torch.backends.cudnn.benchmark = True (file:line), or null. */
  cudnn_benchmark: string | null;
  /** Where torch.use_deterministic_algorithms(True) / tf enable_op_determinism() is called, or null. */
  deterministic_algorithms: string | null;
}

export interface EnvironmentManifest {
  schema_version: string;
  captured_at: string;
  os: { platform: string; release: string; kernel: string; arch: string };
  cpu: { model: string; count: number };
  memory_bytes: number;
  gpu: GpuInfo | null;
  python: { executable: string; version: string | null; packages: PackageVersion[]; package_manager: 'pip' | 'conda' | null };
  node: string;
  git: GitState | null;
  /** 1.1 added runtime, id, image, image_id, digest_source and notes; a 1.0 manifest has detected and image_digest. */
  container: Pick<ContainerInfo, 'detected' | 'image_digest'> & Partial<ContainerInfo>;
  /** Allowlisted determinism-relevant variables: value, or null when unset. */
  determinism_env: Record<string, string | null>;
  cuda_determinism: CudaKnobs;
  /** sha256 of declared input files, by path relative to the working directory. */
  inputs: Record<string, string>;
}

/** Variables whose values change results: recorded by default; `env-allowlist` adds more. */
export const DETERMINISM_VARIABLES = [
  'PYTHONHASHSEED',
  'CUBLAS_WORKSPACE_CONFIG',
  'TF_DETERMINISTIC_OPS',
  'TF_CUDNN_DETERMINISTIC',
  'CUDA_VISIBLE_DEVICES',
  'CUDA_LAUNCH_BLOCKING',
  'OMP_NUM_THREADS',
  'MKL_NUM_THREADS',
];

/** Names never recorded even when allowlisted: a token does not become evidence. */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE|AUTH/i;

export function isRecordableVariable(name: string): boolean {
  return !SECRET_NAME.test(name);
}

export function determinismEnv(env: Record<string, string | undefined>, allowlist: string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of [...DETERMINISM_VARIABLES, ...allowlist]) if (isRecordableVariable(name)) out[name] = env[name] ?? null;
  return out;
}
