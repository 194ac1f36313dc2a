// Test helper: deterministic data files with everything that makes row splitting hard (quoted delimiters and line
// breaks, doubled quotes, CRLF and LF mixed, blank lines), big enough that records straddle the 1 MiB read chunks.

/** A small linear congruential generator, so the files are the same on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const NOTES = ['plain', 'with, comma', 'two\nlines', 'say "hi"', 'crlf\r\ninside', '', 'tab\there', 'ünïcødé ✓'];

/** A quoted or bare cell for `text`, quoted whenever the delimiter, a quote or a line break is in it. */
function cell(text: string, delimiter: string, random: () => number): string {
  const mustQuote = text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r');
  return mustQuote || random() < 0.2 ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows id (1..rows), amount, note, with a header; about 80 bytes a row. */
export function bigCsv(rows: number, delimiter: ',' | '\t'): string {
  const random = seeded(rows);
  const parts = [['id', 'amount', 'note'].join(delimiter) + '\r\n'];
  for (let id = 1; id <= rows; id++) {
    const note = NOTES[Math.floor(random() * NOTES.length)] + ' '.repeat(Math.floor(random() * 40));
    const ending = random() < 0.5 ? '\r\n' : '\n';
    parts.push([String(id), (random() * 1000).toFixed(2), cell(note, delimiter, random)].join(delimiter) + ending);
    if (random() < 0.05) parts.push(random() < 0.5 ? '\n' : '\r\n');
  }
  return parts.join('');
}

/** Objects {id, amount, note}, with blank lines now and then and CRLF on some lines. */
export function bigJsonl(rows: number): string {
  const random = seeded(rows + 1);
  const parts: string[] = [];
  for (let id = 1; id <= rows; id++) {
    const note = NOTES[Math.floor(random() * NOTES.length)] + ' '.repeat(Math.floor(random() * 40));
    parts.push(`{"id":${id},"amount":${(random() * 1000).toFixed(2)},"note":${JSON.stringify(note)}}${random() < 0.5 ? '\r\n' : '\n'}`);
    if (random() < 0.05) parts.push(random() < 0.5 ? '\n' : '  \r\n');
  }
  return parts.join('');
}
