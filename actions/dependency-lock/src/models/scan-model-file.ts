// One model file, scanned by what its bytes are (not what its name says): pickle (and joblib, plain or zlib/gzip
// compressed), PyTorch zip archives and the legacy format, NumPy .npy/.npz (object arrays carry a pickle) and
// safetensors (header checked). Nothing is ever loaded or executed; every pickle goes through walkPickle.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { Gunzip, Unzlib } from 'fflate';
import { FileSource, MemorySource, latin1, type ByteSource } from './byte-source.js';
import { classifyCallable, type Safety } from './callables.js';
import { dtypeItemSize, walkPickle } from './pickle-walker.js';
import { entryLooksLikePickle, findEndOfCentralDirectory, listZip, readEntry } from './zip-entries.js';

export type ModelFormat =
  'pickle' | 'joblib' | 'pytorch-zip' | 'pytorch-legacy' | 'numpy' | 'numpy-zip' | 'safetensors' | 'zip' | 'unknown';

export interface FoundCallable {
  module: string;
  name: string;
  safety: Safety;
  reason?: string;
  /** Where: the archive entry (data.pkl) or '' for the file itself. */
  entry: string;
  count: number;
}

export interface ModelProblem {
  /** error: the file is unsafe or could not be checked; warning: worth a look. */
  level: 'error' | 'warning';
  message: string;
  entry?: string;
}

export interface ModelScan {
  file: string;
  format: ModelFormat;
  size: number;
  sha256: string;
  callables: FoundCallable[];
  problems: ModelProblem[];
  /** A dangerous callable, a malformed or hidden construct, or a file that could not be checked. */
  unsafe: boolean;
}

export interface ScanOptions {
  /** Largest compressed pickle or archive entry decompressed into memory. */
  budgetBytes: number;
  /** module.name of callables the policy declares safe. */
  allowed?: Set<string>;
  /** Unknown callables make the file unsafe (policy models.unknown: fail). */
  unknownFails?: boolean;
}

const TORCH_LEGACY_MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

type Content =
  'zip' | 'npy' | 'pickle' | 'pytorch-legacy' | 'zlib' | 'gzip' | 'safetensors' | 'xz' | 'bz2' | 'lz4' | 'zstd' | 'empty' | 'unknown';

export function sniff(head: Uint8Array, size: number): Content {
  if (size === 0) return 'empty';
  const starts = (bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts([0x50, 0x4b, 0x03, 0x04]) || starts([0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (starts([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return 'npy';
  if (starts(TORCH_LEGACY_MAGIC)) return 'pytorch-legacy';
  if (head[0] === 0x80 && head[1] <= 5) return 'pickle';
  if (head[0] === 0x78 && [0x01, 0x5e, 0x9c, 0xda].includes(head[1])) return 'zlib';
  if (starts([0x1f, 0x8b])) return 'gzip';
  if (starts([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (starts([0x42, 0x5a, 0x68])) return 'bz2';
  if (starts([0x04, 0x22, 0x4d, 0x18])) return 'lz4';
  if (starts([0x28, 0xb5, 0x2f, 0xfd])) return 'zstd';
  if (head.length >= 9) {
    const n =
      head[0] +
      head[1] * 256 +
      head[2] * 65536 +
      head[3] * 16777216 +
      (head[4] + head[5] * 256 + head[6] * 65536 + head[7] * 16777216) * 4294967296;
    if (n > 1 && n + 8 <= size && head[8] === 0x7b) return 'safetensors';
  }
  // Protocol 0/1 pickles have no header: MARK, EMPTY_DICT, EMPTY_LIST, GLOBAL, ... as the first opcode.
  if ([0x28, 0x7d, 0x5d, 0x63, 0x69, 0x29, 0x4e, 0x49, 0x53, 0x56, 0x58, 0x4b, 0x4a, 0x55, 0x6c, 0x64].includes(head[0])) return 'pickle';
  return 'unknown';
}

const EXPECTED: Record<string, Content[]> = {
  '.pkl': ['pickle', 'zlib', 'gzip', 'pytorch-legacy', 'xz', 'bz2', 'lz4', 'zstd'],
  '.pickle': ['pickle', 'zlib', 'gzip', 'pytorch-legacy'],
  '.joblib': ['pickle', 'zlib', 'gzip', 'xz', 'bz2', 'lz4', 'zstd'],
  '.pt': ['zip', 'pytorch-legacy', 'pickle'],
  '.pth': ['zip', 'pytorch-legacy', 'pickle'],
  '.bin': ['zip', 'pytorch-legacy', 'pickle'],
  '.ckpt': ['zip', 'pytorch-legacy', 'pickle'],
  '.npy': ['npy'],
  '.npz': ['zip'],
  '.safetensors': ['safetensors'],
};

const CONTENT_NAMES: Record<Content, string> = {
  zip: 'a zip archive',
  npy: 'a NumPy array',
  pickle: 'a pickle',
  'pytorch-legacy': 'a legacy PyTorch pickle',
  zlib: 'zlib-compressed data',
  gzip: 'gzip-compressed data',
  safetensors: 'a safetensors file',
  xz: 'xz-compressed data',
  bz2: 'bzip2-compressed data',
  lz4: 'lz4-compressed data',
  zstd: 'zstd-compressed data',
  empty: 'an empty file',
  unknown: 'no format the scanner knows',
};

class Collector {
  readonly callables = new Map<string, FoundCallable>();
  readonly problems: ModelProblem[] = [];
  constructor(private readonly options: ScanOptions) {}

  pickle(src: ByteSource, start: number, entry: string, opts: { maxPickles?: number; trailing?: 'warn' | 'ignore' } = {}): number {
    let at = start;
    for (let n = 0; n < (opts.maxPickles ?? 1); n++) {
      const walk = walkPickle(src, at);
      for (const i of walk.imports) {
        const key = `${entry}\0${i.module}\0${i.name}`;
        const known = this.callables.get(key);
        if (known) known.count++;
        else {
          const allowed = this.options.allowed?.has(`${i.module}.${i.name}`);
          const c = allowed ? { safety: 'safe' as const } : classifyCallable(i.module, i.name);
          this.callables.set(key, { module: i.module, name: i.name, safety: c.safety, reason: c.reason, entry, count: 1 });
        }
      }
      for (const p of walk.problems)
        this.problems.push({
          level: 'error',
          entry,
          message: p.kind === 'malformed' ? `not a valid pickle (offset ${p.offset}): ${p.message}` : `offset ${p.offset}: ${p.message}`,
        });
      at = walk.end;
      if (walk.problems.some((p) => p.kind === 'malformed')) return at;
    }
    if (opts.trailing !== 'ignore' && at < src.size) {
      // pickle.load stops at STOP; a second load of the same stream would read on, so a following pickle is scanned.
      if (src.byte(at) === 0x80) return this.pickle(src, at, entry, { trailing: opts.trailing });
      this.problems.push({ level: 'warning', entry, message: `${src.size - at} byte(s) after the pickle's STOP opcode` });
    }
    return at;
  }

  npy(src: ByteSource, entry: string): void {
    const major = src.byte(6);
    const lengthBytes = major === 1 ? 2 : 4;
    const head = src.bytes(8, lengthBytes);
    let headerLength = 0;
    for (let i = lengthBytes - 1; i >= 0; i--) headerLength = headerLength * 256 + head[i];
    if (major < 1 || major > 3 || 8 + lengthBytes + headerLength > src.size) {
      this.problems.push({ level: 'error', entry, message: 'not a valid .npy file: bad version or truncated header' });
      return;
    }
    const header = latin1(src.bytes(8 + lengthBytes, headerLength));
    const descr = /'descr'\s*:\s*('([^']*)'|\[)/.exec(header);
    if (!descr) {
      this.problems.push({ level: 'error', entry, message: "not a valid .npy file: the header has no 'descr'" });
      return;
    }
    const structured = descr[1] === '[';
    if (structured ? /'\|?O\d*'/.test(header) : dtypeItemSize(descr[2]) === 'object') {
      this.problems.push({
        level: 'warning',
        entry,
        message: 'an object array: numpy.load needs allow_pickle=True and unpickles its data',
      });
      this.pickle(src, 8 + lengthBytes + headerLength, entry);
    }
  }

  safetensors(src: ByteSource, entry: string): void {
    const b = src.bytes(0, 8);
    const n = b[0] + b[1] * 256 + b[2] * 65536 + b[3] * 16777216 + (b[4] + b[5] * 256 + b[6] * 65536 + b[7] * 16777216) * 4294967296;
    const bad = (why: string) => this.problems.push({ level: 'error', entry, message: `not a valid safetensors file: ${why}` });
    if (n > 100 * 1024 * 1024 || n + 8 > src.size) return void bad(`the header length ${n} is larger than the file`);
    let header: Record<string, any>;
    try {
      header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(src.bytes(8, n)));
    } catch (error) {
      return void bad(`the header is not JSON (${(error as Error).message})`);
    }
    if (!header || typeof header !== 'object' || Array.isArray(header)) return void bad('the header is not a JSON object');
    const dataSize = src.size - 8 - n;
    const sizes: Record<string, number> = {
      BOOL: 1,
      U8: 1,
      I8: 1,
      F8_E5M2: 1,
      F8_E4M3: 1,
      I16: 2,
      U16: 2,
      F16: 2,
      BF16: 2,
      I32: 4,
      U32: 4,
      F32: 4,
      F64: 8,
      I64: 8,
      U64: 8,
      C64: 8,
    };
    for (const [name, t] of Object.entries(header)) {
      if (name === '__metadata__') {
        if (!t || typeof t !== 'object' || Object.values(t).some((v) => typeof v !== 'string'))
          bad('__metadata__ must map strings to strings');
        continue;
      }
      const size = sizes[t?.dtype];
      const shape = t?.shape;
      const offsets = t?.data_offsets;
      if (!size) return void bad(`tensor '${name}' has an unknown dtype '${t?.dtype}'`);
      if (!Array.isArray(shape) || !shape.every((d: unknown) => Number.isInteger(d) && (d as number) >= 0))
        return void bad(`tensor '${name}' has a bad shape`);
      if (!Array.isArray(offsets) || offsets.length !== 2 || !(offsets[0] <= offsets[1]) || offsets[1] > dataSize)
        return void bad(`tensor '${name}' has data offsets outside the file`);
      if (offsets[1] - offsets[0] !== shape.reduce((a: number, d: number) => a * d, 1) * size)
        return void bad(`tensor '${name}': its byte range does not match its shape and dtype`);
    }
  }

  zip(src: ByteSource, eocd: number, expectTorch: boolean): ModelFormat {
    const listing = listZip(src, eocd);
    for (const p of listing.problems) this.problems.push({ level: 'error', message: p });
    let format: ModelFormat = 'zip';
    const names = listing.entries.map((e) => e.name);
    if (names.some((n) => n === 'data.pkl' || n.endsWith('/data.pkl'))) format = 'pytorch-zip';
    else if (names.length > 0 && names.every((n) => n.endsWith('.npy'))) format = 'numpy-zip';
    else if (expectTorch)
      this.problems.push({ level: 'error', message: 'a zip archive without a data.pkl entry: not a PyTorch checkpoint' });
    for (const entry of listing.entries) {
      if (entry.flags & 1 || (entry.method !== 0 && entry.method !== 8)) continue;
      const isStorage = /(^|\/)data\/\d+$/.test(entry.name) || /(^|\/)\.data\//.test(entry.name);
      // Stored entries (PyTorch writes them so) are sniffed from 16 bytes; a deflated one must be inflated to be seen.
      let full: Uint8Array | { error: string } | undefined;
      let headBytes: Uint8Array;
      if (entry.method === 0) headBytes = src.bytes(entry.dataOffset, Math.min(16, entry.compressedSize)).slice();
      else if (isStorage) headBytes = new Uint8Array();
      else {
        full = readEntry(src, entry, this.options.budgetBytes);
        headBytes = full instanceof Uint8Array ? full.subarray(0, 16) : new Uint8Array();
      }
      const pickleByName = /\.(pkl|pickle)$/i.test(entry.name);
      const npy = entry.name.endsWith('.npy') || sniff(headBytes, entry.size) === 'npy';
      if (!pickleByName && !npy && (isStorage || !entryLooksLikePickle(headBytes))) continue;
      const data = full ?? readEntry(src, entry, this.options.budgetBytes);
      if (!(data instanceof Uint8Array)) {
        this.problems.push({ level: 'error', entry: entry.name, message: data.error });
        continue;
      }
      const inner = new MemorySource(data);
      if (npy && sniff(data.subarray(0, 16), data.length) === 'npy') this.npy(inner, entry.name);
      else if (npy) this.problems.push({ level: 'error', entry: entry.name, message: 'named .npy but not a NumPy array' });
      else {
        if (!pickleByName)
          this.problems.push({ level: 'warning', entry: entry.name, message: 'a pickle in an entry whose name does not say so' });
        this.pickle(inner, 0, entry.name);
      }
    }
    return format;
  }

  decompressed(src: ByteSource, kind: 'zlib' | 'gzip'): ByteSource | undefined {
    if (src.size > this.options.budgetBytes) {
      this.problems.push({ level: 'error', message: `compressed (${kind}) and larger than the memory budget: not scanned` });
      return undefined;
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    let over = false;
    const stream = kind === 'zlib' ? new Unzlib() : new Gunzip();
    stream.ondata = (chunk) => {
      total += chunk.length;
      if (total > this.options.budgetBytes) over = true;
      else chunks.push(chunk);
    };
    try {
      const all = src.bytes(0, src.size).slice();
      for (let i = 0; i < all.length && !over; i += 1 << 16) stream.push(all.subarray(i, i + (1 << 16)), i + (1 << 16) >= all.length);
    } catch (error) {
      this.problems.push({ level: 'error', message: `${kind} data does not decompress: ${(error as Error).message}` });
      return undefined;
    }
    if (over) {
      this.problems.push({
        level: 'error',
        message: `decompresses to more than the memory budget (${this.options.budgetBytes} bytes): not scanned`,
      });
      return undefined;
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of chunks) out.set(c, (o += c.length) - c.length);
    return new MemorySource(out);
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function scanModelFile(path: string, display: string, options: ScanOptions): Promise<ModelScan> {
  const sha256 = await sha256File(path);
  const src = new FileSource(path);
  const c = new Collector(options);
  let format: ModelFormat = 'unknown';
  try {
    const ext = extname(path).toLowerCase();
    const content = sniff(src.bytes(0, 16).slice(), src.size);
    const expected = EXPECTED[ext];
    if (expected && !expected.includes(content))
      c.problems.push({ level: 'error', message: `not what its extension says: a ${ext} file holding ${CONTENT_NAMES[content]}` });
    const eocd = content === 'zip' || content === 'pickle' || content === 'unknown' ? findEndOfCentralDirectory(src) : -1;
    switch (content) {
      case 'zip':
        format = eocd >= 0 ? c.zip(src, eocd, ['.pt', '.pth', '.bin', '.ckpt'].includes(ext)) : 'zip';
        if (eocd < 0) c.problems.push({ level: 'error', message: 'a zip archive without its central directory (truncated or corrupt)' });
        break;
      case 'pytorch-legacy':
        format = 'pytorch-legacy';
        // magic number, protocol version, sys info, the object, the storage keys; raw storages follow.
        c.pickle(src, 0, '', { maxPickles: 5, trailing: 'ignore' });
        break;
      case 'pickle':
        format = ext === '.joblib' ? 'joblib' : 'pickle';
        c.pickle(src, 0, '');
        if (eocd >= 0) {
          // A pickle that is also a zip: each loader sees a different file, so both are scanned.
          c.problems.push({
            level: 'error',
            message: 'a pickle that is also a zip archive (polyglot): each loader would read a different payload',
          });
          c.zip(src, eocd, false);
        }
        break;
      case 'zlib':
      case 'gzip': {
        format = 'joblib';
        const inner = c.decompressed(src, content);
        if (inner) {
          const innerContent = sniff(inner.bytes(0, 16), inner.size);
          if (innerContent === 'pickle' || innerContent === 'pytorch-legacy') c.pickle(inner, 0, '');
          else c.problems.push({ level: 'error', message: `compressed data that is not a pickle (${CONTENT_NAMES[innerContent]})` });
        }
        break;
      }
      case 'npy':
        format = 'numpy';
        c.npy(src, '');
        break;
      case 'safetensors':
        format = 'safetensors';
        c.safetensors(src, '');
        break;
      case 'xz':
      case 'bz2':
      case 'lz4':
      case 'zstd':
        format = 'joblib';
        c.problems.push({ level: 'error', message: `compressed with ${content}, which the scanner does not read: not checked` });
        break;
      default:
        if (eocd >= 0) {
          c.problems.push({ level: 'error', message: 'data before a zip archive (polyglot or prepended payload)' });
          format = c.zip(src, eocd, false);
        } else if (!expected)
          c.problems.push({ level: 'error', message: `${CONTENT_NAMES[content]}: not a model format the scanner reads` });
        else if (content === 'empty') c.problems.push({ level: 'error', message: 'an empty file' });
    }
  } finally {
    src.close();
  }
  const callables = [...c.callables.values()];
  const unsafe =
    c.problems.some((p) => p.level === 'error') ||
    callables.some((k) => k.safety === 'dangerous' || (options.unknownFails === true && k.safety === 'unknown'));
  return { file: display, format, size: src.size, sha256, callables, problems: c.problems, unsafe };
}
