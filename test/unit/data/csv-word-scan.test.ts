// The CSV scanner looks for a field's end 4 bytes at a time and text cells are copied 4 bytes at a time
// (csv-reader.ts, utf8-column-builder.ts): every field length against every alignment, bytes one bit away from a
// delimiter or a line feed, non-ASCII bytes and chunk boundaries anywhere must give the cells a plain split gives.
import { BatchBuilder } from '#shared/data/batch-builder.js';
import { readCsvBatches } from '#shared/data/csv-reader.js';
import type { Utf8Column } from '#shared/data/types.js';
import { textCells } from '#shared/data/utf8-cells.js';
import { tempFolder } from './temp-files.js';
import { seededRandom } from '#shared/stats/distances/seeded-random.js';

const folder = tempFolder();
afterAll(() => folder.remove());

// Near misses of ',' (0x2c), '\t' (0x09) and '\n' (0x0a) in one bit or in the high bit, letters, and non-ASCII text
// whose UTF-8 bytes have the high bit set in every lane of a word.
const PIECES = ['a', 'Z', '-', '.', '@', '0', '9', '\x2d', '\x2b', '\x08', '\x0b', '\x0e', '\x28', ' ', 'é', '東', '🎉', '\x7f'];

function cell(next: () => number): string {
  const length = Math.floor(next() * 14);
  let text = '';
  for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
  // Missing tokens ('', NA) read as null: keep the comparison about the scan, not about missing values.
  return text === '' || text === 'NA' ? 'x' : text;
}

async function readText(file: string, delimiter: ',' | '\t', columns: string[], chunkBytes: number, trustRowShape = false) {
  const builder = new BatchBuilder(
    file,
    columns.map((name) => ({ name, type: 'text' as const })),
    7,
    0,
    { textAsUtf8: true },
  );
  const cells: (string | null)[][] = columns.map(() => []);
  const ascii: boolean[] = [];
  for await (const batch of readCsvBatches(file, delimiter, columns, builder, { chunkBytes, trustRowShape })) {
    batch.columns.forEach((column, c) => {
      cells[c].push(...textCells(column as Utf8Column));
      ascii.push((column as Utf8Column).ascii);
    });
  }
  return { cells, ascii };
}

describe('scanning fields and copying text cells 4 bytes at a time', () => {
  for (const [delimiter, name] of [
    [',', 'csv'],
    ['\t', 'tsv'],
  ] as const) {
    it(`gives the cells of a plain split for fields of every length and alignment (${name}, LF and CRLF)`, async () => {
      const next = seededRandom(delimiter === ',' ? 7 : 11);
      const header = ['a', 'b', 'c', 'd'];
      const rows = Array.from({ length: 400 }, () => header.map(() => cell(next)));
      for (const ending of ['\n', '\r\n']) {
        const text = [header, ...rows].map((row) => row.join(delimiter)).join(ending) + ending;
        const file = folder.write(`words-${ending.length}.${name}`, text);
        for (const chunkBytes of [5, 64, 1 << 16]) {
          const { cells } = await readText(file, delimiter, header, chunkBytes);
          expect(cells).toEqual(header.map((_, c) => rows.map((row) => row[c])));
          const firstTwo = await readText(file, delimiter, ['a', 'b'], chunkBytes, true);
          expect(firstTwo.cells).toEqual([0, 1].map((c) => rows.map((row) => row[c])));
        }
      }
    });
  }

  it('marks a batch ASCII only when no byte of any cell has its high bit set, wherever it lies in a word', async () => {
    // Batches of 7 rows: the 2nd batch holds one non-ASCII byte at each offset 0..6 of a 7-byte cell, the others none.
    const ascii = Array.from({ length: 7 }, (_, i) => `abcdef${i}`);
    const mixed = Array.from({ length: 7 }, (_, i) => 'abcdefg'.slice(0, i) + 'é' + 'abcdefg'.slice(i + 1));
    const file = folder.write('ascii.csv', ['note', ...ascii, ...mixed, ...ascii].join('\n') + '\n');
    const { cells, ascii: flags } = await readText(file, ',', ['note'], 1 << 16);
    expect(cells[0]).toEqual([...ascii, ...mixed, ...ascii]);
    expect(flags).toEqual([true, false, true]);
  });
});
