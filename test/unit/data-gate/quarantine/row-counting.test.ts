// The quarantine splitters must count and order rows exactly as openDataset does, or rows would be sent to the
// wrong file: checked on small tricky files and on files large enough that records straddle read chunks.
import { gzipSync } from 'node:zlib';
import { openDataset } from '#shared/data/index.js';
import { scanCsvRecords, type CsvRecord } from '../../../../actions/data-gate/src/quarantine/csv-records.js';
import { scanJsonlRecords } from '../../../../actions/data-gate/src/quarantine/jsonl-records.js';
import { readColumns, tempFolder } from '../../data/temp-files.js';
import { bigCsv, bigJsonl } from './tricky-files.js';

const folder = tempFolder();
afterAll(() => folder.remove());

async function csvRecords(file: string, delimiter: ',' | '\t'): Promise<{ header: string; records: CsvRecord[] }> {
  let header = '';
  const records: CsvRecord[] = [];
  await scanCsvRecords(file, delimiter, {
    header: (record) => (header = record.bytes.toString()),
    record: (record) => records.push({ ...record, bytes: Buffer.from(record.bytes) }),
    afterChunk: async () => {},
  });
  return { header, records };
}

async function jsonlRecords(file: string): Promise<{ bytes: string; line: number }[]> {
  const records: { bytes: string; line: number }[] = [];
  await scanJsonlRecords(file, { record: (r) => records.push({ bytes: r.bytes.toString(), line: r.line }), afterChunk: async () => {} });
  return records;
}

describe('counting rows as openDataset does', () => {
  it('splits a CSV with a BOM, CRLF, blank lines, quoted line breaks and a last line without ending', async () => {
    const file = folder.write(
      'tricky.csv',
      '\ufeffid,note\r\n\r\n1,"two\r\nlines, and a comma"\r\n2,"say ""hi"""\n\n\n3,\r\n4,"a\nb\nc"\r\n5,mid"quote\r\n6,end',
    );
    const { header, records } = await csvRecords(file, ',');
    expect(header).toBe('id,note');
    expect(records.map((r) => r.bytes.toString())).toEqual([
      '1,"two\r\nlines, and a comma"',
      '2,"say ""hi"""',
      '3,',
      '4,"a\nb\nc"',
      '5,mid"quote',
      '6,end',
    ]);
    expect(records.map((r) => r.ending)).toEqual(['\r\n', '\n', '\r\n', '\r\n', '\r\n', '']);
    const { columns, lines } = await readColumns(await openDataset(file));
    expect(records.map((r) => r.line)).toEqual(lines);
    expect(columns.id).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('agrees with openDataset on a 3 MB CSV whose quoted records straddle read chunks, plain and gzipped', async () => {
    const text = bigCsv(40000, ',');
    for (const file of [folder.write('big.csv', text), folder.write('big.csv.gz', gzipSync(text))]) {
      const { records } = await csvRecords(file, ',');
      const { columns, lines } = await readColumns(await openDataset(file, { columnTypes: { note: 'text' } }));
      expect(records).toHaveLength(40000);
      expect(records.map((r) => r.line)).toEqual(lines);
      expect(records.map((r) => Number(r.bytes.toString().split(',')[0]))).toEqual(columns.id);
    }
  });

  it('agrees with openDataset on a TSV', async () => {
    const text = bigCsv(30000, '\t');
    const file = folder.write('big.tsv', text);
    const { records } = await csvRecords(file, '\t');
    const { columns, lines } = await readColumns(await openDataset(file, { columnTypes: { note: 'text' } }));
    expect(records.map((r) => r.line)).toEqual(lines);
    expect(records.map((r) => Number(r.bytes.toString().split('\t')[0]))).toEqual(columns.id);
  });

  it('skips the JSON Lines the reader skips (blank, whitespace, Unicode spaces) and drops only the first BOM', async () => {
    const file = folder.write('tricky.jsonl', '\ufeff{"id":1}\r\n\n   \r\n{"id":2,"s":"a\\nb"}\n\u00a0\u2028\n\t{"id":3}  \n{"id":4}');
    const records = await jsonlRecords(file);
    expect(records.map((r) => r.bytes)).toEqual(['{"id":1}\r', '{"id":2,"s":"a\\nb"}', '\t{"id":3}  ', '{"id":4}']);
    const { columns, lines } = await readColumns(await openDataset(file));
    expect(records.map((r) => r.line)).toEqual(lines);
    expect(columns.id).toEqual([1, 2, 3, 4]);
  });

  it('agrees with openDataset on a 3 MB JSON Lines file, plain and gzipped', async () => {
    const text = bigJsonl(40000);
    for (const file of [folder.write('big.jsonl', text), folder.write('big.jsonl.gz', gzipSync(text))]) {
      const records = await jsonlRecords(file);
      const { columns, lines } = await readColumns(await openDataset(file, { columnTypes: { note: 'text' } }));
      expect(records.map((r) => r.line)).toEqual(lines);
      expect(records.map((r) => (JSON.parse(r.bytes) as { id: number }).id)).toEqual(columns.id);
    }
  });
});
