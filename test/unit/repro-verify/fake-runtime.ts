// repro-verify's tests name the workspace only; the recording runtime itself is the shared one.
import { fakeRuntime as recordingRuntime, type FakeRuntime } from '../../support/fake-runtime.js';

export type { FakeRuntime };

export function fakeRuntime(inputs: Record<string, string>, workspace: string): FakeRuntime {
  return recordingRuntime(inputs, { workspace });
}
