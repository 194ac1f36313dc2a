// Decides, row by row in dataset order, whether a row goes to the passed or the failed file, and counts both.
export type BrokenRules = (rowIndex: number) => readonly string[] | undefined;

export class RowRouter {
  /** 0-based index (over the whole dataset) of the next row. */
  next = 0;
  passedRows = 0;
  failedRows = 0;

  constructor(private readonly brokenRules: BrokenRules) {}

  /** The rules the next row broke (empty when it passed), advancing to the row after it. */
  route(): readonly string[] {
    const rules = this.brokenRules(this.next++) ?? [];
    if (rules.length === 0) this.passedRows++;
    else this.failedRows++;
    return rules;
  }
}

/** How the rule column lists several rules in one cell. */
export const RULE_SEPARATOR = '; ';
