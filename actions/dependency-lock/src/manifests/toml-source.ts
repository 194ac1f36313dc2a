// TOML files with line numbers: smol-toml parses (its errors carry line and column), and a light line index finds
// where a table, an array-of-tables entry or a key was written, since the parsed values carry no positions.
import { parse, TomlError } from 'smol-toml';
import { DataError } from '#shared/errors.js';

export type TomlTable = Record<string, unknown>;

export function parseToml(text: string, file: string): TomlTable {
  try {
    return parse(text) as TomlTable;
  } catch (error) {
    if (error instanceof TomlError)
      throw new DataError(`not valid TOML (column ${error.column}): ${error.message.split('\n')[0]}`, { file, line: error.line });
    throw error;
  }
}

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/;

export class TomlLines {
  readonly lines: string[];
  private readonly headers: { name: string; line: number; array: boolean }[] = [];

  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
    this.lines.forEach((l, i) => {
      const m = HEADER.exec(l);
      if (m) this.headers.push({ name: m[1].replace(/\s*\.\s*/g, '.').replace(/"/g, ''), line: i + 1, array: l.trim().startsWith('[[') });
    });
  }

  /** Header lines of each [[name]] entry, in order. */
  arrayTables(name: string): number[] {
    return this.headers.filter((h) => h.array && h.name === name).map((h) => h.line);
  }

  /** Line of [name], or undefined. */
  table(name: string): number | undefined {
    return this.headers.find((h) => h.name === name)?.line;
  }

  /** The line range (1-based, end exclusive) of the table that starts at `line`. */
  private rangeFrom(line: number): [number, number] {
    const next = this.headers.find((h) => h.line > line);
    return [line, next ? next.line : this.lines.length + 1];
  }

  /** Line of `key = ...` inside the table at headerLine (or the top of the file with 0), else the header line. */
  keyLine(headerLine: number, key: string): number {
    const [from, to] = headerLine ? this.rangeFrom(headerLine) : [1, this.headers[0]?.line ?? this.lines.length + 1];
    const re = new RegExp(`^\\s*["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*=`);
    for (let i = from; i < to; i++) if (re.test(this.lines[i - 1])) return i;
    return Math.max(headerLine, 1);
  }

  /** First line at or after `from` containing the text, else `fallback`. */
  find(text: string, from: number, fallback = from): number {
    for (let i = Math.max(from, 1); i <= this.lines.length; i++) if (this.lines[i - 1].includes(text)) return i;
    return fallback;
  }
}

export function asTable(value: unknown): TomlTable | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as TomlTable) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
