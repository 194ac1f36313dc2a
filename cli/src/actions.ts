// The actions the CLI can run: each one's own main function (the same code the GitHub runner runs) and its
// action.yml. Adding an action is one line here.
import type { ActionMain } from '#shared/runtime/run-action.js';
import { costReport } from '../../actions/cost-report/src/main.js';
import { canaryPromote } from '../../actions/canary-promote/src/main.js';
import { dataGate } from '../../actions/data-gate/src/main.js';
import { dependencyLock } from '../../actions/dependency-lock/src/main.js';
import { driftCheck } from '../../actions/drift-check/src/main.js';
import { reproVerify } from '../../actions/repro-verify/src/main.js';

export interface RegisteredAction {
  main: ActionMain;
  /** action.yml, relative to the package root. */
  metadataPath: string;
}

const action = (name: string, main: ActionMain): RegisteredAction => ({
  main,
  metadataPath: `actions/${name}/action.yml`,
});

export const registeredActions: Readonly<Record<string, RegisteredAction>> = {
  'cost-report': action('cost-report', costReport),
  'canary-promote': action('canary-promote', canaryPromote),
  'data-gate': action('data-gate', dataGate),
  'dependency-lock': action('dependency-lock', dependencyLock),
  'drift-check': action('drift-check', driftCheck),
  'repro-verify': action('repro-verify', reproVerify),
};
