// The CSV reader's record byte ranges (readCsvRecords, RecordBatch.recordSpans): each data row's span is its exact
// bytes in the decompressed input, line ending included, so that the header's span, the rows' spans and the blank
// lines between them put back together are the input byte for byte; counted as the batch reader counts rows.
import { gunzipSync, gzipSync } from 'node:zlib';
import { readCsvRecords } from '#shared/data/csv-reader.js';
import { openDataset } from '#shared/data/index.js';
import { readColumns, tempFolder } from './temp-files.js';
import { bigCsv } from '../data-gate/quarantine/tricky-files.js';

const folder = tempFolder();
afterAll(() => folder.remove());

interface Split {
  header: string;
  bom: boolean;
  headerLine: number;
  records: Buffer[];
  offsets: number[];
}

/** Copies every span out of the chunks as the reader hands them over (a chunk's bytes are not kept). */
async function split(file: string, delimiter: ',' | '\t', options: { trustRowShape?: boolean; chunkBytes?: number } = {}): Promise<Split> {
  const out: Split = { header: '', bom: false, headerLine: 0, records: [], offsets: [] };
  for await (const chunk of readCsvRecords(file, delimiter, options)) {
    if (chunk.header) {
      const start = chunk.header.offset - chunk.position;
      out.header = chunk.bytes.toString('latin1', start, start + chunk.header.length);
      out.bom = chunk.header.bom;
      out.headerLine = chunk.header.line;
    }
    const { offsets, lengths } = chunk.spans;
    for (let r = 0; r < offsets.length; r++) {
      const start = offsets[r] - chunk.position;
      out.records.push(Buffer.from(chunk.bytes.subarray(start, start + lengths[r])));
      out.offsets.push(offsets[r]);
    }
  }
  return out;
}

/** Each span read from the input at its offset, as text (jest compares 30,000 strings far faster than Buffers). */
function atOffsets(input: Buffer, { records, offsets }: Split): string[] {
  return offsets.map((offset, r) => input.toString('latin1', offset, offset + records[r].length));
}

function texts(records: Buffer[]): string[] {
  return records.map((r) => r.toString('latin1'));
}

/** What lies between the spans must be blank lines only (LF or CRLF), and nothing may come after the last. */
function gaps(input: Buffer, header: { offset: number; length: number }, { records, offsets }: Split): string[] {
  const found: string[] = [];
  let at = header.offset + header.length;
  offsets.forEach((offset, r) => {
    found.push(input.toString('latin1', at, offset));
    at = offset + records[r].length;
  });
  found.push(input.toString('latin1', at));
  return found;
}

describe('record byte ranges of the CSV reader', () => {
  const tricky = '\ufeffid,note\r\n\r\n1,"two\r\nlines, and a comma"\r\n2,"say ""hi"""\n\n\n3,\r\n4,"a\nb\nc"\r\n5,mid"quote\r\n6,end';

  it.each([false, true])(
    'cuts a file with a BOM, CRLF, blank lines, quoted line breaks and no final line feed into its rows (trustRowShape %s)',
    async (trustRowShape) => {
      const file = folder.write(`tricky-${trustRowShape}.csv`, tricky);
      const input = Buffer.from(tricky);
      const result = await split(file, ',', { trustRowShape });
      expect(result.bom).toBe(true);
      expect(result.header).toBe('id,note\r\n');
      expect(result.headerLine).toBe(1);
      expect(result.records.map((r) => r.toString())).toEqual([
        '1,"two\r\nlines, and a comma"\r\n',
        '2,"say ""hi"""\n',
        '3,\r\n',
        '4,"a\nb\nc"\r\n',
        '5,mid"quote\r\n',
        '6,end',
      ]);
      // Offsets count the 3 bytes of the BOM: they are offsets in the input as it is on disk.
      expect(atOffsets(input, result)).toEqual(texts(result.records));
      expect(gaps(input, { offset: 3, length: 9 }, result)).toEqual(['\r\n', '', '\n\n', '', '', '', '']);
      const { lines } = await readColumns(await openDataset(file));
      expect(lines).toHaveLength(result.records.length);
    },
  );

  it('gives offsets in the decompressed bytes of a gzip file, equal to those of the plain file', async () => {
    const text = bigCsv(20000, ',');
    const plain = await split(folder.write('spans.csv', text), ',', { chunkBytes: 4096 });
    const gzipped = await split(folder.write('spans.csv.gz', gzipSync(text)), ',', { chunkBytes: 4096 });
    expect(gzipped.offsets).toEqual(plain.offsets);
    expect(texts(gzipped.records)).toEqual(texts(plain.records));
    const input = gunzipSync(gzipSync(text));
    expect(atOffsets(input, gzipped)).toEqual(texts(gzipped.records));
    expect(gaps(input, { offset: 0, length: gzipped.header.length }, gzipped).every((gap) => /^(\r?\n)*$/.test(gap))).toBe(true);
  });

  it.each([
    [',', 'rows.csv', false],
    [',', 'rows.csv', true],
    ['\t', 'rows.tsv.gz', true],
  ] as const)(
    'puts a %j file (%s, trustRowShape %s) back together byte for byte, rows cut by read chunks',
    async (delimiter, name, trustRowShape) => {
      const text = bigCsv(30000, delimiter);
      const file = folder.write(name, name.endsWith('.gz') ? gzipSync(text) : text);
      const result = await split(file, delimiter, { trustRowShape, chunkBytes: 8192 });
      const { columns, lines } = await readColumns(await openDataset(file, { columnTypes: { note: 'text' } }));
      expect(result.records).toHaveLength(30000);
      expect(result.records.map((r) => Number(r.toString().split(delimiter)[0]))).toEqual(columns.id);
      expect(lines).toHaveLength(30000);
      const input = Buffer.from(text);
      expect(atOffsets(input, result)).toEqual(texts(result.records));
      // Only blank lines lie between rows.
      expect(gaps(input, { offset: 0, length: result.header.length }, result).every((gap) => /^(\r?\n)*$/.test(gap))).toBe(true);
    },
  );

  it('hands each batch the spans of its rows when asked, and none otherwise', async () => {
    const text = bigCsv(5000, ',');
    const file = folder.write('batches.csv', text);
    const records = (await split(file, ',')).offsets;
    const dataset = await openDataset(file, { columnTypes: { note: 'text' }, batchRows: 1000, recordSpans: true });
    const offsets: number[] = [];
    for await (const batch of dataset.batches()) {
      expect(batch.recordSpans?.offsets).toHaveLength(batch.rowCount);
      offsets.push(...batch.recordSpans!.offsets);
    }
    expect(offsets).toEqual(records);
    for await (const batch of (await openDataset(file, { batchRows: 1000 })).batches()) expect(batch.recordSpans).toBeUndefined();
  });

  it('reads a header-only file as a header and no records, and an empty file as an error', async () => {
    const only = await split(folder.write('header-only.csv', 'a,b'), ',');
    expect(only.header).toBe('a,b');
    expect(only.records).toEqual([]);
    await expect(split(folder.write('empty.csv', ''), ',')).rejects.toThrow(/the file is empty/);
  });
});
