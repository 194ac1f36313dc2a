// Random-access reads of a model file through a small window, so a multi-gigabyte checkpoint is scanned without
// being read into memory: the pickle walker skips tensor payloads by moving its offset, never by reading them.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at the end). The returned view may be reused by the next call. */
  bytes(offset: number, length: number): Uint8Array;
  byte(offset: number): number;
  close(): void;
}

const WINDOW = 1 << 20;

export class FileSource implements ByteSource {
  readonly size: number;
  private readonly fd: number;
  private window: Uint8Array;
  private start = 0;
  private end = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
    this.window = new Uint8Array(Math.max(1, Math.min(WINDOW, this.size)));
  }

  private load(offset: number, length: number): void {
    if (length > this.window.length) this.window = new Uint8Array(length);
    this.start = offset;
    this.end = offset + readSync(this.fd, this.window, 0, this.window.length, offset);
  }

  bytes(offset: number, length: number): Uint8Array {
    length = Math.max(0, Math.min(length, this.size - offset));
    if (offset < this.start || offset + length > this.end) this.load(offset, length);
    return this.window.subarray(offset - this.start, offset - this.start + length);
  }

  byte(offset: number): number {
    if (offset >= this.size || offset < 0) return -1;
    if (offset < this.start || offset >= this.end) this.load(offset, 1);
    return this.window[offset - this.start];
  }

  close(): void {
    closeSync(this.fd);
  }
}

export class MemorySource implements ByteSource {
  constructor(private readonly data: Uint8Array) {}
  get size(): number {
    return this.data.length;
  }
  bytes(offset: number, length: number): Uint8Array {
    return this.data.subarray(offset, Math.min(offset + length, this.data.length));
  }
  byte(offset: number): number {
    return offset >= 0 && offset < this.data.length ? this.data[offset] : -1;
  }
  close(): void {}
}

export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}
