// The ActionRuntime in a terminal (`npx mlops-actions <action> ...`): inputs come from flags, the summary is printed
// for people, outputs as `name=value` lines at the end, and every printed line has the secrets masked.
import type { FileLocation } from '../errors.js';
import { formatLocation } from '../errors.js';
import type { Logger } from '../logger.js';
import { mermaidChartsAsText } from '../reports/mermaid.js';
import type { ActionRuntime, AnnotationLevel } from './action-runtime.js';
import { readRunContext } from './run-context.js';

/** Where the CLI writes: process.stdout/stderr, or a recorder in tests. */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliRuntimeOptions {
  /** Input values by name, defaults from action.yml already applied. */
  inputs: Readonly<Record<string, string>>;
  stdout: TextSink;
  stderr: TextSink;
  env?: NodeJS.ProcessEnv;
  /** Progress redraws are throttled to one per this many ms (the last step always shows). */
  progressIntervalMs?: number;
  now?: () => number;
}

export interface CliRuntime extends ActionRuntime {
  progress(label: string, done: number, total: number): void;
  /** Prints the outputs collected during the run and returns the process exit code (0 or 1). */
  finish(): number;
  readonly failed: boolean;
}

const MASK = '***';

export function cliRuntime(options: CliRuntimeOptions): CliRuntime {
  const env = options.env ?? process.env;
  const secrets = new Set<string>();
  const outputs = new Map<string, string>();
  const debugEnabled = env.RUNNER_DEBUG === '1' || env.MLOPS_ACTIONS_DEBUG === '1';
  const now = options.now ?? Date.now;
  const progressInterval = options.progressIntervalMs ?? 100;
  let progressShown = false;
  let lastProgressAt = -Infinity;
  let failed = false;

  const mask = (text: string): string => {
    let masked = text;
    // Longest first, so a secret containing another secret is hidden whole.
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) masked = masked.split(secret).join(MASK);
    return masked;
  };
  const clearProgress = () => {
    if (progressShown) options.stderr.write('\r\x1b[K');
    progressShown = false;
  };
  const print = (sink: TextSink, text: string) => {
    clearProgress();
    sink.write(mask(text.endsWith('\n') ? text : `${text}\n`));
  };
  const out = (text: string) => print(options.stdout, text);
  const err = (text: string) => print(options.stderr, text);

  const logger: Logger = {
    debug: (message) => {
      if (debugEnabled) err(`debug: ${message}`);
    },
    info: (message) => err(message),
    warning: (message) => err(`warning: ${message}`),
    error: (message) => err(`error: ${message}`),
  };

  return {
    getInput: (name) => (options.inputs[name] ?? '').trim(),
    setOutput: (name, value) => {
      outputs.set(name, value);
    },
    appendSummary: async (markdown) => out(renderMarkdownForTerminal(markdown)),
    setSecret: (secret) => {
      // As the runner does, each line of a multi-line secret is masked on its own too.
      for (const part of [secret, ...secret.split(/\r?\n/)]) if (part.trim() !== '') secrets.add(part);
    },
    annotate: (level: AnnotationLevel, message: string, location?: FileLocation) => err(formatAnnotation(level, message, location)),
    uploadArtifact: async (name, files, rootDirectory) => {
      logger.info(`Artifact '${name}' is not uploaded outside GitHub; its ${files.length} file(s) stay in ${rootDirectory}`);
      return undefined;
    },
    fail: (message) => {
      failed = true;
      err(`Error: ${message}`);
    },
    progress: (label, done, total) => {
      if (!options.stderr.isTTY) return;
      const finished = total > 0 && done >= total;
      if (!finished && now() - lastProgressAt < progressInterval) return;
      lastProgressAt = now();
      options.stderr.write(`\r\x1b[K${mask(formatProgress(label, done, total))}`);
      progressShown = true;
      if (finished) clearProgress();
    },
    finish: () => {
      clearProgress();
      for (const [name, value] of outputs) out(formatOutput(name, value));
      return failed ? 1 : 0;
    },
    get failed() {
      return failed;
    },
    logger,
    context: readRunContext(env),
  };
}

/** `file:line: level: message`, the form compilers use, so editors and terminals can jump to the line. */
export function formatAnnotation(level: AnnotationLevel, message: string, location?: FileLocation): string {
  if (!location) return `${level}: ${message}`;
  const where = location.line !== undefined ? `${location.file}:${location.line}` : location.file;
  // DataError messages already begin with their location; print it once.
  const prefix = `${formatLocation(location)}: `;
  const text = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  return `${where}: ${level}: ${text}`;
}

/** One `name=value` line; a multi-line value uses the heredoc form of $GITHUB_OUTPUT so it stays parseable. */
export function formatOutput(name: string, value: string): string {
  if (!value.includes('\n')) return `${name}=${value}`;
  let delimiter = 'EOF';
  while (value.includes(delimiter)) delimiter += '_';
  return `${name}<<${delimiter}\n${value}\n${delimiter}`;
}

export function formatProgress(label: string, done: number, total: number, width = 24): string {
  if (!(total > 0)) return `${label} ${done}`;
  const share = Math.min(1, Math.max(0, done / total));
  const filled = Math.round(share * width);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(share * 100)}% (${done}/${total})`;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/**
 * A plain rendering of the job summary's markdown for a terminal: headings underlined, HTML tags dropped, tables
 * kept with their columns padded to line up. Hand-written because terminal markdown renderers pull in large
 * dependency trees for what is a few lines of text layout here.
 */
export function renderMarkdownForTerminal(markdown: string): string {
  const lines = mermaidChartsAsText(markdown)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|summary|details|h\d|tr|li)>/gi, (tag) => (tag.toLowerCase() === '</summary>' ? ':\n' : '\n'))
    .replace(/<[^>\n]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (entity) => ENTITIES[entity] ?? entity)
    .split('\n');
  const rendered: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (isTableRow(lines[i])) {
      const table: string[] = [];
      while (i < lines.length && isTableRow(lines[i])) table.push(lines[i++]);
      i--;
      rendered.push(...alignTable(table));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(lines[i]);
    if (heading) {
      const text = heading[2].trim();
      rendered.push(text);
      if (heading[1].length <= 2) rendered.push((heading[1].length === 1 ? '=' : '-').repeat(text.length));
      continue;
    }
    rendered.push(lines[i].replace(/\*\*(.+?)\*\*/g, '$1'));
  }
  return rendered
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function isTableRow(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith('|') && trimmed.endsWith('|') && trimmed.length > 1;
}

function splitRow(line: string): string[] {
  // Cells are split on pipes that are not escaped as \|.
  return line
    .trim()
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) =>
      cell
        .trim()
        .replace(/\\\|/g, '|')
        .replace(/\*\*(.+?)\*\*/g, '$1'),
    );
}

function alignTable(rows: string[]): string[] {
  const cells = rows.map(splitRow);
  const isSeparator = (row: string[]) => row.every((cell) => /^:?-{1,}:?$/.test(cell));
  const columns = Math.max(...cells.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(1, ...cells.filter((row) => !isSeparator(row)).map((row) => (row[c] ?? '').length)),
  );
  return cells.map((row) =>
    isSeparator(row)
      ? `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`
      : `| ${widths.map((w, c) => (row[c] ?? '').padEnd(w)).join(' | ')} |`,
  );
}
