// Annotations on the data files at the failing lines: taken round-robin over the broken rules so that each rule
// shows at least one line, capped at max-annotations; how many more there were is counted for the summary.
// Parquet rows have no lines, so they are never annotated. Lines with NUL bytes or invalid UTF-8 come first, as
// warnings. Values are quoted at most QUOTED_CHARACTERS long: an annotation is a log line.
import { formatOf } from '#shared/data/formats.js';
import { quote } from '#shared/data/quote.js';
import type { FailingRow, ValidationResult } from '../validate/validation-result.js';

export interface LineAnnotation {
  level: 'error' | 'warning';
  file: string;
  line: number;
  title: string;
  message: string;
}

/** Characters of one value an annotation shows. */
const QUOTED_CHARACTERS = 200;

function describeRow(row: FailingRow): string {
  return Object.entries(row.values)
    .map(([column, value]) => {
      const invalid = row.invalid?.[column];
      const shown = invalid !== undefined ? `${quote(invalid, QUOTED_CHARACTERS)} (not a valid value for this column)` : showValue(value);
      const name = quote(column, 80);
      return `${name === `'${column}'` ? column : name}=${shown}`;
    })
    .join(', ');
}

/** A value as JSON, cut to QUOTED_CHARACTERS when it is long text. */
function showValue(value: unknown): string {
  if (typeof value === 'string' && value.length > QUOTED_CHARACTERS) return quote(value, QUOTED_CHARACTERS);
  const json = JSON.stringify(value) ?? 'null';
  return json.length > QUOTED_CHARACTERS * 2 ? quote(json, QUOTED_CHARACTERS) : json;
}

export function lineAnnotations(result: ValidationResult, max: number): { annotations: LineAnnotation[]; notShown: number } {
  const broken = result.results.filter((r) => !r.success && r.meta.failing_rows.length > 0);
  const queues = broken.map((r) => ({ r, rows: r.meta.failing_rows.filter((row) => formatOf(row.file) !== 'parquet') }));
  const annotations: LineAnnotation[] = [];
  for (const warning of result.meta.data_gate.data_warnings ?? []) {
    if (annotations.length >= max) break;
    annotations.push({
      level: 'warning',
      file: warning.file,
      line: warning.line,
      title: 'data-gate: file content',
      message: warning.message,
    });
  }
  for (let k = 0; annotations.length < max; k++) {
    let added = false;
    for (const { r, rows } of queues) {
      const row = rows[k];
      if (!row || annotations.length >= max) continue;
      added = true;
      annotations.push({
        level: r.meta.severity,
        file: row.file,
        line: row.line,
        title: `data-gate: ${r.meta.rule}`,
        message: `Row ${row.row} breaks ${r.expectation_config.type} (${r.meta.severity}, ${r.meta.source}): ${describeRow(row)}`,
      });
    }
    if (!added) break;
  }
  let total = 0;
  for (const { r, rows } of queues) {
    if (rows.length === 0) continue;
    const count = (r.result as { unexpected_count?: number | null }).unexpected_count;
    total += typeof count === 'number' ? count : rows.length;
  }
  return { annotations, notShown: Math.max(0, total - annotations.length) };
}
