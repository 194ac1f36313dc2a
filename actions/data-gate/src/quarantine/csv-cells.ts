// Cells of one CSV/TSV record already cut out by the shared reader (readCsvRecords): its fields as raw byte ranges,
// to move them into another file's column order without re-encoding them, and a cell written the way CSV needs it.

const QUOTE = 34;

/** A record's fields as raw byte ranges (quotes kept); a quote opens a quoted field only at a field's start. */
export function splitRawFields(bytes: Buffer, delimiter: ',' | '\t'): Buffer[] {
  const delim = delimiter.charCodeAt(0);
  const fields: Buffer[] = [];
  let start = 0;
  let atFieldStart = true;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (atFieldStart && c === QUOTE) {
      let j = i + 1;
      for (;;) {
        const q = bytes.indexOf(QUOTE, j);
        if (q < 0 || q + 1 >= bytes.length || bytes[q + 1] !== QUOTE) {
          i = q < 0 ? bytes.length - 1 : q;
          break;
        }
        j = q + 2;
      }
      atFieldStart = false;
      continue;
    }
    if (c === delim) {
      fields.push(bytes.subarray(start, i));
      start = i + 1;
      atFieldStart = true;
    } else atFieldStart = false;
  }
  fields.push(bytes.subarray(start));
  return fields;
}

/** A cell as CSV/TSV writes it: quoted (quotes doubled) when it holds the delimiter, a quote or a line break. */
export function csvCell(text: string, delimiter: ',' | '\t'): string {
  const needsQuotes = text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r') || text === '';
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}
