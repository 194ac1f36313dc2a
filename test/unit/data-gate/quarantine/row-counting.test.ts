// The JSON Lines quarantine splitter must count and order rows exactly as openDataset does, or rows would be sent to
// the wrong file: checked on small tricky files and on files large enough that records straddle read chunks. (CSV
// and TSV records are cut by the reader itself: test/unit/data/csv-record-spans.test.ts.)
import { gzipSync } from 'node:zlib';
import { openDataset } from '#shared/data/index.js';
import { scanJsonlRecords } from '../../../../actions/data-gate/src/quarantine/jsonl-records.js';
import { readColumns, tempFolder } from '../../data/temp-files.js';
import { bigJsonl } from './tricky-files.js';

const folder = tempFolder();
afterAll(() => folder.remove());

async function jsonlRecords(file: string): Promise<{ bytes: string; line: number }[]> {
  const records: { bytes: string; line: number }[] = [];
  await scanJsonlRecords(file, { record: (r) => records.push({ bytes: r.bytes.toString(), line: r.line }), afterChunk: async () => {} });
  return records;
}

describe('counting rows as openDataset does', () => {
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
