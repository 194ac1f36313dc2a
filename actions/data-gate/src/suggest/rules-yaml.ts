// Writes suggestions as our rules file (YAML, version 1): a header saying where they came from, the profiled column
// types under `columns:`, then each rule under a `# why` comment so a reviewer sees what it was based on.
import { dump } from 'js-yaml';
import { basename } from 'node:path';
import type { SuggestedRule, Suggestions } from './suggest-rules.js';

export interface SuggestionsMeta {
  /** The profiled files, as given. */
  source: string[];
  /** When the profile was taken (ISO 8601). */
  generatedAt: string;
}

/** Lists longer than this are written one item a line; shorter ones inline, `[a, b, c]`. */
const MAX_INLINE_LIST = 10;

export function suggestionsToYaml(suggestions: Suggestions, meta: SuggestionsMeta): string {
  const files = meta.source.length > 0 ? meta.source.join(', ') : 'the profiled data';
  const lines = [
    `# Starter data-gate rules suggested (mode: suggest) from ${suggestions.rows.toLocaleString('en-US')} rows of ${files} at ${meta.generatedAt}.`,
    '# Review them before relying on them: each rule says why it was suggested, and the profiled data passes them all.',
  ].map(oneLine);
  const name = datasetName(meta.source);
  lines.push(dump(name ? { version: 1, name } : { version: 1 }, { lineWidth: -1 }).trimEnd());
  if (Object.keys(suggestions.columnTypes).length > 0) {
    lines.push('# Read the columns as these types, as they were profiled, instead of inferring them.');
    lines.push(dump({ columns: suggestions.columnTypes }, { lineWidth: -1 }).trimEnd());
  }
  lines.push(suggestions.rules.length > 0 ? 'rules:' : 'rules: []');
  for (const rule of suggestions.rules) {
    lines.push(oneLine(`  # why: ${rule.why}`));
    lines.push(indent(ruleYaml(rule), '  '));
  }
  return `${lines.join('\n')}\n`;
}

function ruleYaml(rule: SuggestedRule): string {
  const entry: Record<string, unknown> = { expectation: rule.expectation, ...rule.kwargs, severity: rule.severity };
  const longList = Object.values(rule.kwargs).some((value) => Array.isArray(value) && value.length > MAX_INLINE_LIST);
  // flowLevel 2: the rule (a list item holding a mapping) stays block style, lists inside it go inline.
  return dump([entry], { lineWidth: -1, flowLevel: longList ? -1 : 2 }).trimEnd();
}

/** The first file's name without folders and extensions (loans.csv.gz -> loans), used as the rule set's name. */
function datasetName(source: string[]): string | undefined {
  if (source.length === 0) return undefined;
  const name = basename(source[0]).replace(/(\.[A-Za-z0-9]+)+$/, '');
  return name === '' || /[*?[\]{}]/.test(name) ? undefined : name; // a glob names no one file
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : prefix + line))
    .join('\n');
}

/** A comment must stay on one line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
