// Annotations on the data files at the failing lines: taken round-robin over the broken rules so that each rule
// shows at least one line, capped at max-annotations; how many more there were is counted for the summary.
// Parquet rows have no lines, so they are never annotated.
import { formatOf } from '#shared/data/file-source.js';
import type { FailingRow, ValidationResult } from '../validate/validation-result.js';

export interface LineAnnotation {
  level: 'error' | 'warning';
  file: string;
  line: number;
  title: string;
  message: string;
}

function describeRow(row: FailingRow): string {
  return Object.entries(row.values)
    .map(([column, value]) => `${column}=${row.invalid?.[column] !== undefined ? `'${row.invalid[column]}' (not a valid value for this column)` : JSON.stringify(value)}`)
    .join(', ');
}

export function lineAnnotations(result: ValidationResult, max: number): { annotations: LineAnnotation[]; notShown: number } {
  const broken = result.results.filter((r) => !r.success && r.meta.failing_rows.length > 0);
  const queues = broken.map((r) => ({ r, rows: r.meta.failing_rows.filter((row) => formatOf(row.file) !== 'parquet') }));
  const annotations: LineAnnotation[] = [];
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
