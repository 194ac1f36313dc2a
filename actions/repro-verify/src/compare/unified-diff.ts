// A short unified diff of two text files (Myers' O(ND) algorithm over lines), cut to a few hunks: enough to show
// where two runs' outputs part ways, not a diff tool.
export interface DiffOptions {
  context?: number;
  maxLines?: number;
  /** Give up (and say so) beyond this many differing lines: the diff of two unrelated files is noise. */
  maxEdits?: number;
}

type Op = { kind: ' ' | '-' | '+'; text: string; a: number; b: number };

function myers(a: string[], b: string[], maxEdits: number): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d, offset);
    }
  }
  return undefined;
}

function backtrack(trace: Int32Array[], a: string[], b: string[], dEnd: number, offset: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = v[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: ' ', text: a[--x], a: x, b: --y });
    if (x === prevX) ops.push({ kind: '+', text: b[--y], a: x, b: y });
    else ops.push({ kind: '-', text: a[--x], a: x, b: y });
  }
  while (x > 0 && y > 0) ops.push({ kind: ' ', text: a[--x], a: x, b: --y });
  return ops.reverse();
}

const lines = (text: string) => {
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
};

export function unifiedDiff(before: string, after: string, names: [string, string], options: DiffOptions = {}): string {
  const context = options.context ?? 3;
  const maxLines = options.maxLines ?? 40;
  const a = lines(before);
  const b = lines(after);
  const ops = myers(a, b, options.maxEdits ?? 2000);
  if (!ops) return `--- ${names[0]}\n+++ ${names[1]}\n(more than ${options.maxEdits ?? 2000} lines differ; diff left out)`;
  const out = [`--- ${names[0]}`, `+++ ${names[1]}`];
  let i = 0;
  while (i < ops.length) {
    if (ops[i].kind === ' ') {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while changes are within 2*context lines of each other.
    for (let j = i; j < ops.length; j++) {
      if (ops[j].kind !== ' ') end = j;
      else if (j - end > 2 * context) break;
    }
    end = Math.min(ops.length - 1, end + context);
    const hunk = ops.slice(start, end + 1);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${hunk[0].a + (aCount ? 1 : 0)},${aCount} +${hunk[0].b + (bCount ? 1 : 0)},${bCount} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.text}`);
    i = end + 1;
    start = i;
    if (out.length > maxLines) break;
  }
  if (out.length > maxLines) return [...out.slice(0, maxLines), `... (diff cut at ${maxLines} lines)`].join('\n');
  return out.join('\n');
}
