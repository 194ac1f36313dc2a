// The ActionRuntime on a GitHub runner: a thin adapter over @actions/core and @actions/artifact.
import * as core from '@actions/core';
import type { ActionRuntime, AnnotationLevel } from './action-runtime.js';
import type { FileLocation } from '../errors.js';
import { readRunContext } from './run-context.js';
import { setPathPolicy } from '../paths/workspace-paths.js';

export function githubRuntime(): ActionRuntime {
  // A fork's checkout is hostile: files are read and written only inside the workspace and RUNNER_TEMP.
  setPathPolicy([
    { path: process.env.GITHUB_WORKSPACE || process.cwd(), name: 'the workspace' },
    { path: process.env.RUNNER_TEMP ?? '', name: 'RUNNER_TEMP' },
  ]);
  const annotations: Record<AnnotationLevel, (m: string, p?: core.AnnotationProperties) => void> = {
    notice: core.notice,
    warning: core.warning,
    error: core.error,
  };
  return {
    getInput: (name) => core.getInput(name),
    setOutput: (name, value) => core.setOutput(name, value),
    appendSummary: async (markdown) => {
      await core.summary.addRaw(markdown, true).write();
    },
    setSecret: (secret) => core.setSecret(secret),
    annotate: (level, message, location?: FileLocation) =>
      annotations[level](message, location ? { file: location.file, startLine: location.line } : undefined),
    uploadArtifact: async (name, files, rootDirectory) => {
      // Self-hosted or local emulations of the runner have no artifact service; the files stay on disk.
      if (!process.env.ACTIONS_RUNTIME_TOKEN) return undefined;
      const { DefaultArtifactClient } = await import('@actions/artifact');
      const result = await new DefaultArtifactClient().uploadArtifact(name, files, rootDirectory);
      return result.id === undefined ? undefined : String(result.id);
    },
    fail: (message) => core.setFailed(message),
    logger: { debug: core.debug, info: core.info, warning: (m) => core.warning(m), error: (m) => core.error(m) },
    context: readRunContext(),
  };
}
