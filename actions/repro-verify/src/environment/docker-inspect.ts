// ContainerInspector over the docker CLI: `docker inspect` of our own container, then of its image for the registry
// digests. Each call is time-limited (a socket that hangs must not hold the step) and runs only when a docker
// container id was found; any failure comes back as an error whose message becomes a note in the manifest.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ContainerInspector } from './container.js';

const run = promisify(execFile);

export function dockerInspector(env: NodeJS.ProcessEnv, timeoutMs = 5000): ContainerInspector {
  const docker = async (args: string[]) => {
    try {
      return (await run('docker', args, { timeout: timeoutMs, maxBuffer: 1 << 20, env })).stdout.trim();
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { killed?: boolean; stderr?: string };
      if (e.code === 'ENOENT') throw new Error('no docker CLI in this container', { cause: error });
      if (e.killed) throw new Error(`docker ${args[0]} took longer than ${timeoutMs} ms`, { cause: error });
      throw new Error((e.stderr || e.message).trim(), { cause: error });
    }
  };
  return async (id) => {
    const [image, imageId] = (await docker(['inspect', '--type', 'container', '--format', '{{.Config.Image}} {{.Image}}', id])).split(' ');
    const digests = imageId ? await docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', imageId]) : '[]';
    let repoDigests: string[] = [];
    try {
      repoDigests = (JSON.parse(digests) as unknown[] | null)?.map(String) ?? [];
    } catch {
      repoDigests = [];
    }
    return { image: image || undefined, imageId: imageId || undefined, repoDigests };
  };
}
