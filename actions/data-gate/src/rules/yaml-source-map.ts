// Parses one YAML (or JSON) document and remembers the 1-based line of every value, so that a mistake found later,
// at a path such as rules[2].min_value, can name its line in the user's file.
import { constructFromEvents, EVENT_ID, getScalarValue, parseEvents, YAMLException } from 'js-yaml';
import type { Event } from 'js-yaml';
import { DataError } from '#shared/errors.js';

export type PathSegment = string | number;

export interface ParsedDocument {
  value: unknown;
  /** The 1-based line where the value at `path` starts (for a mapping entry: its key's line); undefined if unknown. */
  lineOf(path: readonly PathSegment[]): number | undefined;
}

export function pathKey(path: readonly PathSegment[]): string {
  return path.map((segment) => `/${String(segment)}`).join('');
}

/** Offsets -> 1-based lines, by binary search over the offsets where lines start. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

interface Container {
  kind: 'sequence' | 'mapping';
  path: PathSegment[];
  /** Sequences: the next item's index. Mappings: the pending key (null while the next event is a key). */
  next: number;
  key: PathSegment | null;
}

function eventOffset(event: Event): number {
  switch (event.type) {
    case EVENT_ID.SCALAR:
      return event.anchorStart >= 0 ? Math.min(event.anchorStart, event.valueStart) : event.valueStart;
    case EVENT_ID.SEQUENCE:
    case EVENT_ID.MAPPING:
      return event.start;
    case EVENT_ID.ALIAS:
      return event.anchorStart;
    default:
      return -1;
  }
}

/** Walks the flat event stream, keeping the path of each node, and records the line of every path. */
function mapLines(text: string, events: Event[]): Map<string, number> {
  const lineAt = lineIndex(text);
  const lines = new Map<string, number>();
  const stack: Container[] = [];
  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT) continue;
    if (event.type === EVENT_ID.POP) {
      stack.pop();
      continue;
    }
    const parent = stack.at(-1);
    const offset = eventOffset(event);
    let path: PathSegment[] = [];
    if (parent?.kind === 'mapping' && parent.key === null) {
      // A key: remember it (and its line, the best place to point at for the entry).
      const key = event.type === EVENT_ID.SCALAR ? getScalarValue(text, event) : '?';
      parent.key = key;
      lines.set(pathKey([...parent.path, key]), lineAt(offset));
      if (event.type === EVENT_ID.SEQUENCE || event.type === EVENT_ID.MAPPING) stack.push({ kind: 'mapping', path: [], next: 0, key: '?' });
      continue;
    }
    if (parent?.kind === 'mapping') {
      path = [...parent.path, parent.key as PathSegment];
      parent.key = null;
    } else if (parent?.kind === 'sequence') {
      path = [...parent.path, parent.next++];
    }
    const key = pathKey(path);
    if (!lines.has(key) && offset >= 0) lines.set(key, lineAt(offset));
    if (event.type === EVENT_ID.SEQUENCE) stack.push({ kind: 'sequence', path, next: 0, key: null });
    if (event.type === EVENT_ID.MAPPING) stack.push({ kind: 'mapping', path, next: 0, key: null });
  }
  return lines;
}

/**
 * Limits for a rules file, which a pull request may write. An alias (*name) repeats its anchor's whole value, so
 * nine levels of ten aliases each ("billion laughs") stand for 10^9 values in a few hundred bytes: js-yaml builds
 * them as shared references, cheaply, but every later walk (checking kwargs, writing the result JSON) expands them,
 * and one ran 10-23 s to 630 MB before "Invalid string length". js-yaml 5's `maxAliases` caps how many aliases a
 * document has but not what they expand to, so the events are also walked once to count the values the document
 * stands for with every alias expanded, and past MAX_EXPANDED_VALUES it is refused before anything is built.
 */
export const MAX_ALIASES = 1000;
export const MAX_EXPANDED_VALUES = 100_000;
/** Bytes of a rules file or suite read at most (see load-rules.ts). */
export const MAX_RULES_FILE_BYTES = 16 * 1024 * 1024;

/** The number of values the document stands for with every alias expanded, or Infinity once past `limit`. */
export function expandedValueCount(text: string, events: Event[], limit = MAX_EXPANDED_VALUES): number {
  const anchors = new Map<string, number>();
  const stack: { anchor: string | undefined; size: number }[] = [{ anchor: undefined, size: 0 }];
  const anchorOf = (start: number, end: number) => (start >= 0 && end > start ? text.slice(start, end).replace(/^[&*]/, '') : undefined);
  const add = (size: number, anchor: string | undefined) => {
    const parent = stack[stack.length - 1];
    parent.size += size;
    if (anchor !== undefined) anchors.set(anchor, size);
  };
  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.SCALAR:
        add(1, anchorOf(event.anchorStart, event.anchorEnd));
        break;
      case EVENT_ID.ALIAS:
        add(anchors.get(anchorOf(event.anchorStart, event.anchorEnd) ?? '') ?? 1, undefined);
        break;
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING:
        stack.push({ anchor: anchorOf(event.anchorStart, event.anchorEnd), size: 1 });
        break;
      case EVENT_ID.POP:
        if (stack.length > 1) {
          const done = stack.pop()!;
          add(done.size, done.anchor);
        }
        break;
      default:
        break;
    }
    if (stack[0].size > limit || stack[stack.length - 1].size > limit) return Infinity;
  }
  return stack[0].size;
}

/**
 * Parses a single-document YAML text. A syntax error, a duplicated key or more than one document is a DataError
 * naming file:line and the parser's reason.
 */
export function parseYamlDocument(text: string, file: string): ParsedDocument {
  let events: Event[];
  let documents: unknown[];
  try {
    events = parseEvents(text, { filename: file });
    if (expandedValueCount(text, events) > MAX_EXPANDED_VALUES) {
      throw new DataError(
        `the YAML stands for more than ${MAX_EXPANDED_VALUES.toLocaleString('en-US')} values once its aliases (*name) are expanded; a rules file needs far fewer (is it an alias bomb?)`,
        { file },
      );
    }
    documents = constructFromEvents(events, { source: text, filename: file, maxAliases: MAX_ALIASES });
  } catch (error) {
    if (error instanceof YAMLException) {
      const line = error.mark ? error.mark.line + 1 : undefined;
      throw new DataError(`not valid YAML: ${error.reason}`, { file, line });
    }
    throw error;
  }
  if (documents.length > 1) throw new DataError(`expected one YAML document, found ${documents.length}`, { file });
  const lines = mapLines(text, events);
  return { value: documents[0] ?? null, lineOf: (path) => lines.get(pathKey(path)) };
}

/** Lines for a JSON text that JSON.parse already accepted (JSON is YAML); none if the YAML parser disagrees. */
export function jsonLines(text: string): (path: readonly PathSegment[]) => number | undefined {
  try {
    const lines = mapLines(text, parseEvents(text, {}));
    return (path) => lines.get(pathKey(path));
  } catch {
    return () => undefined;
  }
}
