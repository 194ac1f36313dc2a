// A loopback MLflow tracking server for the endpoints canary-promote calls, following MLflow's REST API
// documentation (mlflow.org/docs/latest/rest-api.html): runs/get, metrics/get-history (paged), model-versions/get,
// registered-models/alias (GET, POST, DELETE), model-versions/set-tag. Requests missing a required field get
// INVALID_PARAMETER_VALUE (400); unknown runs, models, versions and aliases RESOURCE_DOES_NOT_EXIST (404).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMlflow {
  url: string;
  runs: Map<string, { metrics: Record<string, number[]> }>;
  models: Map<string, { versions: Map<string, { tags: Record<string, string> }>; aliases: Map<string, string> }>;
  requests: { method: string; path: string; body: unknown }[];
  /** The next request to `path` (e.g. 'registered-models/alias') with `method` fails with HTTP 500 once. */
  failNext(method: string, path: string): void;
  close(): Promise<void>;
}

export async function startFakeMlflow(): Promise<FakeMlflow> {
  const runs: FakeMlflow['runs'] = new Map();
  const models: FakeMlflow['models'] = new Map();
  const requests: FakeMlflow['requests'] = [];
  const failures: string[] = [];
  const server = createServer((req, res) => {
    handle(req, res).catch((e) => send(res, 500, { error_code: 'INTERNAL_ERROR', message: String(e) }));
  });
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const missing = (res: ServerResponse, message: string) => send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message });
  const invalid = (res: ServerResponse, message: string) => send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body: Record<string, unknown> = text ? JSON.parse(text) : {};
    const params: Record<string, unknown> = { ...Object.fromEntries(url.searchParams), ...body };
    const path = url.pathname.replace(/^\/api\/2\.0\/mlflow\//, '');
    requests.push({ method: req.method!, path, body: params });
    const fi = failures.indexOf(`${req.method} ${path}`);
    if (fi >= 0) {
      failures.splice(fi, 1);
      return send(res, 500, { error_code: 'INTERNAL_ERROR', message: 'injected failure' });
    }
    const need = (...names: string[]) => {
      for (const n of names) if (typeof params[n] !== 'string' || params[n] === '') return `Missing value for required parameter '${n}'.`;
      return undefined;
    };
    const model = (name: string) => models.get(name);
    switch (`${req.method} ${path}`) {
      case 'GET runs/get': {
        const problem = need('run_id');
        if (problem) return invalid(res, problem);
        const run = runs.get(params.run_id as string);
        if (!run) return missing(res, `Run '${params.run_id}' not found`);
        const metrics = Object.entries(run.metrics).map(([key, values]) => ({
          key,
          value: values[values.length - 1],
          timestamp: 1700000000000,
          step: values.length - 1,
        }));
        return send(res, 200, { run: { info: { run_id: params.run_id, status: 'FINISHED' }, data: { metrics } } });
      }
      case 'GET metrics/get-history': {
        const problem = need('run_id', 'metric_key');
        if (problem) return invalid(res, problem);
        const run = runs.get(params.run_id as string);
        if (!run) return missing(res, `Run '${params.run_id}' not found`);
        const values = run.metrics[params.metric_key as string] ?? [];
        const max = Math.min(Number(params.max_results ?? 25000), 25000);
        const start = Number(params.page_token ?? 0);
        const page = values
          .slice(start, start + max)
          .map((value, i) => ({ key: params.metric_key, value, timestamp: 1700000000000 + start + i, step: start + i }));
        return send(res, 200, { metrics: page, ...(start + max < values.length ? { next_page_token: String(start + max) } : {}) });
      }
      case 'GET model-versions/get': {
        const problem = need('name', 'version');
        if (problem) return invalid(res, problem);
        const m = model(params.name as string);
        const v = m?.versions.get(params.version as string);
        if (!m || !v) return missing(res, `Model Version (name=${params.name}, version=${params.version}) not found`);
        return send(res, 200, {
          model_version: {
            name: params.name,
            version: params.version,
            tags: Object.entries(v.tags).map(([key, value]) => ({ key, value })),
            aliases: [...m.aliases].filter(([, ver]) => ver === params.version).map(([a]) => a),
          },
        });
      }
      case 'GET registered-models/alias': {
        const problem = need('name', 'alias');
        if (problem) return invalid(res, problem);
        const m = model(params.name as string);
        if (!m) return missing(res, `Registered Model with name=${params.name} not found`);
        const version = m.aliases.get(params.alias as string);
        if (!version) return missing(res, `Registered model alias ${params.alias} not found.`);
        return send(res, 200, { model_version: { name: params.name, version, aliases: [params.alias] } });
      }
      case 'POST registered-models/alias': {
        const problem = need('name', 'alias', 'version');
        if (problem) return invalid(res, problem);
        const m = model(params.name as string);
        if (!m || !m.versions.has(params.version as string))
          return missing(res, `Model Version (name=${params.name}, version=${params.version}) not found`);
        m.aliases.set(params.alias as string, params.version as string);
        return send(res, 200, {});
      }
      case 'DELETE registered-models/alias': {
        const problem = need('name', 'alias');
        if (problem) return invalid(res, problem);
        const m = model(params.name as string);
        if (!m) return missing(res, `Registered Model with name=${params.name} not found`);
        m.aliases.delete(params.alias as string);
        return send(res, 200, {});
      }
      case 'POST model-versions/set-tag': {
        const problem = need('name', 'version', 'key', 'value');
        if (problem) return invalid(res, problem);
        const v = model(params.name as string)?.versions.get(params.version as string);
        if (!v) return missing(res, `Model Version (name=${params.name}, version=${params.version}) not found`);
        v.tags[params.key as string] = params.value as string;
        return send(res, 200, {});
      }
      default:
        return send(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No endpoint ${req.method} ${url.pathname}` });
    }
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    runs,
    models,
    requests,
    failNext: (method, path) => failures.push(`${method} ${path}`),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A registered model with versions and an alias, as a test starts from. */
export function registerModel(mlflow: FakeMlflow, name: string, versions: string[], aliases: Record<string, string> = {}): void {
  mlflow.models.set(name, { versions: new Map(versions.map((v) => [v, { tags: {} }])), aliases: new Map(Object.entries(aliases)) });
}
