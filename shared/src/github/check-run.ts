// Publishes a check run with file annotations. GitHub takes at most 50 annotations per request, so the run is
// created with the first 50 and updated with each further 50; the conclusion is set with the last batch.
import type { GitHubClient } from './client.js';
import type { RepositoryRef } from './repository.js';
import { CHECK_RUN_ANNOTATIONS_PER_REQUEST, CHECK_RUN_TEXT_MAX_CHARS, truncateMiddle } from './size-limits.js';

export type CheckConclusion = 'action_required' | 'cancelled' | 'failure' | 'neutral' | 'success' | 'skipped' | 'timed_out';

export interface CheckRunAnnotation {
  path: string;
  startLine: number;
  endLine?: number;
  level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  rawDetails?: string;
}

export interface PublishCheckRunOptions {
  client: GitHubClient;
  repository: RepositoryRef;
  headSha: string;
  name: string;
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  text?: string;
  annotations: readonly CheckRunAnnotation[];
  detailsUrl?: string;
  reportUrl?: string;
}

export interface CheckRunResult {
  id: number;
  url: string;
  /** API requests made: 1 + one per further batch of 50 annotations. */
  requests: number;
}

export async function publishCheckRun(options: PublishCheckRunOptions): Promise<CheckRunResult> {
  const { client, repository } = options;
  const fit = (text: string) => truncateMiddle(text, CHECK_RUN_TEXT_MAX_CHARS, { reportUrl: options.reportUrl });
  const batches = chunk(options.annotations.map(toApiAnnotation), CHECK_RUN_ANNOTATIONS_PER_REQUEST);
  const output = (batch: ApiAnnotation[] | undefined) => ({
    title: options.title,
    summary: fit(options.summary),
    ...(options.text !== undefined ? { text: fit(options.text) } : {}),
    ...(batch ? { annotations: batch } : {}),
  });
  const done = () => ({
    status: 'completed' as const,
    conclusion: options.conclusion,
    completed_at: new Date().toISOString(),
  });

  const last = Math.max(batches.length - 1, 0);
  const { data } = await client.rest.checks.create({
    ...repository,
    name: options.name,
    head_sha: options.headSha,
    ...(options.detailsUrl ? { details_url: options.detailsUrl } : {}),
    ...(last === 0 ? done() : { status: 'in_progress' as const }),
    output: output(batches[0]),
  });
  // GitHub appends each update's annotations to those already on the run.
  for (let i = 1; i <= last; i++) {
    await client.rest.checks.update({
      ...repository,
      check_run_id: data.id,
      ...(i === last ? done() : {}),
      output: output(batches[i]),
    });
  }
  return { id: data.id, url: data.html_url ?? data.url, requests: last + 1 };
}

interface ApiAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

function toApiAnnotation(a: CheckRunAnnotation): ApiAnnotation {
  return {
    path: a.path,
    start_line: a.startLine,
    end_line: a.endLine ?? a.startLine,
    annotation_level: a.level,
    message: a.message,
    ...(a.title !== undefined ? { title: a.title } : {}),
    ...(a.rawDetails !== undefined ? { raw_details: a.rawDetails } : {}),
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
