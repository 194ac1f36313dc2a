// DVC's hashes recomputed without DVC: every value is checked against test/fixtures/repro-verify/dvc_hash_reference.py,
// a line-for-line Python port of dvc-data's hash.py / istextfile.py / tree.py (iterative/dvc-data b9ec41c).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHUNK_BYTES, hashFile, isTextBlock } from '../../../actions/repro-verify/src/hashing/file-digest.js';
import { dirHash, listTreeFiles } from '../../../actions/repro-verify/src/dvc/dvc-tree.js';
import { hashFiles, hashFilesMulti } from '../../../actions/repro-verify/src/hashing/file-digest.js';
import { balanceParts, hashInParallel } from '../../../actions/repro-verify/src/hashing/parallel-hash.js';
import { pythonJsonDumps, compareCodePoints } from '../../../actions/repro-verify/src/dvc/python-json.js';
import { REPO_ROOT } from '../../support/run-built-action.js';

const REFERENCE = join(REPO_ROOT, 'test/fixtures/repro-verify/dvc_hash_reference.py');
type Reference = Record<string, { md5: string; 'md5-dos2unix': string; nfiles?: number; size: number }>;
const reference = (paths: string[]): Reference => JSON.parse(execFileSync('python3', [REFERENCE, ...paths], { encoding: 'utf8' }));

const root = mkdtempSync(join(tmpdir(), 'dvc-hash-'));
const crlfText = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => `line ${i},value\r\n`).join(''));

// Files chosen where a careless port goes wrong.
const files: Record<string, Buffer> = {
  'empty.txt': Buffer.alloc(0),
  'crlf.csv': crlfText(100),
  'lf.csv': Buffer.from('a,b\n1,2\n'),
  // A CRLF split across the 1 MiB chunk boundary is NOT normalised by DVC (dos2unix runs per chunk).
  'boundary.txt': Buffer.concat([Buffer.alloc(CHUNK_BYTES - 1, 'x'), Buffer.from('\r\n'), crlfText(10)]),
  // Text for the first chunk, binary-looking second chunk: the heuristic is applied per chunk.
  'mixed.bin': Buffer.concat([crlfText(70000).subarray(0, CHUNK_BYTES), Buffer.alloc(600, 0), Buffer.from('\r\n\r\n')]),
  'binary.bin': Buffer.concat([Buffer.from([0, 1, 2, 13, 10, 255]), Buffer.alloc(1000, 0xfe)]),
  // 30% non-text is still text, 31% is not.
  'thirty.txt': Buffer.concat([Buffer.alloc(70, 'a'), Buffer.alloc(30, 0xe9), Buffer.from('\r\n')]),
  'crcrlf.txt': Buffer.from('a\r\r\nb\r\n\r\n'),
};

beforeAll(() => {
  for (const [name, data] of Object.entries(files)) writeFileSync(join(root, name), data);
  const tree = join(root, 'tree');
  mkdirSync(join(tree, 'sub', 'deeper'), { recursive: true });
  mkdirSync(join(tree, '.git'), { recursive: true });
  writeFileSync(join(tree, '.git', 'HEAD'), 'ignored by DVC');
  writeFileSync(join(tree, 'b.csv'), crlfText(3));
  writeFileSync(join(tree, 'a b.txt'), 'spaces');
  writeFileSync(join(tree, 'sub', 'x.bin'), Buffer.from([0, 0, 1]));
  writeFileSync(join(tree, 'sub', 'deeper', 'é.txt'), 'accent "quoted" \\ backslash');
  // Astral (😀, U+1F600) vs U+FF5E: Python sorts by code point, JavaScript's default sort by UTF-16 unit.
  writeFileSync(join(tree, '\u{1F600}.txt'), 'emoji');
  writeFileSync(join(tree, '\uFF5E.txt'), 'fullwidth tilde');
  writeFileSync(join(tree, 'sub.txt'), 'sorts after sub/ by string, as DVC sorts relpaths');
});

describe('file hashes match DVC', () => {
  test.each(Object.keys(files))('%s: raw md5 (DVC 3) and dos2unix md5 (DVC 2)', async (name) => {
    const path = join(root, name);
    const expected = reference([path])[path];
    expect((await hashFile(path, 'md5')).hash).toBe(expected.md5);
    expect((await hashFile(path, 'md5-dos2unix')).hash).toBe(expected['md5-dos2unix']);
    expect((await hashFile(path, 'md5')).size).toBe(expected.size);
  });

  test('the dos2unix md5 of a CRLF text differs from its raw md5 and equals the md5 of its LF form', async () => {
    const path = join(root, 'crlf.csv');
    const lf = join(root, 'crlf-as-lf.csv');
    writeFileSync(lf, files['crlf.csv'].toString().replace(/\r\n/g, '\n'));
    expect((await hashFile(path, 'md5-dos2unix')).hash).toBe((await hashFile(lf, 'md5')).hash);
    expect((await hashFile(path, 'md5')).hash).not.toBe((await hashFile(lf, 'md5')).hash);
  });

  test('istextblock: empty is text, a NUL is binary, the 30% rule is inclusive', () => {
    expect(isTextBlock(Buffer.alloc(0))).toBe(true);
    expect(isTextBlock(Buffer.from('abc\0'))).toBe(false);
    expect(isTextBlock(Buffer.concat([Buffer.alloc(70, 'a'), Buffer.alloc(30, 0x80)]))).toBe(true);
    expect(isTextBlock(Buffer.concat([Buffer.alloc(69, 'a'), Buffer.alloc(31, 0x80)]))).toBe(false);
  });
});

describe('directory hashes match DVC .dir manifests', () => {
  test.each(['md5', 'md5-dos2unix'] as const)('%s tree: .dir md5, nfiles and size', async (algorithm) => {
    const tree = join(root, 'tree');
    const expected = reference([tree])[tree];
    const listed = await listTreeFiles(tree, 'test');
    const digests = await hashFiles(
      listed.map((f) => ({ path: f.path, algorithm })),
      3,
    );
    const got = dirHash(listed.map((f, i) => ({ relpath: f.relpath, md5: digests[i].hash, size: digests[i].size })));
    expect(got).toEqual({ md5: expected[algorithm], nfiles: expected.nfiles, size: expected.size });
    expect(got.nfiles).toBe(7); // .git/HEAD is not part of the tree
  });

  test('the manifest is serialised as Python json.dumps(sort_keys=True) writes it', () => {
    const value = [{ relpath: 'é/😀 "q"\\', md5: 'ab' }];
    const python = execFileSync(
      'python3',
      ['-c', 'import json,sys; sys.stdout.write(json.dumps(json.loads(sys.stdin.read()), sort_keys=True))'],
      {
        input: JSON.stringify(value),
        encoding: 'utf8',
      },
    );
    expect(pythonJsonDumps(value)).toBe(python);
    expect(['\uFF5E', '\u{1F600}'].sort(compareCodePoints)).toEqual(['\uFF5E', '\u{1F600}']);
  });
});

describe('hashing in parallel parts', () => {
  test('parts balance bytes and keep every file in one part', () => {
    const items = [50, 10, 40, 30, 20, 1].map((size) => ({ size }));
    const parts = balanceParts(items, 2);
    expect(parts.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const bytes = parts.map((p) => p.reduce((s, i) => s + items[i].size, 0));
    expect(Math.abs(bytes[0] - bytes[1])).toBeLessThanOrEqual(11);
  });

  test('split over threads, the digests come back in order and equal one-thread hashing', async () => {
    const big = join(root, 'parallel');
    mkdirSync(big, { recursive: true });
    const jobs = Array.from({ length: 12 }, (_, i) => {
      const path = join(big, `f${i}.bin`);
      writeFileSync(path, Buffer.alloc(1000 * (i + 1), i % 2 ? 'a\r\n' : 'b'));
      return { path, algorithms: ['md5', 'md5-dos2unix'] as ('md5' | 'md5-dos2unix')[], size: 1000 * (i + 1) };
    });
    const parallel = await hashInParallel(jobs, { concurrency: 4, threads: 3, parallelFromBytes: 1 });
    const serial = await hashFilesMulti(jobs, 1);
    expect(parallel).toEqual(serial.map(({ hashes, size }) => ({ hashes, size })));
  });
});
