// Text columns read as UTF-8 bytes (OpenOptions.textAsUtf8, what data-gate reads) hold exactly the text the same
// file gives as strings, from every format, with the same nulls; their lengths and keys match the strings'.
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { openDataset } from '#shared/data/index.js';
import type { OpenOptions, Utf8Column } from '#shared/data/types.js';
import { codePointLengthAt } from '#shared/data/utf8-cells.js';
import { stringKey, utf8Key, type Key64 } from '../../../actions/data-gate/src/expectations/value-hash.js';
import { readColumns, tempFolder } from './temp-files.js';

const folder = tempFolder();
afterAll(() => folder.remove());

const TEXTS = [
  'plain',
  '',
  'NA',
  'café',
  '東京',
  'emoji 🎉 here',
  'a "quoted", comma',
  'line\nbreak',
  'x'.repeat(300),
  'null',
  'ü'.repeat(60),
];

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

async function bothWays(path: string, options: OpenOptions = {}) {
  const asStrings = await readColumns(await openDataset(path, { ...options, columnTypes: { note: 'text' } }));
  const asBytes = await readColumns(await openDataset(path, { ...options, columnTypes: { note: 'text' }, textAsUtf8: true }));
  return { asStrings, asBytes };
}

describe('text columns read as UTF-8 bytes', () => {
  it('give the same cells as strings in CSV, batches crossing, missing tokens null', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},${csvCell(TEXTS[i % TEXTS.length])}`);
    const path = folder.write('notes.csv', `id,note\n${rows.join('\n')}\n`);
    const { asStrings, asBytes } = await bothWays(path, { batchRows: 8 });
    expect(asBytes.batches[0].columns[1].kind).toBe('utf8');
    expect(asStrings.batches[0].columns[1].kind).toBe('string');
    expect(asBytes.columns).toEqual(asStrings.columns);
    expect(asBytes.columns.note.slice(0, 4)).toEqual(['plain', null, null, 'café']);
    expect(asBytes.lines).toEqual(asStrings.lines);
  });

  it('give the same cells as strings in JSON Lines, absent fields and non-strings included', async () => {
    const lines = TEXTS.map((t, i) => JSON.stringify(i % 4 === 3 ? { id: i } : { id: i, note: i % 5 === 4 ? 12.5 : t }));
    const path = folder.write('notes.jsonl', `${lines.join('\n')}\n`);
    const { asStrings, asBytes } = await bothWays(path, { batchRows: 4 });
    expect(asBytes.columns).toEqual(asStrings.columns);
    expect(asBytes.columns.note).toContain('12.5');
  });

  it('give the same cells as strings in Parquet', async () => {
    const path = join(process.cwd(), 'test/fixtures/data/orders.parquet');
    const asStrings = await readColumns(await openDataset(path, { columnTypes: { city: 'text' } }));
    const asBytes = await readColumns(await openDataset(path, { columnTypes: { city: 'text' }, textAsUtf8: true }));
    expect(asBytes.batches[0].columns[3].kind).toBe('utf8');
    expect(asBytes.columns).toEqual(asStrings.columns);
  });

  it('mark a batch ASCII only when every byte is, and count lengths in code points as Python does', async () => {
    const path = folder.write('mixed.csv', `note\nabc\ncafé\n🎉x\n`);
    const dataset = await openDataset(path, { columnTypes: { note: 'text' }, textAsUtf8: true, batchRows: 1 });
    const columns: Utf8Column[] = [];
    for await (const batch of dataset.batches()) columns.push(batch.columns[0] as Utf8Column);
    expect(columns.map((c) => c.ascii)).toEqual([true, false, false]);
    expect(columns.map((c) => codePointLengthAt(c, 0))).toEqual([3, 4, 2]);
  });
});

describe('lengths of cells that are not valid UTF-8', () => {
  it('count each bad byte as one character, as the decoded text does', () => {
    const cells = [Buffer.from([0x61, 0x80, 0x62]), Buffer.from('é'), Buffer.from([0xe9, 0x74, 0xe9])];
    const data = Buffer.concat(cells);
    const offsets = Int32Array.of(0, cells[0].length, cells[0].length + cells[1].length, data.length);
    const column: Utf8Column = { kind: 'utf8', data, offsets, missing: new Uint8Array(3), ascii: false };
    expect([0, 1, 2].map((row) => codePointLengthAt(column, row))).toEqual(cells.map((c) => [...c.toString('utf8')].length));
    expect([0, 1, 2].map((row) => codePointLengthAt(column, row))).toEqual([3, 1, 3]);
  });
});

describe('keys of text', () => {
  it('are the same from a string and from its UTF-8 bytes, and differ between values', () => {
    const seen = new Set<string>();
    for (const text of [...TEXTS, 'lone \ud800 surrogate', 'ab', 'ba']) {
      const fromString = stringKey(text, { hi: 0, lo: 0 });
      const bytes = Buffer.from(`__${text}__`);
      const fromBytes: Key64 = utf8Key(bytes, 2, bytes.length - 2, { hi: 0, lo: 0 });
      expect(fromBytes).toEqual(fromString);
      seen.add(`${fromString.hi}:${fromString.lo}`);
    }
    expect(seen.size).toBe(TEXTS.length + 3);
  });
});

describe('keys of similar ids', () => {
  it('are all different, and each 32-bit half collides only as often as chance says', () => {
    const n = 200_000;
    const full = new Set<string>();
    const his = new Set<number>();
    const los = new Set<number>();
    const key: Key64 = { hi: 0, lo: 0 };
    for (let i = 0; i < n; i++) {
      const bytes = Buffer.from(`cus-${String(i).padStart(6, '0')}`);
      utf8Key(bytes, 0, bytes.length, key);
      full.add(`${key.hi}:${key.lo}`);
      his.add(key.hi);
      los.add(key.lo);
    }
    expect(full.size).toBe(n);
    // Birthday bound: n^2 / 2^33 = 4.7 expected collisions per 32-bit half; a weak lane shows thousands.
    expect(n - his.size).toBeLessThan(30);
    expect(n - los.size).toBeLessThan(30);
  });
});
