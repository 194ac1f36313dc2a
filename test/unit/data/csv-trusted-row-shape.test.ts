// A reader told that another reader checks every row's field count (OpenOptions.trustRowShape) jumps from its
// last column to the end of the line; it must give the same batches as a reader that walks every field.
import { DataError } from '#shared/errors.js';
import { openDataset, type RecordBatch } from '#shared/data/index.js';
import { BatchBuilder } from '#shared/data/batch-builder.js';
import { readCsvBatches } from '#shared/data/csv-reader.js';
import { readColumns, rejection, tempFolder } from './temp-files.js';
import { textCells } from '#shared/data/utf8-cells.js';

const folder = tempFolder();
afterAll(() => folder.remove());

/** The dataset read once walking every field and once trusting the row shape. */
async function readBothWays(file: string, columns: string[]) {
  const walked = await readColumns(await openDataset(file, { columns }));
  const trusted = await readColumns(await openDataset(file, { columns, trustRowShape: true }));
  return { walked, trusted };
}

/** What a batch says, as plain values: where it starts, its lines and its cells. */
function plain(batches: RecordBatch[]) {
  return batches.map((b) => ({
    firstRowIndex: b.firstRowIndex,
    lines: [...b.lines],
    columns: b.columns.map((c) => (c.kind === 'number' ? [...c.values] : textCells(c))),
  }));
}

/** Reads the columns as text with the file's bytes arriving `chunkBytes` at a time. */
async function readInChunks(file: string, columns: string[], options: { chunkBytes?: number; trustRowShape?: boolean; limit?: number }) {
  const builder = new BatchBuilder(
    file,
    columns.map((name) => ({ name, type: 'text' as const })),
    3,
    0,
  );
  const batches: RecordBatch[] = [];
  for await (const batch of readCsvBatches(file, file.endsWith('.tsv') ? '\t' : ',', columns, builder, options)) batches.push(batch);
  return plain(batches);
}

describe('reading the first columns of a CSV whose row shape another reader checks', () => {
  it('gives the same values and lines for plain rows', async () => {
    const file = folder.write('orders.csv', 'order,customer,amount,country\nord-1,cus-9,12.5,US\nord-2,cus-8,3,FR\n');
    const { walked, trusted } = await readBothWays(file, ['order', 'customer']);
    expect(trusted.columns).toEqual({ order: ['ord-1', 'ord-2'], customer: ['cus-9', 'cus-8'] });
    expect(trusted.lines).toEqual([2, 3]);
    expect(plain(trusted.batches)).toEqual(plain(walked.batches));
  });

  it('does not cut a row at a line feed or delimiter quoted in the columns it skips', async () => {
    const text = 'id,name,note,score\n1,Ada,plain,3\n2,Bob,"multi\nline, with commas",4\n3,Cy,"""quoted""",5\n4,Di,plain,6\n';
    const file = folder.write('quoted-tail.csv', text);
    const { walked, trusted } = await readBothWays(file, ['id', 'name']);
    expect(trusted.columns).toEqual({ id: [1, 2, 3, 4], name: ['Ada', 'Bob', 'Cy', 'Di'] });
    expect(trusted.lines).toEqual([2, 3, 5, 6]);
    expect(plain(trusted.batches)).toEqual(plain(walked.batches));
  });

  it('reads quoted line feeds and delimiters in the columns it reads', async () => {
    const text = 'id,name,note,score\n1,"Ada,\nLovelace",x,3\n2,"Bob ""B""",y,4\n';
    const file = folder.write('quoted-head.csv', text);
    const { walked, trusted } = await readBothWays(file, ['id', 'name']);
    expect(trusted.columns).toEqual({ id: [1, 2], name: ['Ada,\nLovelace', 'Bob "B"'] });
    expect(trusted.lines).toEqual([2, 4]);
    expect(plain(trusted.batches)).toEqual(plain(walked.batches));
  });

  it('handles CRLF, blank lines and a last row without a line feed', async () => {
    const text = 'id,name,note\r\n1,Ada,x\r\n\r\n\n2,Bob,y\r\n3,Cy,z\r\n4,Di,w';
    const file = folder.write('crlf.csv', text);
    const { walked, trusted } = await readBothWays(file, ['id', 'name']);
    expect(trusted.columns).toEqual({ id: [1, 2, 3, 4], name: ['Ada', 'Bob', 'Cy', 'Di'] });
    expect(trusted.lines).toEqual([2, 5, 6, 7]);
    expect(plain(trusted.batches)).toEqual(plain(walked.batches));
  });

  it('reads TSV the same way', async () => {
    const file = folder.write('scores.tsv', 'name\tscore\tnote\nAda\t9.5\ta, b\nBob\t7\t"c\td"\n');
    const { walked, trusted } = await readBothWays(file, ['name']);
    expect(trusted.columns).toEqual({ name: ['Ada', 'Bob'] });
    expect(plain(trusted.batches)).toEqual(plain(walked.batches));
  });

  it('gives the same batches when rows straddle chunks of any size', async () => {
    const quotedTail = 'id,name,note,score\n1,Ada,plain,3\r\n\n2,"B\nob",plain tail,4\n3,Cy,,5\n4,Di,"a\nb,c",6\n5,Ed,"""x""",7';
    const plainTail = 'id,name,note,score\n1,Ada,plain,3\r\n\n2,Bob,plain tail,4\n3,Cy,,5';
    const expected = [
      [
        {
          firstRowIndex: 0,
          lines: [2, 4, 6],
          columns: [
            ['1', '2', '3'],
            ['Ada', 'B\nob', 'Cy'],
          ],
        },
        {
          firstRowIndex: 3,
          lines: [7, 9],
          columns: [
            ['4', '5'],
            ['Di', 'Ed'],
          ],
        },
      ],
      [
        {
          firstRowIndex: 0,
          lines: [2, 4, 5],
          columns: [
            ['1', '2', '3'],
            ['Ada', 'Bob', 'Cy'],
          ],
        },
      ],
    ];
    for (const [n, text] of [quotedTail, plainTail].entries()) {
      const file = folder.write(`chunked-${n}.csv`, text);
      expect(await readInChunks(file, ['id', 'name'], {})).toEqual(expected[n]);
      for (const chunkBytes of [1, 2, 3, 5, 8, 13, 64]) {
        const batches = await readInChunks(file, ['id', 'name'], { chunkBytes, trustRowShape: true });
        expect({ file: n, chunkBytes, batches }).toEqual({ file: n, chunkBytes, batches: expected[n] });
      }
    }
  });

  it('agrees with the field-by-field reader on generated files, in small and large chunks', async () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = (items: string[]) => items[Math.floor(random() * items.length)];
    const plainCells = ['plain', '', '12.5'];
    const quotedCells = ['"a,b"', '"line\nfeed"', '"say ""hi"""', '"cr\r\nlf"'];
    for (let round = 0; round < 8; round++) {
      // From a rare quote to half the cells quoted: tails skipped, walked, or both in one file.
      const quoteShare = [0.01, 0.05, 0.2, 0.5][round % 4];
      const cell = () => (random() < quoteShare ? pick(quotedCells) : pick(plainCells));
      const rows = Array.from({ length: 300 }, () => Array.from({ length: 5 }, cell).join(','));
      const ends = rows.map(() => (random() < 0.3 ? '\r\n' : '\n') + (random() < 0.1 ? '\n' : ''));
      let text = 'a,b,c,d,e\n' + rows.map((row, i) => row + ends[i]).join('');
      if (round >= 4) text = text.trimEnd();
      const file = folder.write(`generated-${round}.csv`, text);
      for (const columns of [['a'], ['b', 'a'], ['c'], ['a', 'd']]) {
        const walked = await readInChunks(file, columns, {});
        for (const chunkBytes of [7, 61, 1 << 20]) {
          expect(await readInChunks(file, columns, { chunkBytes, trustRowShape: true })).toEqual(walked);
        }
      }
    }
  });

  it('stops after the sampled rows', async () => {
    const file = folder.write('sample.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8,9\n');
    expect(await readInChunks(file, ['a'], { trustRowShape: true, limit: 2, chunkBytes: 4 })).toEqual([
      { firstRowIndex: 0, lines: [2, 3], columns: [['1', '4']] },
    ]);
  });
});

describe('row shape mistakes a trusting reader still reports', () => {
  it('a row that ends before the last column it reads, with file and line', async () => {
    const file = folder.write('short-head.csv', 'a,b,c,d\n1,2,3,4\n5\n');
    const error = await rejection(openDataset(file, { columns: ['a', 'b'], trustRowShape: true, sampleRows: 1 }).then(readColumns));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(`${file}:3: expected 4 fields as in the header, found 1`);
  });

  it('leaves a short or long tail to the reader that checks it', async () => {
    const file = folder.write('odd-tail.csv', 'a,b,c,d\n1,2,3\n4,5,6,7,8\n');
    const trusted = await readColumns(await openDataset(file, { columns: ['a', 'b'], trustRowShape: true }));
    expect(trusted.columns).toEqual({ a: [1, 4], b: [2, 5] });
    const error = await rejection(openDataset(file, { columns: ['a', 'b'] }).then(readColumns));
    expect(error.message).toBe(`${file}:2: expected 4 fields as in the header, found 3`);
  });
});
