// suggest mode: profile the data and write starter rules for a person to review.
import { openDataset } from '#shared/data/index.js';
import { writeOutputFile } from '#shared/paths/index.js';
import type { ActionRuntime } from '#shared/runtime/action-runtime.js';
import { suggestionsToYaml } from './rules-yaml.js';
import { suggestRules } from './suggest-rules.js';

export async function runSuggest(runtime: ActionRuntime, data: string[], suggestOut: string, maxLineBytes?: number): Promise<void> {
  const dataset = await openDataset(data, { label: "input 'data'", maxLineBytes });
  const suggestions = await suggestRules(dataset);
  const yaml = suggestionsToYaml(suggestions, { source: dataset.files, generatedAt: new Date().toISOString() });
  const out = await writeOutputFile(suggestOut, yaml, "input 'suggest-out'");
  runtime.setOutput('suggested-rules', out);
  runtime.setOutput('rows', String(suggestions.rows));
  const files = dataset.files.map((f) => `\`${f}\``).join(', ');
  await runtime.appendSummary(
    `## Data gate: suggested rules\n\nProfiled ${suggestions.rows.toLocaleString('en-US')} rows of ${files} and wrote ${suggestions.rules.length} rules to \`${suggestOut}\`. Review them, then validate with \`rules: ${suggestOut}\`.\n`,
  );
}
