// Every path an action reads or writes goes through here: see workspace-paths.ts.
export * from './workspace-paths.js';
