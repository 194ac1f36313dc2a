// A batch of a plain CSV/TSV file can be read again alone from where its first row starts: the look-up of rows
// found at the end of a pass (data-gate's duplicates) reads back a few batches instead of the whole file.
import { afterAll, describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { batchLocation, openDataset, type RecordBatch } from '#shared/data/index.js';
import { textCells } from '#shared/data/utf8-cells.js';
import { tempFolder } from './temp-files.js';

const folder = tempFolder();
afterAll(() => folder.remove());

function plain(batch: RecordBatch) {
  return {
    file: batch.file,
    firstRowIndex: batch.firstRowIndex,
    lines: [...batch.lines],
    columns: batch.columns.map((c) => (c.kind === 'number' ? [...c.values] : textCells(c))),
  };
}

/** Rows with quoted line feeds and blank lines, so lines and bytes drift apart from row numbers. */
function csv(rows: number, bom = false): string {
  const lines = ['id,note,amount'];
  for (let i = 0; i < rows; i++) {
    if (i % 7 === 3) lines.push('');
    lines.push(`${i},${i % 5 === 0 ? `"two\nlines, ""quoted"""` : `note ${i}`},${i * 1.5}`);
  }
  return `${bom ? '\ufeff' : ''}${lines.join('\r\n')}\r\n`;
}

describe('reading a batch again', () => {
  it.each([
    ['a plain file', csv(50), { textAsUtf8: true }],
    ['a file with a byte order mark', csv(50, true), {}],
    ['a file read with trusted row shapes', csv(50), { columns: ['id', 'note'], trustRowShape: true }],
  ])('gives the same batch as the first pass, for every batch of %s', async (_, content, options) => {
    const path = folder.write(`again-${Math.random().toString(36).slice(2)}.csv`, content);
    const dataset = await openDataset([path, path.replace(/\.csv$/, '-b.csv')].slice(0, 1), {
      ...options,
      batchRows: 6,
      columnTypes: { note: 'text' },
    });
    const first: RecordBatch[] = [];
    for await (const batch of dataset.batches()) first.push(batch);
    expect(first.length).toBeGreaterThan(5);
    for (const batch of first.reverse()) {
      const location = batchLocation(batch);
      expect(location).toBeDefined();
      expect(plain(await dataset.readBatchAgain(location!))).toEqual(plain(batch));
    }
  });

  it('knows the files of a dataset of several files apart', async () => {
    const a = folder.write('part-a.csv', csv(20));
    const b = folder.write('part-b.csv', csv(20));
    const dataset = await openDataset([a, b], { batchRows: 8, columnTypes: { note: 'text' } });
    const batches: RecordBatch[] = [];
    for await (const batch of dataset.batches()) batches.push(batch);
    const inB = batches.find((x) => x.file === b && x.firstRowIndex > 20)!;
    expect(plain(await dataset.readBatchAgain(batchLocation(inB)!))).toEqual(plain(inB));
  });

  it('gives no location for batches of gzip files, which cannot be read from the middle', async () => {
    const path = folder.write('notes.csv.gz', gzipSync(csv(30)));
    const dataset = await openDataset(path, { batchRows: 8 });
    for await (const batch of dataset.batches()) expect(batchLocation(batch)).toBeUndefined();
  });
});
