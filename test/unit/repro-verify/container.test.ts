// The container the experiment ran in, detected from recorded runtime files laid out under a temp root (so the test
// does not depend on the machine running it), and the image digest asked of a stand-in docker CLI on PATH.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { captureEnvironment } from '../../../actions/repro-verify/src/environment/capture.js';
import {
  containerIdFromCgroup,
  containerIdFromMountinfo,
  detectContainer,
  pickRepoDigest,
  type ContainerInspector,
} from '../../../actions/repro-verify/src/environment/container.js';
import { dockerInspector } from '../../../actions/repro-verify/src/environment/docker-inspect.js';
import { diffEnvironments } from '../../../actions/repro-verify/src/environment/environment-diff.js';
import { REPO_ROOT } from '../../support/run-built-action.js';

const ID = 'f3c1e2d4a5b60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00';
const DIGEST = 'sha256:2a1f8e3c4b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7';

function root(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'container-root-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

// Recorded from a Docker 24 container on cgroup v2: the id only shows in the hostname bind mount's source.
const MOUNTINFO_V2 = [
  '812 700 0:74 / / rw,relatime master:312 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/ABC',
  '826 812 0:78 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup rw,nsdelegate',
  `835 812 259:2 /var/lib/docker/containers/${ID}/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/nvme0n1p2 rw`,
  `836 812 259:2 /var/lib/docker/containers/${ID}/hostname /etc/hostname rw,relatime - ext4 /dev/nvme0n1p2 rw`,
  `837 812 259:2 /var/lib/docker/containers/${ID}/hosts /etc/hosts rw,relatime - ext4 /dev/nvme0n1p2 rw`,
].join('\n');

describe('container id from the runtime files', () => {
  test('cgroup v1 paths of docker, a systemd scope, podman and kubernetes', () => {
    expect(containerIdFromCgroup(`12:memory:/docker/${ID}\n11:pids:/docker/${ID}`)).toEqual({ id: ID, runtime: 'docker' });
    expect(containerIdFromCgroup(`0::/system.slice/docker-${ID}.scope`)).toEqual({ id: ID, runtime: 'docker' });
    expect(containerIdFromCgroup(`0::/machine.slice/libpod-${ID}.scope/container`)).toEqual({ id: ID, runtime: 'podman' });
    expect(containerIdFromCgroup(`4:cpu:/kubepods/burstable/pod1f2e/${ID}`)).toEqual({ id: ID, runtime: 'kubernetes' });
    expect(containerIdFromCgroup('0::/\n4:memory:/process_api/6aa1451839de9f87fd8472aba2456bde')).toBeUndefined();
  });

  test('cgroup v2 hides it; the hostname mount of mountinfo names it', () => {
    expect(containerIdFromMountinfo(MOUNTINFO_V2)).toEqual({ id: ID, runtime: 'docker' });
    // The same folder mounted somewhere else than /etc/hostname is not evidence.
    expect(containerIdFromMountinfo(`1 2 3:4 /var/lib/docker/containers/${ID}/hostname /mnt/x rw - ext4 /dev/x rw`)).toBeUndefined();
  });

  test('the repo digest of the image the container was started from', () => {
    const digests = [`mirror.local/python@${DIGEST}`, `python@${DIGEST}`];
    expect(pickRepoDigest('python:3.12-slim', digests)).toBe(`python@${DIGEST}`);
    expect(pickRepoDigest('other:1', digests)).toBe(`mirror.local/python@${DIGEST}`);
    expect(pickRepoDigest('python:3.12', ['python@sha256:short'])).toBeUndefined();
  });
});

describe('detectContainer', () => {
  test('not in a container: nothing detected, nothing asked', async () => {
    const asked: string[] = [];
    const inspect: ContainerInspector = async (id) => (asked.push(id), {});
    const info = await detectContainer(root({ 'proc/self/cgroup': '0::/init.scope\n' }), { env: {}, inspect });
    expect(info).toMatchObject({ detected: false, runtime: null, id: null, image_digest: null, notes: [] });
    expect(asked).toEqual([]);
  });

  test('a GitHub `container:` job under Docker: the id from mountinfo, image and digest from docker inspect', async () => {
    const inspect: ContainerInspector = async (id) => {
      expect(id).toBe(ID);
      return { image: 'python:3.12-slim', imageId: `sha256:${'9'.repeat(64)}`, repoDigests: [`python@${DIGEST}`] };
    };
    const dir = root({ '.dockerenv': '', 'proc/self/cgroup': '0::/\n', 'proc/self/mountinfo': MOUNTINFO_V2 });
    expect(await detectContainer(dir, { env: {}, inspect })).toEqual({
      detected: true,
      runtime: 'docker',
      id: ID,
      image: 'python:3.12-slim',
      image_id: `sha256:${'9'.repeat(64)}`,
      image_digest: `python@${DIGEST}`,
      digest_source: 'docker inspect',
      notes: [],
    });
  });

  test('REPRO_IMAGE_DIGEST overrides what docker inspect finds; a value that is no digest is a note', async () => {
    const dir = root({ '.dockerenv': '', 'proc/self/cgroup': `12:memory:/docker/${ID}\n` });
    const inspect: ContainerInspector = async () => ({ image: 'python:3.12', repoDigests: [`python@sha256:${'1'.repeat(64)}`] });
    const given = `ghcr.io/org/train@${DIGEST}`;
    const info = await detectContainer(dir, { env: { REPRO_IMAGE_DIGEST: given }, inspect });
    expect(info).toMatchObject({ image_digest: given, digest_source: 'REPRO_IMAGE_DIGEST', image: 'python:3.12' });
    const bad = await detectContainer(dir, { env: { REPRO_IMAGE_DIGEST: 'latest' }, inspect });
    expect(bad.image_digest).toBe(`python@sha256:${'1'.repeat(64)}`);
    expect(bad.notes).toEqual(["REPRO_IMAGE_DIGEST is not a sha256 digest ('latest'): ignored"]);
  });

  test('Podman: id, image and image id read from /run/.containerenv, docker is not asked', async () => {
    const asked: string[] = [];
    const inspect: ContainerInspector = async (id) => (asked.push(id), {});
    const dir = root({
      'run/.containerenv': `engine="podman-4.9.3"\nname="train"\nid="${ID}"\nimage="quay.io/org/train:2024-06"\nimageid="${'7'.repeat(64)}"\nrootless=0\n`,
    });
    const info = await detectContainer(dir, { env: {}, inspect });
    expect(info).toMatchObject({
      detected: true,
      runtime: 'podman',
      id: ID,
      image: 'quay.io/org/train:2024-06',
      image_id: `sha256:${'7'.repeat(64)}`,
      image_digest: null,
    });
    expect(info.notes.join('\n')).toMatch(/set REPRO_IMAGE_DIGEST/);
    expect(asked).toEqual([]);
  });

  test('an empty /run/.containerenv (rootless Podman) still counts, with a note', async () => {
    const info = await detectContainer(root({ 'run/.containerenv': '' }), { env: {} });
    expect(info).toMatchObject({ detected: true, runtime: 'podman', id: null, image: null });
    expect(info.notes[0]).toMatch(/no image= line/);
  });

  test('Docker without a visible id (this sandbox: /.dockerenv, cgroup v2 at /): detected, and says why no digest', async () => {
    const info = await detectContainer(root({ '.dockerenv': '', 'proc/self/cgroup': '0::/\n' }), { env: {} });
    expect(info).toMatchObject({ detected: true, runtime: 'docker', id: null });
    expect(info.notes).toEqual([
      'the container id is not visible here (cgroup v2 without a hostname mount)',
      'no image digest: set REPRO_IMAGE_DIGEST (e.g. the digest your workflow built or pulled) to record it',
    ]);
  });
});

describe('dockerInspector over a stand-in docker CLI', () => {
  const fakeDocker = (script: string) => {
    const bin = mkdtempSync(join(tmpdir(), 'fake-docker-'));
    writeFileSync(join(bin, 'docker'), `#!/bin/sh\n${script}\n`);
    chmodSync(join(bin, 'docker'), 0o755);
    return { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  };
  const dockerRoot = () => root({ '.dockerenv': '', 'proc/self/cgroup': `12:memory:/docker/${ID}\n` });

  test('reads the image and its repo digests as `docker inspect` prints them', async () => {
    const env = fakeDocker(
      [
        'case "$1 $2" in',
        `  "inspect --type") echo "python:3.12-slim sha256:${'9'.repeat(64)}" ;;`,
        `  "image inspect") echo '["python@${DIGEST}"]' ;;`,
        '  *) exit 2 ;;',
        'esac',
      ].join('\n'),
    );
    const info = await detectContainer(dockerRoot(), { env: {}, inspect: dockerInspector(env) });
    expect(info).toMatchObject({ image: 'python:3.12-slim', image_digest: `python@${DIGEST}`, digest_source: 'docker inspect' });
  });

  test('no socket: the failure is a note, not an error', async () => {
    const env = fakeDocker('echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." >&2; exit 1');
    const info = await detectContainer(dockerRoot(), { env: {}, inspect: dockerInspector(env) });
    expect(info.image_digest).toBeNull();
    expect(info.notes).toEqual([
      'docker inspect of this container failed: Cannot connect to the Docker daemon at unix:///var/run/docker.sock.',
    ]);
  });

  test('a docker CLI that hangs is stopped after the time limit', async () => {
    const env = fakeDocker('sleep 5');
    const started = Date.now();
    const info = await detectContainer(dockerRoot(), { env: {}, inspect: dockerInspector(env, 300) });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(info.notes).toEqual(['docker inspect of this container failed: docker inspect took longer than 300 ms']);
  });

  test('no docker CLI at all', async () => {
    const info = await detectContainer(dockerRoot(), { env: {}, inspect: dockerInspector({ PATH: '/nonexistent' }) });
    expect(info.notes).toEqual(['docker inspect of this container failed: no docker CLI in this container']);
  });
});

test('the manifest records the container, stays valid against its schema, and the diff names a new image', async () => {
  const inspect: ContainerInspector = async () => ({ image: 'python:3.12', repoDigests: [`python@${DIGEST}`] });
  const capture = (containerRoot: string) =>
    captureEnvironment({
      cwd: tmpdir(),
      python: 'python3-not-installed',
      env: {},
      envAllowlist: [],
      inputs: {},
      cuda: { cublas_workspace_config: null, cudnn_benchmark: null, deterministic_algorithms: null },
      containerRoot,
      inspectContainer: inspect,
    });
  const inContainer = await capture(root({ '.dockerenv': '', 'proc/self/mountinfo': MOUNTINFO_V2 }));
  expect(inContainer.schema_version).toBe('1.1');
  expect(inContainer.container).toMatchObject({ detected: true, id: ID, image_digest: `python@${DIGEST}` });
  const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'actions/repro-verify/schema/manifest.schema.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true });
  const addFormats = addFormatsModule as unknown as { default?: (a: Ajv) => void } & ((a: Ajv) => void);
  (addFormats.default ?? addFormats)(ajv);
  expect(ajv.validate(schema, inContainer) ? [] : ajv.errors).toEqual([]);

  const onHost = await capture(root({}));
  expect(onHost.container).toMatchObject({ detected: false, image_digest: null });
  expect(diffEnvironments(onHost, inContainer).find((c) => c.kind === 'container')?.text).toBe(`container image added: python@${DIGEST}`);
});
