// Reading cells of a Utf8Column: the cell as a string (decoded only when asked) and its length in characters.
import { isUtf8 } from 'node:buffer';
import type { ColumnValues, Utf8Column } from './types.js';

/** Node's Buffer decoders without the encoding switch of toString(), which costs more than the decoding of a short cell. */
interface BufferSlices {
  latin1Slice?(start: number, end: number): string;
  utf8Slice?(start: number, end: number): string;
}

/** Decodes cells of one column; build one per column and batch. */
export type CellDecoder = (row: number) => string | null;

export function cellDecoder(column: Utf8Column): CellDecoder {
  const { offsets, missing } = column;
  const buf = Buffer.isBuffer(column.data) ? column.data : Buffer.from(column.data.buffer, column.data.byteOffset, column.data.length);
  const slices = buf as unknown as BufferSlices;
  // ASCII bytes are the same characters in Latin-1, which decodes without validating.
  const encoding = column.ascii ? 'latin1' : 'utf8';
  const fast = column.ascii ? slices.latin1Slice : slices.utf8Slice;
  if (fast) return (row) => (missing[row] === 1 ? null : fast.call(buf, offsets[row], offsets[row + 1]));
  return (row) => (missing[row] === 1 ? null : buf.toString(encoding, offsets[row], offsets[row + 1]));
}

/** Every cell as a string (null where missing). */
export function decodeCells(column: Utf8Column): (string | null)[] {
  const decode = cellDecoder(column);
  const n = column.missing.length;
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) out[i] = decode(i);
  return out;
}

/**
 * Length of cell `row` in Unicode code points (Python's len(), which GX's length rules use): its bytes that do not
 * continue a multi-byte character. 0 for a missing cell. A cell that is not valid UTF-8 is measured as its decoded
 * text, each bad byte one U+FFFD, as the string path reads it.
 */
export function codePointLengthAt(column: Utf8Column, row: number): number {
  const start = column.offsets[row];
  const end = column.offsets[row + 1];
  if (column.ascii) return end - start;
  const data = column.data;
  let length = 0;
  for (let i = start; i < end; i++) {
    const byte = data[i];
    if (byte >= 0x80) return isUtf8(data.subarray(start, end)) ? length + utf8Tail(data, i, end) : [...cellDecoder(column)(row)!].length;
    length++;
  }
  return length;
}

/** Code points in valid UTF-8 bytes data[from, end). */
function utf8Tail(data: Uint8Array, from: number, end: number): number {
  let length = 0;
  for (let i = from; i < end; i++) if ((data[i] & 0xc0) !== 0x80) length++;
  return length;
}

/** A text column's cells as strings, however the column was read. */
export function textCells(column: Exclude<ColumnValues, { kind: 'number' }>): (string | null)[] {
  return column.kind === 'string' ? column.values : decodeCells(column);
}
