// Metrics files (JSON, YAML or CSV of numbers) flattened to dotted keys: {"eval": {"acc": 0.9}} -> eval.acc.
// CSV: one data row gives one metric per column; several rows are keyed by their first column when it is text
// (loss,value / train,0.3 -> train.value), else by row number (0.loss, 1.loss).
import { load as loadYaml, YAMLException } from 'js-yaml';
import { DataError } from '#shared/errors.js';

export type Metrics = Map<string, number>;

export function flattenNumbers(value: unknown, prefix: string, into: Metrics): Metrics {
  if (typeof value === 'number') {
    if (prefix) into.set(prefix, value);
  } else if (Array.isArray(value)) value.forEach((v, i) => flattenNumbers(v, prefix ? `${prefix}.${i}` : String(i), into));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) flattenNumbers(v, prefix ? `${prefix}.${k}` : k, into);
  return into;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Where JSON.parse gave up (its message says so only in some Node versions): a validating scan of the grammar
 * that returns the offset of the first character that cannot continue a JSON document.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') return string();
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : undefined;
  }
}

function parseCsvMetrics(text: string, file: string): Metrics {
  const rows = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1')));
  if (rows.length < 2) throw new DataError('a CSV metrics file needs a header row and at least one row of values', { file, line: 1 });
  const [header, ...body] = rows;
  const metrics: Metrics = new Map();
  const keyedByName = body.length > 1 && body.every((r) => r[0] !== '' && Number.isNaN(Number(r[0])));
  body.forEach((row, r) => {
    if (row.length !== header.length)
      throw new DataError(`row has ${row.length} cells, the header has ${header.length}`, { file, line: r + 2 });
    row.forEach((cell, c) => {
      if (keyedByName && c === 0) return;
      const n = Number(cell);
      if (cell === '' || Number.isNaN(n)) {
        if (body.length === 1 || !keyedByName) throw new DataError(`'${cell}' is not a number`, { file, line: r + 2, column: header[c] });
        return;
      }
      const key = body.length === 1 ? header[c] : `${keyedByName ? row[0] : r}.${header[c]}`;
      metrics.set(key, n);
    });
  });
  return metrics;
}

/** Parses a metrics file by its extension; a file that does not parse is the user's DataError with its line. */
export function parseMetrics(text: string, file: string): Metrics {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return parseCsvMetrics(text, file);
  if (lower.endsWith('.json')) {
    try {
      return flattenNumbers(JSON.parse(text), '', new Map());
    } catch (error) {
      const offset = jsonErrorOffset(text);
      const line = offset === undefined ? undefined : lineOf(text, offset);
      throw new DataError(`not valid JSON: ${(error as Error).message.split('\n')[0].replace(/, "[\s\S]*$/, '')}`, { file, line });
    }
  }
  try {
    const doc = loadYaml(text);
    if (doc === null || typeof doc !== 'object') throw new DataError('expected a mapping of metric names to numbers', { file, line: 1 });
    return flattenNumbers(doc, '', new Map());
  } catch (error) {
    if (error instanceof DataError) throw error;
    const mark = error instanceof YAMLException ? error.mark : undefined;
    throw new DataError(`not valid YAML: ${(error as Error).message.split('\n')[0]}`, { file, line: mark ? mark.line + 1 : undefined });
  }
}
