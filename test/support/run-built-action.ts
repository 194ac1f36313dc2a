// Runs a built action (actions/<name>/dist/index.js) in a child process the way the GitHub runner does: inputs as
// INPUT_* variables with action.yml defaults applied, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_EVENT_PATH files,
// the runner's GITHUB_* variables, and workflow commands (::error::) read back from stdout.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as loadYaml } from 'js-yaml';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type EventName = 'pull_request' | 'schedule' | 'workflow_dispatch' | 'push';

export interface ActionEvent {
  name: EventName;
  payload: object;
}

export interface RunAsActionOptions {
  /** Input values by their action.yml names ('reference', 'drift-share'). */
  inputs?: Record<string, string>;
  event?: ActionEvent;
  /** Extra environment, applied last (wins over everything the harness sets). */
  env?: Record<string, string>;
  /** GITHUB_API_URL, e.g. a test server's url. Default: a closed loopback port, so nothing reaches github.com. */
  apiUrl?: string;
  /** GITHUB_WORKSPACE and the working directory. Default: a fresh empty temp folder. */
  cwd?: string;
  /** Node to run with: nodeBinary ?? E2E_NODE ?? this process's node. */
  nodeBinary?: string;
  /** 'owner/repo'; default 'octo-org/ml-repo'. */
  repository?: string;
  /** What `${{ github.token }}` in an action.yml default becomes. */
  token?: string;
  /** Kill the action after this long (default 120 s). */
  timeoutMs?: number;
  /** Keep the runner's temp folder (event file, output files, RUNNER_TEMP) after the run, for debugging. */
  keepTemp?: boolean;
}

export interface RunBuiltActionOptions extends RunAsActionOptions {
  /** Folder name under actions/, e.g. 'drift-check'. */
  action: string;
  /** Where the action lives; default actions/<action> in this repository. */
  actionDir?: string;
}

export interface WorkflowCommandAnnotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  /** file, line, endLine, col, endColumn, title as written after the command name. */
  properties: Record<string, string>;
}

export interface ActionRunResult {
  exitCode: number | null;
  /** Set when the process was killed (timeout or signal). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** The job summary the step wrote (GITHUB_STEP_SUMMARY's content). */
  summary: string;
  annotations: WorkflowCommandAnnotation[];
  /** The env the action ran with (GITHUB_*, INPUT_*, RUNNER_*), for assertions. */
  env: Record<string, string>;
  /** The runner temp folder; deleted after the run unless keepTemp. */
  tempDir: string;
}

const DEFAULT_REPOSITORY = 'octo-org/ml-repo';
const DEFAULT_SHA = '5f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c';
const DEFAULT_TOKEN = 'ghs_test-token-not-a-secret';
/** Port 9 (discard) on loopback: nothing listens, so a forgotten apiUrl fails fast instead of calling github.com. */
const UNREACHABLE_API = 'http://127.0.0.1:9';

/** The variable name the runner gives an input: `INPUT_` + name upper-cased, spaces to `_`, hyphens kept. */
export function inputVariableName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Runs actions/<action>/<runs.main> with action.yml's input defaults applied, as the runner does. */
export async function runBuiltAction(options: RunBuiltActionOptions): Promise<ActionRunResult> {
  const actionDir = options.actionDir ?? join(REPO_ROOT, 'actions', options.action);
  const metadata = readActionMetadata(actionDir);
  const declared = Object.keys(metadata.inputs);
  const given = options.inputs ?? {};
  // The runner only warns about unknown inputs; in tests an unknown input is a typo, so stop here.
  const unknown = Object.keys(given).filter((name) => !declared.includes(name));
  if (unknown.length > 0) {
    throw new Error(`Unexpected input(s) ${unknown.map((n) => `'${n}'`).join(', ')}; valid inputs are [${declared.join(', ')}]`);
  }
  const repository = options.repository ?? DEFAULT_REPOSITORY;
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(metadata.inputs)) {
    if (given[name] !== undefined) inputs[name] = given[name];
    else if (spec.default !== undefined) inputs[name] = expandDefault(String(spec.default), name, options, repository);
  }
  const script = join(actionDir, metadata.main);
  if (!existsSync(script)) throw new Error(`${script} does not exist: build the action first (npm run build).`);
  return runScriptAsAction(script, { ...options, inputs });
}

/** Runs a JavaScript file as an action step, with exactly the environment and files the runner provides. */
export async function runScriptAsAction(scriptPath: string, options: RunAsActionOptions = {}): Promise<ActionRunResult> {
  const tempDir = mkdtempSync(join(tmpdir(), 'mlops-runner-'));
  const workspace = options.cwd ? resolve(options.cwd) : mkdtempSync(join(tempDir, 'workspace-'));
  const files = {
    event: join(tempDir, 'event.json'),
    output: join(tempDir, 'output'),
    summary: join(tempDir, 'step_summary'),
    env: join(tempDir, 'env'),
    path: join(tempDir, 'path'),
    state: join(tempDir, 'state'),
  };
  const repository = options.repository ?? DEFAULT_REPOSITORY;
  const event = options.event ?? { name: 'workflow_dispatch' as const, payload: { inputs: {} } };
  const payload = withRepository(event.payload, repository);
  writeFileSync(files.event, JSON.stringify(payload, null, 2));
  for (const file of [files.output, files.summary, files.env, files.path, files.state]) writeFileSync(file, '');

  const env: Record<string, string> = {
    ...runnerEnvironment(event.name, payload, repository, options.apiUrl ?? UNREACHABLE_API, workspace, tempDir),
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STATE: files.state,
  };
  for (const [name, value] of Object.entries(options.inputs ?? {})) env[inputVariableName(name)] = value;
  Object.assign(env, options.env ?? {});

  const nodeBinary = options.nodeBinary ?? process.env.E2E_NODE ?? process.execPath;
  try {
    const { exitCode, signal, stdout, stderr } = await spawnNode(nodeBinary, scriptPath, {
      cwd: workspace,
      env: { ...inheritedEnvironment(), ...env },
      timeoutMs: options.timeoutMs ?? 120_000,
    });
    return {
      exitCode,
      signal,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
      summary: readFileSync(files.summary, 'utf8'),
      annotations: parseWorkflowCommands(stdout),
      env,
      tempDir,
    };
  } finally {
    if (!options.keepTemp) rmSync(tempDir, { recursive: true, force: true });
  }
}

/**
 * GITHUB_OUTPUT as @actions/core writes it: `name<<delimiter\nvalue\ndelimiter` blocks, or the older `name=value`
 * lines. A later write of the same name wins, as on the runner.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing '${delimiter}' for output '${name}'.`);
      outputs[name] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`GITHUB_OUTPUT: cannot read line '${line}'.`);
    outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return outputs;
}

/** `::error file=a.csv,line=3,title=T::message` lines, unescaped the way the runner does. */
export function parseWorkflowCommands(stdout: string): WorkflowCommandAnnotation[] {
  const annotations: WorkflowCommandAnnotation[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1));
    }
    annotations.push({ level: match[1] as WorkflowCommandAnnotation['level'], message: unescapeData(match[3]), properties });
  }
  return annotations;
}

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(text: string): string {
  return unescapeData(text.replace(/%3A/g, ':').replace(/%2C/g, ','));
}

interface ActionMetadata {
  main: string;
  using: string;
  inputs: Record<string, { default?: unknown; required?: boolean }>;
}

function readActionMetadata(actionDir: string): ActionMetadata {
  const file = join(actionDir, 'action.yml');
  const doc = loadYaml(readFileSync(file, 'utf8')) as {
    runs?: { using?: string; main?: string };
    inputs?: ActionMetadata['inputs'];
  };
  if (!doc?.runs?.main || !/^node\d+$/.test(doc.runs.using ?? '')) {
    throw new Error(`${file}: expected runs.using: nodeNN and runs.main.`);
  }
  return { main: doc.runs.main, using: doc.runs.using!, inputs: doc.inputs ?? {} };
}

/** The few `${{ }}` expressions our action.yml defaults use; any other is an error, not a silent blank. */
function expandDefault(value: string, input: string, options: RunAsActionOptions, repository: string): string {
  const contexts: Record<string, string> = {
    'github.token': options.token ?? DEFAULT_TOKEN,
    'github.repository': repository,
    'github.server_url': 'https://github.com',
    'github.api_url': options.apiUrl ?? UNREACHABLE_API,
    ...(options.cwd ? { 'github.workspace': resolve(options.cwd) } : {}),
  };
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_all, expression: string) => {
    if (!(expression in contexts)) throw new Error(`Input '${input}': the harness cannot evaluate \${{ ${expression} }}.`);
    return contexts[expression];
  });
}

function withRepository(payload: object, fullName: string): object {
  const [owner, name] = fullName.split('/');
  return {
    repository: { full_name: fullName, name, owner: { login: owner }, default_branch: 'main' },
    sender: { login: 'octocat', type: 'User' },
    ...payload,
  };
}

/** The variables a hosted runner sets for a JavaScript action step. */
function runnerEnvironment(
  eventName: EventName,
  payload: object,
  repository: string,
  apiUrl: string,
  workspace: string,
  tempDir: string,
): Record<string, string> {
  const pr = (payload as { pull_request?: { number?: number; head?: { ref?: string; sha?: string }; base?: { ref?: string } } })
    .pull_request;
  const ref = eventName === 'pull_request' ? `refs/pull/${pr?.number ?? 1}/merge` : 'refs/heads/main';
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__run',
    GITHUB_ACTOR: 'octocat',
    GITHUB_ACTOR_ID: '583231',
    GITHUB_TRIGGERING_ACTOR: 'octocat',
    GITHUB_API_URL: apiUrl,
    GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: repository.split('/')[0],
    GITHUB_EVENT_NAME: eventName,
    GITHUB_SHA: DEFAULT_SHA,
    GITHUB_REF: ref,
    GITHUB_REF_NAME: eventName === 'pull_request' ? `${pr?.number ?? 1}/merge` : 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_HEAD_REF: eventName === 'pull_request' ? (pr?.head?.ref ?? 'feature') : '',
    GITHUB_BASE_REF: eventName === 'pull_request' ? (pr?.base?.ref ?? 'main') : '',
    GITHUB_RUN_ID: '1658821493',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'mlops',
    GITHUB_WORKFLOW_REF: `${repository}/.github/workflows/mlops.yml@${ref}`,
    GITHUB_JOB: 'check',
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: tempDir,
    RUNNER_TOOL_CACHE: join(tempDir, 'tool-cache'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'mlops-test-runner',
    RUNNER_ENVIRONMENT: 'github-hosted',
  };
}

/**
 * The test process's own environment minus anything a real runner would have set for *this* process (tests may
 * themselves run inside GitHub Actions): the action must see only what this harness gives it.
 */
function inheritedEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_|STATE_)/.test(name) || name === 'CI' || name === 'NODE_OPTIONS') continue;
    env[name] = value;
  }
  return env;
}

function spawnNode(
  nodeBinary: string,
  scriptPath: string,
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(nodeBinary, [scriptPath], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolvePromise({
        exitCode,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}
