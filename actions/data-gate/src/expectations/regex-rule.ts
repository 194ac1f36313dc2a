// The row rules that judge values with regexes (match, not match, lists): on a column read as UTF-8 bytes each cell
// goes to the regexes' byte DFAs first and is decoded only when one cannot judge it; other columns give text.
import type { Utf8Column } from '#shared/data/types.js';
import { EXPECTED, IGNORED, UNEXPECTED, type BatchContext, type RowEvaluator } from './evaluator.js';
import type { SafeRegex } from './safe-regex.js';

/** The current cell of a batch, for judge functions: one instance a rule, moved from row to row (no allocation). */
export class RegexCell {
  private ctx: BatchContext | undefined;
  private column = '';
  private bytes: Utf8Column | undefined;
  private texts: (string | null)[] | undefined;
  row = 0;

  at(ctx: BatchContext, column: string): void {
    this.ctx = ctx;
    this.column = column;
    this.bytes = ctx.utf8(column);
    this.texts = this.bytes ? undefined : ctx.strings(column);
  }

  /** Whether `regex` matches somewhere in the cell (re.search). */
  matches(regex: SafeRegex): boolean {
    const bytes = this.bytes;
    if (bytes) {
      const found = regex.testBytes(bytes.data, bytes.offsets[this.row], bytes.offsets[this.row + 1]);
      return found ?? regex.test(this.ctx!.value(this.column, this.row) as string);
    }
    return regex.test(this.texts![this.row] as string);
  }
}

/** A rule judging each non-null cell with `judge`, which asks cell.matches(regex) of its regexes. */
export function regexRule(column: string, judge: (cell: RegexCell) => boolean): RowEvaluator {
  const cell = new RegexCell();
  return {
    kind: 'row',
    columns: [column],
    evaluate(ctx, status) {
      cell.at(ctx, column);
      const nulls = ctx.nulls(column);
      for (let i = 0; i < status.length; i++) {
        if (nulls[i] === 1) status[i] = IGNORED;
        else {
          cell.row = i;
          status[i] = judge(cell) ? EXPECTED : UNEXPECTED;
        }
      }
    },
  };
}
