// Shared by the gx-*.test.ts files: a CSV written to a temp folder, a rules file from objects, one validation pass.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { parseRulesFile } from '../../../actions/data-gate/src/rules/parse-rules-file.js';
import { validateDataset } from '../../../actions/data-gate/src/validate/validate-dataset.js';
import type { ExpectationResult, ValidationResult } from '../../../actions/data-gate/src/validate/validation-result.js';

const dir = mkdtempSync(join(tmpdir(), 'data-gate-gx-'));

export function csv(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

export async function validate(
  data: string,
  rules: Record<string, unknown>[],
  top: Record<string, unknown> = {},
): Promise<ValidationResult> {
  const ruleSet = parseRulesFile(dump({ version: 1, ...top, rules }), 'rules.yml');
  const { result } = await validateDataset({ data: [data], ruleSet, failOn: 'error', budgetBytes: 64 << 20, threads: 1 });
  return result;
}

/** One rule's result. */
export async function one(data: string, rule: Record<string, unknown>, top: Record<string, unknown> = {}): Promise<ExpectationResult> {
  return (await validate(data, [rule], top)).results[0];
}
