// Every cost-report input parsed and validated in one place, into one typed settings object.
import { InputError } from '#shared/errors.js';
import { list, number, oneOf, optionalString, url, type InputReader } from '#shared/inputs/parse-inputs.js';
import { readPublishChannels, type PublishChannels } from '#shared/publish/index.js';
import type { RepositoryRef } from '#shared/runtime/run-context.js';
import { parseAmountText } from './money/money.js';
import type { CostBasis } from './sources/focus-source.js';
import type { IdleMode } from './sources/opencost-source.js';
import type { FailOn } from './fail-on.js';

export const SOURCE_NAMES = ['github-actions', 'focus', 'opencost'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export interface OrganizationRepositories {
  org: string;
  /** A glob over the repository name ('*' for all), as attribution rules write them. */
  names: string;
}

export interface CostReportInputs {
  sources: SourceName[];
  focusFiles: string[];
  opencostFile?: string;
  opencostUrl?: URL;
  opencostIdle: IdleMode;
  window: string;
  rates?: string;
  attribution?: string;
  budgets?: string;
  tagPolicy: string[];
  manifests: string[];
  costBasis: CostBasis;
  /** Repositories named one by one (owner/repo); this repository when neither these nor organizations are given. */
  repositories: RepositoryRef[];
  /** `owner/*` or `owner/<glob>` entries: every repository of the organization whose name matches, archived ones left out. */
  organizations: OrganizationRepositories[];
  /** Where a pull request's own runs are looked for: the first repository named, else this one. */
  pullRequestRepository?: RepositoryRef;
  /** Pico units per minute of a self-hosted runner. */
  selfHostedPlatformFee: bigint;
  anomalyThreshold: number;
  /** A PR comment only when |delta| reaches this: an amount, or a share of the baseline. */
  minDelta: { kind: 'amount'; cents: bigint } | { kind: 'percent'; percent: number };
  failOn: FailOn;
  reportDir: string;
  memoryBudgetMb: number;
  channels: PublishChannels;
}

export function readInputs(read: InputReader, currentRepository?: RepositoryRef): CostReportInputs {
  const sources = list(read, 'sources').length > 0 ? list(read, 'sources') : ['focus'];
  for (const s of sources)
    if (!(SOURCE_NAMES as readonly string[]).includes(s)) throw new InputError('sources', s, `a list of ${SOURCE_NAMES.join(', ')}`);
  const focusFiles = list(read, 'focus-files');
  if (sources.includes('focus') && focusFiles.length === 0)
    throw new InputError('focus-files', '', "FOCUS export files (paths or globs; CSV or Parquet) when sources include 'focus'");
  const opencostFile = optionalString(read, 'opencost-file');
  const opencostUrl = url(read, 'opencost-url');
  if (sources.includes('opencost') && !opencostFile === !opencostUrl)
    throw new InputError(
      opencostFile ? 'opencost-url' : 'opencost-file',
      '',
      "exactly one of 'opencost-file' and 'opencost-url' when sources include 'opencost'",
    );
  const repositories: RepositoryRef[] = [];
  const organizations: OrganizationRepositories[] = [];
  for (const r of list(read, 'repositories')) {
    const m = /^([\w.-]+)\/([\w.*?-]+)$/.exec(r);
    if (!m)
      throw new InputError('repositories', r, "a list of 'owner/repo', or 'org/*' (or 'org/ml-*') for an organization's repositories");
    if (/[*?]/.test(m[2])) organizations.push({ org: m[1], names: m[2] });
    else repositories.push({ owner: m[1], repo: m[2] });
  }
  if (repositories.length === 0 && organizations.length === 0 && currentRepository) repositories.push(currentRepository);
  const fee = optionalString(read, 'self-hosted-platform-fee') ?? '0';
  const feePico = parseAmountText(fee);
  if (feePico === undefined || feePico < 0n) throw new InputError('self-hosted-platform-fee', fee, 'an amount per minute >= 0, e.g. 0.002');
  const minDeltaText = optionalString(read, 'min-delta') ?? '0';
  let minDelta: CostReportInputs['minDelta'];
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(minDeltaText);
  const amount = parseAmountText(minDeltaText);
  if (percent) minDelta = { kind: 'percent', percent: Number(percent[1]) };
  else if (amount !== undefined && amount >= 0n) minDelta = { kind: 'amount', cents: amount / 10_000_000_000n };
  else throw new InputError('min-delta', minDeltaText, "an amount (e.g. 1.50) or a percentage of the base branch's cost (e.g. 10%)");
  const tagPolicy = list(read, 'tag-policy');
  return {
    sources: sources as SourceName[],
    focusFiles,
    opencostFile,
    opencostUrl,
    opencostIdle: oneOf(read, 'opencost-idle', ['share', 'include'] as const, 'share'),
    window: optionalString(read, 'window') ?? 'month',
    rates: optionalString(read, 'rates'),
    attribution: optionalString(read, 'attribution'),
    budgets: optionalString(read, 'budgets'),
    tagPolicy,
    manifests: list(read, 'manifests'),
    costBasis: oneOf(read, 'cost-basis', ['effective', 'billed'] as const, 'effective'),
    repositories,
    organizations,
    pullRequestRepository: repositories[0] ?? currentRepository,
    selfHostedPlatformFee: feePico,
    anomalyThreshold: number(read, 'anomaly-threshold', 3.5, { min: 0, minExclusive: true })!,
    minDelta,
    failOn: oneOf(read, 'fail-on', ['never', 'over-budget', 'tag-policy', 'any'] as const, 'never'),
    reportDir: optionalString(read, 'report-dir') ?? 'cost-report',
    memoryBudgetMb: number(read, 'memory-budget-mb', 256, { min: 32, integer: true })!,
    channels: readPublishChannels(read, { alertIssue: 'issue-on-over-budget' }),
  };
}
