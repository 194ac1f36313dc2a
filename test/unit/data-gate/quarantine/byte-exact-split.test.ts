// Quarantine of CSV and TSV copies the spans the reader gives: the passed rows and the failed rows (less the rule
// cell the failed file adds), put back in input order, are the input's rows byte for byte, whatever the file holds
// (BOM, CRLF and LF, quoted line breaks and delimiters, blank lines, no final line feed, gzip).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readCsvRecords } from '#shared/data/csv-reader.js';
import { writeQuarantine } from '../../../../actions/data-gate/src/quarantine/write-quarantine.js';
import { tempFolder } from '../../data/temp-files.js';
import { bigCsv, seeded } from './tricky-files.js';

const folder = tempFolder();
afterAll(() => folder.remove());
const out = (name: string) => join(folder.dir, 'out', name);
const bytesOf = (path: string) => (path.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path));

/** The header row and each data row of a file as text (latin1: one char a byte), line endings included. */
async function rowsOf(path: string, delimiter: ',' | '\t'): Promise<{ header: string; rows: string[] }> {
  let header = '';
  const rows: string[] = [];
  for await (const chunk of readCsvRecords(path, delimiter)) {
    if (chunk.header) {
      const start = chunk.header.offset - chunk.position;
      header = (chunk.header.bom ? '\u00ef\u00bb\u00bf' : '') + chunk.bytes.toString('latin1', start, start + chunk.header.length);
    }
    const { offsets, lengths } = chunk.spans;
    for (let r = 0; r < offsets.length; r++) {
      const start = offsets[r] - chunk.position;
      rows.push(chunk.bytes.toString('latin1', start, start + lengths[r]));
    }
  }
  return { header, rows };
}

describe('passed + failed = input, byte for byte', () => {
  it.each([
    ['csv', ',', 'orders.csv'],
    ['csv', ',', 'orders.csv.gz'],
    ['tsv', '\t', 'orders.tsv.gz'],
  ] as const)('%s delimited by %j, in %s: every row lands in one file with its exact bytes', async (format, delimiter, name) => {
    // A BOM, a header, rows cut by chunks, and a last row without a line feed.
    const text = '\ufeff' + bigCsv(25000, delimiter).replace(/\r?\n$/, '');
    const file = folder.write(name, name.endsWith('.gz') ? gzipSync(text) : text);
    const random = seeded(7);
    const failing = Array.from({ length: 25000 }, () => random() < 0.3);
    const passedPath = out(`${name}.passed.${format}`);
    const failedPath = out(`${name}.failed.${format}`);
    const summary = await writeQuarantine({
      inputs: [{ path: file, format }],
      passedPath,
      failedPath,
      brokenRules: (row) => (failing[row] ? ['rule, "quoted"'] : undefined),
      expectedRows: 25000,
    });
    expect(summary.failedRows).toBe(failing.filter(Boolean).length);

    const input = await rowsOf(file, delimiter);
    const passed = await rowsOf(passedPath, delimiter);
    const failed = await rowsOf(failedPath, delimiter);
    expect(passed.header).toBe(input.header);
    expect(failed.header).toBe(input.header.replace(/(\r?\n)$/, `${delimiter}data_gate_failed_rules$1`));
    const cell = `${delimiter}"rule, ""quoted"""`;
    const ending = input.header.endsWith('\r\n') ? '\r\n' : '\n';
    let p = 0;
    let f = 0;
    const merged = input.rows.map((_, row) =>
      failing[row] ? failed.rows[f++].replace(`${cell}\r\n`, '\r\n').replace(`${cell}\n`, '\n') : passed.rows[p++],
    );
    expect(p + f).toBe(passed.rows.length + failed.rows.length);
    // The input's last row has no line feed; the output gives it the header's.
    expect(merged).toEqual([...input.rows.slice(0, -1), input.rows.at(-1) + ending]);
    // And the input's bytes are exactly its header, these rows and blank lines: nothing else was left out.
    const withoutBlank = bytesOf(file)
      .toString('latin1')
      .replace(/(\r?\n)(\r?\n)+/g, '$1');
    expect(input.header + input.rows.join('')).toBe(withoutBlank);
  });
});
