// Where quarantined rows go: a file (gzipped when its name ends in .gz) written in ~1 MiB pieces with the stream's
// backpressure respected, so memory holds at most one piece whatever the size of the data.
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { UserError } from '#shared/errors.js';
import { openOutputFile } from '#shared/paths/index.js';

const FLUSH_BYTES = 1 << 20;

export class OutputSink {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** pending[0, owned) are copies of their own; the pieces after them may be slices of an input chunk. */
  private owned = 0;
  private failure: Error | undefined;

  private constructor(
    /** The action input the path came from, for messages ('passed-path' / 'failed-path'). */
    readonly input: string,
    readonly path: string,
    private readonly head: Writable,
    private readonly file: WriteStream,
  ) {
    const remember = (error: Error) => (this.failure ??= error);
    head.on('error', remember);
    file.on('error', remember);
  }

  /**
   * Opens `path` for writing (parent folders created), through gzip when it ends in .gz: inside the workspace or
   * RUNNER_TEMP, never through a symbolic link (refused, the link's target untouched). `path` becomes the real path.
   */
  static async open(input: string, path: string): Promise<OutputSink> {
    const handle = await openOutputFile(path, `input '${input}'`);
    const file = handle.createWriteStream();
    if (!path.toLowerCase().endsWith('.gz')) return new OutputSink(input, path, file, file);
    const gzip = createGzip();
    gzip.pipe(file);
    return new OutputSink(input, path, gzip, file);
  }

  /** Queues bytes; they reach the file at the next flush (the caller flushes once per input chunk). */
  push(bytes: Buffer): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  /**
   * Writes what is queued once it is at least ~1 MiB (or always, with force), waiting while the stream is full. Below
   * that, the pieces queued since the last flush are copied into one buffer: they may be slices of the input chunk,
   * and a few failing rows a chunk would otherwise keep a hundred 1 MiB chunks alive until the next write.
   */
  async flush(force = false): Promise<void> {
    if (this.pendingBytes === 0) return;
    if (!force && this.pendingBytes < FLUSH_BYTES) {
      if (this.pending.length > this.owned) {
        const fresh = this.pending.splice(this.owned);
        this.pending.push(Buffer.concat(fresh));
        this.owned = this.pending.length;
      }
      return;
    }
    const bytes = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.owned = 0;
    this.check();
    if (!this.head.write(bytes)) await this.until(this.head, 'drain');
    this.check();
  }

  /** Writes the rest and waits until the file is closed. */
  async close(): Promise<void> {
    await this.flush(true);
    this.head.end();
    if (!this.file.closed) await this.until(this.file, 'close');
    this.check();
  }

  /** Stops writing after a failure elsewhere; the caller removes the file. */
  destroy(): void {
    this.head.destroy();
    this.file.destroy();
  }

  /** Waits for `event`, or for the file to fail (a write error emits no drain), leaving no listener behind. */
  private async until(emitter: Writable, event: string): Promise<void> {
    const controller = new AbortController();
    try {
      await Promise.race([once(emitter, event, { signal: controller.signal }), once(this.file, 'error', { signal: controller.signal })]);
    } catch (error) {
      this.failure ??= error as Error;
    } finally {
      controller.abort();
    }
  }

  private check(): void {
    if (this.failure) throw new UserError(`Cannot write '${this.input}' '${this.path}' (${this.failure.message}).`);
  }
}
