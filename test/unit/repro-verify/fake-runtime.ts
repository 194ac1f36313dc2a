// An ActionRuntime that records what main does: inputs from a map, outputs, summary, annotations, failure.
import type { ActionRuntime, AnnotationLevel } from '#shared/runtime/action-runtime.js';
import type { FileLocation } from '#shared/errors.js';
import { readRunContext } from '#shared/runtime/run-context.js';

export interface FakeRuntime extends ActionRuntime {
  outputs: Record<string, string>;
  summary: string;
  annotations: { level: AnnotationLevel; message: string; location?: FileLocation }[];
  failures: string[];
  logs: string[];
}

export function fakeRuntime(inputs: Record<string, string>, workspace: string): FakeRuntime {
  const runtime: FakeRuntime = {
    outputs: {},
    summary: '',
    annotations: [],
    failures: [],
    logs: [],
    getInput: (name) => (inputs[name] ?? '').trim(),
    setOutput: (name, value) => {
      runtime.outputs[name] = value;
    },
    appendSummary: async (markdown) => {
      runtime.summary += markdown;
    },
    setSecret: () => undefined,
    annotate: (level, message, location) => runtime.annotations.push({ level, message, location }),
    uploadArtifact: async () => undefined,
    fail: (message) => runtime.failures.push(message),
    logger: {
      debug: (m) => runtime.logs.push(`debug: ${m}`),
      info: (m) => runtime.logs.push(m),
      warning: (m) => runtime.logs.push(`warning: ${m}`),
      error: (m) => runtime.logs.push(`error: ${m}`),
    },
    context: { ...readRunContext({}), workspace },
  };
  return runtime;
}
