// A small client for MLflow's REST API (mlflow.org/docs/latest/rest-api.html): run metrics for offline evaluation,
// registered-model aliases and version tags for promotion. Errors become messages naming the call and MLflow's
// error_code (RESOURCE_DOES_NOT_EXIST for an unknown run, model or version).
import { UserError } from '#shared/errors.js';
import { networkCause } from '../metrics/network-cause.js';

export interface MlflowMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface ModelVersion {
  name: string;
  version: string;
  run_id?: string;
  tags?: { key: string; value: string }[];
  aliases?: string[];
}

export class MlflowError extends UserError {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    /** MLflow's own message. */
    readonly detail: string,
  ) {
    super(message);
  }
}

export class MlflowClient {
  constructor(
    private readonly baseUrl: URL,
    private readonly token?: string,
  ) {}

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, params: Record<string, string>, what: string): Promise<T> {
    const url = new URL(`api/2.0/mlflow/${path}`, this.baseUrl.href.endsWith('/') ? this.baseUrl : new URL(`${this.baseUrl.href}/`));
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (method === 'GET') for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(params);
    }
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      const cause = networkCause(error);
      throw new UserError(
        `MLflow at ${this.baseUrl.origin} is unreachable (${cause}) while trying to ${what}; check 'mlflow-tracking-uri'.`,
      );
    }
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      // fall through: reported below with the status
    }
    if (!response.ok) {
      const code = String(json.error_code ?? `HTTP_${response.status}`);
      const detail = String(json.message ?? '');
      throw new MlflowError(`MLflow could not ${what}: ${code}${detail ? `: ${detail}` : ''}`, code, response.status, detail);
    }
    return json as T;
  }

  async runMetrics(runId: string): Promise<MlflowMetric[]> {
    const r = await this.call<{ run: { data?: { metrics?: MlflowMetric[] } } }>(
      'GET',
      'runs/get',
      { run_id: runId },
      `read run '${runId}'`,
    );
    return r.run.data?.metrics ?? [];
  }

  async metricHistory(runId: string, key: string): Promise<MlflowMetric[]> {
    const out: MlflowMetric[] = [];
    let pageToken: string | undefined;
    do {
      const params: Record<string, string> = { run_id: runId, metric_key: key, max_results: '25000' };
      if (pageToken) params.page_token = pageToken;
      const r = await this.call<{ metrics?: MlflowMetric[]; next_page_token?: string }>(
        'GET',
        'metrics/get-history',
        params,
        `read the history of metric '${key}' of run '${runId}'`,
      );
      out.push(...(r.metrics ?? []));
      pageToken = r.next_page_token || undefined;
    } while (pageToken);
    return out;
  }

  async modelVersion(name: string, version: string): Promise<ModelVersion> {
    const r = await this.call<{ model_version: ModelVersion }>(
      'GET',
      'model-versions/get',
      { name, version },
      `find version '${version}' of registered model '${name}'`,
    );
    return r.model_version;
  }

  /** The version an alias points to, or undefined when the alias is not set. */
  async aliasVersion(name: string, alias: string): Promise<string | undefined> {
    try {
      const r = await this.call<{ model_version: ModelVersion }>(
        'GET',
        'registered-models/alias',
        { name, alias },
        `read alias '${alias}' of '${name}'`,
      );
      return r.model_version.version;
    } catch (error) {
      // an unknown alias of a known model: not set yet (an unknown model stays an error)
      if (error instanceof MlflowError && error.code === 'RESOURCE_DOES_NOT_EXIST' && /alias/i.test(error.detail)) return undefined;
      throw error;
    }
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.call('POST', 'registered-models/alias', { name, alias, version }, `set alias '${alias}' of '${name}' to version ${version}`);
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.call('DELETE', 'registered-models/alias', { name, alias }, `delete alias '${alias}' of '${name}'`);
  }

  async setVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'model-versions/set-tag', { name, version, key, value }, `tag version ${version} of '${name}'`);
  }
}
