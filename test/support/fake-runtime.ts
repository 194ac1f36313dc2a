// An ActionRuntime that records what an action's main does (outputs, summary, annotations, log lines, secrets,
// failure), so a unit test drives main exactly as the runner and the CLI do, without @actions/core.
import type { FileLocation } from '#shared/errors.js';
import type { ActionRuntime, AnnotationLevel } from '#shared/runtime/action-runtime.js';
import { readRunContext, type RunContext } from '#shared/runtime/run-context.js';

export interface FakeRuntime extends ActionRuntime {
  outputs: Record<string, string>;
  summary: string;
  annotations: { level: AnnotationLevel; message: string; location?: FileLocation }[];
  failures: string[];
  /** Every log line, warnings prefixed 'warning: '. */
  logs: string[];
  secrets: string[];
  artifacts: { name: string; files: string[] }[];
}

export function fakeRuntime(inputs: Record<string, string>, context: Partial<RunContext> = {}): FakeRuntime {
  const runtime: FakeRuntime = {
    outputs: {},
    summary: '',
    annotations: [],
    failures: [],
    logs: [],
    secrets: [],
    artifacts: [],
    getInput: (name) => (inputs[name] ?? '').trim(),
    setOutput: (name, value) => {
      runtime.outputs[name] = value;
    },
    appendSummary: async (markdown) => {
      runtime.summary += markdown;
    },
    setSecret: (secret) => runtime.secrets.push(secret),
    annotate: (level, message, location) => runtime.annotations.push({ level, message, location }),
    uploadArtifact: async (name, files) => {
      runtime.artifacts.push({ name, files });
      return undefined;
    },
    fail: (message) => runtime.failures.push(message),
    logger: {
      debug: (m) => runtime.logs.push(`debug: ${m}`),
      info: (m) => runtime.logs.push(m),
      warning: (m) => runtime.logs.push(`warning: ${m}`),
      error: (m) => runtime.logs.push(`error: ${m}`),
    },
    context: { ...readRunContext({}), workspace: process.cwd(), ...context },
  };
  return runtime;
}
