// Mermaid bar charts for job summaries: the block GitHub renders as a chart.
import { mermaidBarChart, mermaidString } from '#shared/reports/mermaid.js';

describe('mermaidBarChart', () => {
  it('writes a fenced xychart-beta block with title, quoted labels, y axis and bars', () => {
    const block = mermaidBarChart({
      title: 'Drift score per column',
      labels: ['fare', 'trip_distance'],
      values: [0.42, 0.1 + 0.2],
      yLabel: 'score',
    });
    const lines = block.trimEnd().split('\n');
    expect(lines[0]).toBe('```mermaid');
    expect(lines[1]).toBe('xychart-beta');
    expect(lines[lines.length - 1]).toBe('```');
    expect(lines).toContain('    title "Drift score per column"');
    expect(lines).toContain('    x-axis ["fare", "trip_distance"]');
    expect(lines).toContain('    bar [0.42, 0.3]');
    const yAxis = lines.find((l) => l.trim().startsWith('y-axis'));
    const range = /^ {4}y-axis "score" (\S+) --> (\S+)$/.exec(yAxis ?? '');
    expect(range).not.toBeNull();
    expect(Number(range![1])).toBe(0);
    expect(Number(range![2])).toBeGreaterThan(0.42); // the tallest bar fits
  });

  it('keeps labels with quotes, newlines and backticks from breaking the chart or the fence', () => {
    const block = mermaidBarChart({
      title: 'say "hi"',
      labels: ['a "b"', 'line\nbreak', '```x'],
      values: [1, 2, 3],
      yLabel: 'n',
    });
    expect(block.match(/```/g)).toHaveLength(2); // only the fence itself
    const body = block.split('\n').slice(1, -2);
    expect(body.every((line) => (line.match(/"/g) ?? []).length % 2 === 0)).toBe(true);
    expect(block).toContain(`x-axis ["a 'b'", "line break", "'''x"]`);
    expect(mermaidString('x\r\ny')).toBe('"x y"');
  });

  it('plots non-finite values as 0 and gives an all-zero chart a visible axis', () => {
    const block = mermaidBarChart({ title: 't', labels: ['a', 'b'], values: [NaN, 0], yLabel: 'v' });
    expect(block).toContain('bar [0, 0]');
    expect(block).toContain('y-axis "v" 0 --> 1');
  });

  it('can lay the bars horizontally and refuses labels and values that do not pair up', () => {
    expect(mermaidBarChart({ title: 't', labels: ['a'], values: [1], yLabel: 'v', horizontal: true })).toContain('xychart-beta horizontal');
    expect(() => mermaidBarChart({ title: 't', labels: ['a', 'b'], values: [1], yLabel: 'v' })).toThrow(/2 labels but 1 values/);
  });
});
