// Which container the experiment ran in, found from the files a container runtime leaves behind (under `root`, '/'
// on a runner; a temp folder of recorded files in tests): /.dockerenv (Docker, and GitHub's `container:` jobs),
// /run/.containerenv (Podman, with `image=` and `imageid=` when it fills it in), and the container id in
// /proc/self/cgroup (cgroup v1: .../docker/<id>, docker-<id>.scope, libpod-<id>, cri-containerd-<id>, crio-<id>) or
// /proc/self/mountinfo (cgroup v2 hides the id: the bind mount of /etc/hostname comes from .../containers/<id>/).
// The image digest: REPRO_IMAGE_DIGEST when set (GitHub's `job.container` context has only `id` and `network`, no
// image or digest), else `docker inspect` of our own id when a docker CLI and socket answer; a failure is a note.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type ContainerRuntime = 'docker' | 'podman' | 'containerd' | 'cri-o' | 'kubernetes' | 'unknown';

export interface ContainerInfo {
  detected: boolean;
  runtime: ContainerRuntime | null;
  /** The 64-hex container id, when the runtime left it somewhere readable. */
  id: string | null;
  /** The image reference the container was started from, e.g. `python:3.12-slim`. */
  image: string | null;
  /** The local image id (`sha256:...` of the image config). */
  image_id: string | null;
  /** The registry digest, e.g. `python@sha256:...`: the same bytes anywhere. */
  image_digest: string | null;
  /** Where image_digest came from. */
  digest_source: 'REPRO_IMAGE_DIGEST' | 'docker inspect' | null;
  /** Why a field is missing (no docker CLI, inspect timed out...), for people reading the manifest. */
  notes: string[];
}

/** What `docker inspect` tells about our own container and its image; undefined fields were not found. */
export interface InspectedContainer {
  image?: string;
  imageId?: string;
  repoDigests?: string[];
}

/** Asks the container engine about a container id; throws with a short reason when it cannot. */
export type ContainerInspector = (id: string) => Promise<InspectedContainer>;

const HEX64 = '[0-9a-f]{64}';
const CGROUP_PATTERNS: [RegExp, ContainerRuntime][] = [
  [new RegExp(`/docker[/-](${HEX64})(?:\\.scope)?(?:/|$)`), 'docker'],
  [new RegExp(`/libpod-(?:conmon-)?(${HEX64})(?:\\.scope)?(?:/|$)`), 'podman'],
  [new RegExp(`/cri-containerd-(${HEX64})(?:\\.scope)?(?:/|$)`), 'containerd'],
  [new RegExp(`/crio-(?:conmon-)?(${HEX64})(?:\\.scope)?(?:/|$)`), 'cri-o'],
  [new RegExp(`/kubepods[^\\s]*/(${HEX64})(?:/|$)`), 'kubernetes'],
];
// The mount source of /etc/hostname (or resolv.conf, hosts) names the container's own folder.
const MOUNT_PATTERNS: [RegExp, ContainerRuntime][] = [
  [new RegExp(`/docker/containers/(${HEX64})/`), 'docker'],
  [new RegExp(`/overlay-containers/(${HEX64})/`), 'podman'],
  [new RegExp(`/containerd/[^\\s]*/(${HEX64})/`), 'containerd'],
  [new RegExp(`/containers/(${HEX64})/`), 'unknown'],
];

const read = (root: string, path: string) => readFile(join(root, path), 'utf8').catch(() => undefined);

/** `key="value"` lines of /run/.containerenv. */
export function parseContainerEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_]+)\s*=\s*"?(.*?)"?\s*$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

export function containerIdFromCgroup(text: string): { id: string; runtime: ContainerRuntime } | undefined {
  for (const line of text.split('\n')) {
    const path = line.split(':').slice(2).join(':');
    for (const [pattern, runtime] of CGROUP_PATTERNS) {
      const m = pattern.exec(path);
      if (m) return { id: m[1], runtime };
    }
  }
  return undefined;
}

export function containerIdFromMountinfo(text: string): { id: string; runtime: ContainerRuntime } | undefined {
  for (const line of text.split('\n')) {
    // Field 4 is the root of the mount within its filesystem, field 5 the mount point (proc(5)).
    const fields = line.split(' ');
    if (!['/etc/hostname', '/etc/resolv.conf', '/etc/hosts'].includes(fields[4] ?? '')) continue;
    for (const [pattern, runtime] of MOUNT_PATTERNS) {
      const m = pattern.exec(fields[3] ?? '');
      if (m) return { id: m[1], runtime };
    }
  }
  return undefined;
}

const DIGEST = /sha256:[0-9a-f]{64}/;

/** The repo digest for the image's own repository (`ghcr.io/o/i:tag` -> `ghcr.io/o/i@sha256:...`), else the first. */
export function pickRepoDigest(image: string | undefined, digests: string[]): string | undefined {
  const valid = digests.filter((d) => DIGEST.test(d));
  const repository = image?.replace(/@sha256:.*$/, '').replace(/:[^/:]+$/, '');
  return valid.find((d) => repository !== undefined && d.startsWith(`${repository}@`)) ?? valid[0];
}

export interface DetectOptions {
  /** Variables the step runs with: REPRO_IMAGE_DIGEST overrides, KUBERNETES_SERVICE_HOST hints at a pod. */
  env: Record<string, string | undefined>;
  /** Asked only when a docker container id was found. */
  inspect?: ContainerInspector;
}

export async function detectContainer(root: string, options: DetectOptions): Promise<ContainerInfo> {
  const [dockerenv, containerenv, cgroup, mountinfo] = await Promise.all([
    read(root, '.dockerenv'),
    read(root, 'run/.containerenv'),
    read(root, 'proc/self/cgroup'),
    read(root, 'proc/self/mountinfo'),
  ]);
  const info: ContainerInfo = {
    detected: false,
    runtime: null,
    id: null,
    image: null,
    image_id: null,
    image_digest: null,
    digest_source: null,
    notes: [],
  };
  const found = (cgroup && containerIdFromCgroup(cgroup)) || (mountinfo && containerIdFromMountinfo(mountinfo)) || undefined;
  if (containerenv !== undefined) {
    const fields = parseContainerEnv(containerenv);
    info.runtime = 'podman';
    info.id = /^[0-9a-f]{64}$/.test(fields.id ?? '') ? fields.id : null;
    info.image = fields.image || null;
    info.image_id = fields.imageid ? (fields.imageid.startsWith('sha256:') ? fields.imageid : `sha256:${fields.imageid}`) : null;
    if (!fields.image) info.notes.push('/run/.containerenv has no image= line (Podman fills it in for rootful or --privileged containers)');
  } else if (dockerenv !== undefined) info.runtime = 'docker';
  if (found) {
    info.id ??= found.id;
    info.runtime ??= found.runtime;
  }
  if (!info.runtime && options.env.KUBERNETES_SERVICE_HOST) info.runtime = 'kubernetes';
  info.detected = info.runtime !== null;

  const override = options.env.REPRO_IMAGE_DIGEST ?? '';
  if (DIGEST.test(override)) {
    info.image_digest = override;
    info.digest_source = 'REPRO_IMAGE_DIGEST';
  } else if (override) info.notes.push(`REPRO_IMAGE_DIGEST is not a sha256 digest ('${override.slice(0, 80)}'): ignored`);

  if (info.detected && info.runtime === 'docker' && info.id && options.inspect) {
    try {
      const inspected = await options.inspect(info.id);
      info.image ??= inspected.image ?? null;
      info.image_id ??= inspected.imageId ?? null;
      const digest = pickRepoDigest(inspected.image, inspected.repoDigests ?? []);
      if (!info.image_digest && digest) {
        info.image_digest = digest;
        info.digest_source = 'docker inspect';
      } else if (!digest) info.notes.push('the image has no registry digest (built locally, never pushed or pulled)');
    } catch (error) {
      info.notes.push(`docker inspect of this container failed: ${(error as Error).message.split('\n')[0].slice(0, 200)}`);
    }
  } else if (info.detected && !info.image_digest) {
    if (info.runtime === 'docker' && !info.id) info.notes.push('the container id is not visible here (cgroup v2 without a hostname mount)');
    info.notes.push('no image digest: set REPRO_IMAGE_DIGEST (e.g. the digest your workflow built or pulled) to record it');
  }
  return info;
}
