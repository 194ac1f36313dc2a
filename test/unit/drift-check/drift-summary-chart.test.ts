// The summary chart puts every column on one axis relative to its own threshold (line at 1), so a 0.015 distance
// no longer looks like a full bar next to a 1 - p; the CLI shows the same chart as text, not mermaid source.
import { mermaidBarChart, mermaidChartsAsText } from '#shared/reports/mermaid.js';
import { renderMarkdownForTerminal } from '#shared/runtime/cli-runtime.js';
import { relativeDrift } from '../../../actions/drift-check/src/report/drift-summary.js';

describe('drift relative to the threshold', () => {
  it('divides a distance by its threshold', () => {
    expect(relativeDrift({ statistic: 0.015, p_value: null, threshold: 0.1 })).toBeCloseTo(0.15, 12);
    expect(relativeDrift({ statistic: 0.2, p_value: null, threshold: 0.1 })).toBeCloseTo(2, 12);
  });

  it('puts a test at 1 when p equals its threshold and at 2 when p is the threshold squared', () => {
    expect(relativeDrift({ statistic: 3, p_value: 0.05, threshold: 0.05 })).toBeCloseTo(1, 12);
    expect(relativeDrift({ statistic: 3, p_value: 0.0025, threshold: 0.05 })).toBeCloseTo(2, 12);
    expect(relativeDrift({ statistic: 3, p_value: 0.5, threshold: 0.05 })).toBeLessThan(1);
  });

  it('caps p = 0 and huge ratios at 10 for the chart', () => {
    expect(relativeDrift({ statistic: 9, p_value: 0, threshold: 0.05 })).toBe(10);
    expect(relativeDrift({ statistic: 50, p_value: null, threshold: 0.1 })).toBe(10);
  });
});

describe('charts', () => {
  const chart = mermaidBarChart({ title: 'Drift relative', labels: ['income', 'age'], values: [2, 0.5], yLabel: 'x', referenceLine: 1 });

  it('draws the threshold as a line across the bars', () => {
    expect(chart).toContain('    bar [2, 0.5]\n    line [1, 1]\n');
  });

  it('keeps the line inside the axis when every bar is below it', () => {
    const low = mermaidBarChart({ title: 't', labels: ['a'], values: [0.1], yLabel: 'x', referenceLine: 1 });
    expect(low).toMatch(/y-axis "x" 0 --> 1\.1\n/);
  });

  it('renders as a text bar chart in the terminal, with the threshold marked', () => {
    const text = mermaidChartsAsText(`before\n${chart}after`);
    expect(text).not.toContain('```');
    expect(text).toContain('Drift relative');
    const income = text.split('\n').find((l) => l.trimStart().startsWith('income'))!;
    const age = text.split('\n').find((l) => l.trimStart().startsWith('age'))!;
    expect(income.match(/#/g)!.length).toBe(4 * age.match(/#/g)!.length);
    expect(age).toContain('|');
    expect(renderMarkdownForTerminal(chart)).not.toContain('xychart-beta');
  });
});
