// Mermaid charts for job summaries and PR comments: GitHub renders a ```mermaid block as a chart, so a summary can
// show a bar chart without uploading an image anywhere.

export interface MermaidBarChartSpec {
  title: string;
  labels: string[];
  values: number[];
  yLabel: string;
  /** Bars grow to the right with labels down the side: easier to read with many or long labels. */
  horizontal?: boolean;
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
  const low = Math.min(0, ...plotted);
  const high = Math.max(0, ...plotted);
  // Headroom above the tallest bar; an all-zero chart still gets a visible axis.
  const top = high === low ? 1 : high + (high - low) * 0.1;
  const lines = [
    '```mermaid',
    `xychart-beta${spec.horizontal ? ' horizontal' : ''}`,
    `    title ${mermaidString(title)}`,
    `    x-axis [${labels.map(mermaidString).join(', ')}]`,
    `    y-axis ${mermaidString(yLabel)} ${mermaidNumber(low)} --> ${mermaidNumber(top)}`,
    `    bar [${plotted.map(mermaidNumber).join(', ')}]`,
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
