// Mermaid charts for job summaries and PR comments: GitHub renders a ```mermaid block as a chart, so a summary can
// show a bar chart without uploading an image anywhere.

export interface MermaidBarChartSpec {
  title: string;
  labels: string[];
  values: number[];
  yLabel: string;
  /** Bars grow to the right with labels down the side: easier to read with many or long labels. */
  horizontal?: boolean;
  /** A line drawn across the bars at this value (a threshold), always inside the axis. */
  referenceLine?: number;
}

/**
 * A ```mermaid xychart-beta bar chart block (ends with a newline). Non-finite values are plotted as 0, since mermaid
 * cannot draw them; show the real values in a table next to the chart.
 */
export function mermaidBarChart(spec: MermaidBarChartSpec): string {
  const { title, labels, values, yLabel } = spec;
  if (labels.length !== values.length) {
    throw new Error(`mermaidBarChart: ${labels.length} labels but ${values.length} values`);
  }
  const plotted = values.map((v) => (Number.isFinite(v) ? v : 0));
  const line = spec.referenceLine !== undefined && Number.isFinite(spec.referenceLine) ? [spec.referenceLine] : [];
  const low = Math.min(0, ...plotted, ...line);
  const high = Math.max(0, ...plotted, ...line);
  // Headroom above the tallest bar; an all-zero chart still gets a visible axis.
  const top = high === low ? 1 : high + (high - low) * 0.1;
  const lines = [
    '```mermaid',
    `xychart-beta${spec.horizontal ? ' horizontal' : ''}`,
    `    title ${mermaidString(title)}`,
    `    x-axis [${labels.map(mermaidString).join(', ')}]`,
    `    y-axis ${mermaidString(yLabel)} ${mermaidNumber(low)} --> ${mermaidNumber(top)}`,
    `    bar [${plotted.map(mermaidNumber).join(', ')}]`,
    ...line.map((v) => `    line [${plotted.map(() => mermaidNumber(v)).join(', ')}]`),
    '```',
  ];
  return lines.join('\n') + '\n';
}

/**
 * A double-quoted mermaid string. Mermaid has no escape for `"` inside quotes and a newline ends the statement;
 * a backtick could close the surrounding code fence. Those become look-alike characters rather than breaking the chart.
 */
export function mermaidString(text: string): string {
  const safe = text
    .replace(/"/g, "'")
    .replace(/`/g, "'")
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
  return `"${safe}"`;
}

/** Numbers short enough to read in the source (0.1 + 0.2 is written 0.3), never in exponent form. */
function mermaidNumber(x: number): string {
  const rounded = Number(x.toPrecision(6));
  if (Math.abs(rounded) < 1e-12) return '0';
  return rounded.toFixed(12).replace(/\.?0+$/, '');
}

const BAR_WIDTH = 40;

/**
 * A ```mermaid xychart-beta block as a text bar chart for a terminal (the CLI): one row per label, bars scaled to the
 * axis, the reference line drawn as '|' where it falls. Blocks of any other kind are left as they are.
 */
export function mermaidChartsAsText(markdown: string): string {
  return markdown.replace(/```mermaid\n(xychart-beta[^`]*?)```\n?/g, (block, body: string) => {
    const title = /title "([^"]*)"/.exec(body)?.[1] ?? '';
    const labels = [...(/x-axis \[(.*)\]/.exec(body)?.[1] ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    const numbers = (name: string) => (new RegExp(`^\\s*${name} \\[(.*)\\]$`, 'm').exec(body)?.[1] ?? '').split(',').map(Number);
    const axis = /y-axis "[^"]*" (-?[\d.]+) --> (-?[\d.]+)/.exec(body);
    const bars = numbers('bar');
    if (!axis || labels.length !== bars.length) return block;
    const top = Number(axis[2]);
    const reference = body.includes('line [') ? numbers('line')[0] : undefined;
    const at = (v: number) => Math.max(0, Math.min(BAR_WIDTH, Math.round((v / top) * BAR_WIDTH)));
    const width = Math.max(...labels.map((l) => l.length));
    const rows = labels.map((label, i) => {
      const bar = [...'#'.repeat(at(bars[i])).padEnd(BAR_WIDTH, ' ')];
      if (reference !== undefined) bar[Math.min(at(reference), BAR_WIDTH - 1)] = bar[at(reference)] === '#' ? '#' : '|';
      return `  ${label.padEnd(width)}  ${bar.join('')}  ${bars[i]}`;
    });
    const legend = reference !== undefined ? [`  ${' '.repeat(width)}  ${' '.repeat(at(reference))}^ ${reference}`] : [];
    return `${title}\n${rows.join('\n')}\n${legend.join('\n')}\n`;
  });
}
