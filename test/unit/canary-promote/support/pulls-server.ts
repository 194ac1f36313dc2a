// A loopback stand-in for GitHub's pull request endpoints as documented (docs.github.com/rest/pulls/pulls):
// GET /repos/{owner}/{repo}/pulls?head=owner:branch&state=open, POST (create: title, head, base required; 422 when a
// pull request for head already exists or head does not exist on the remote), PATCH .../pulls/{number}.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PullRecord {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
}

export interface FakePulls {
  url: string;
  pulls: PullRecord[];
  requests: { method: string; path: string; auth?: string }[];
  close(): Promise<void>;
}

/** `remote`: the bare repository whose branches are the pull requests' heads. */
export async function startFakePulls(remote: string): Promise<FakePulls> {
  const pulls: PullRecord[] = [];
  const requests: FakePulls['requests'] = [];
  let url = '';
  const json = (p: PullRecord) => ({
    id: 9000 + p.number,
    number: p.number,
    state: p.state,
    title: p.title,
    body: p.body,
    html_url: `https://github.com/octo-org/ml-repo/pull/${p.number}`,
    url: `${url}/repos/octo-org/ml-repo/pulls/${p.number}`,
    head: { ref: p.head, label: `octo-org:${p.head}` },
    base: { ref: p.base, label: `octo-org:${p.base}` },
  });
  const branchExists = (b: string) => {
    try {
      execFileSync('git', ['--git-dir', remote, 'rev-parse', '--verify', '--quiet', `refs/heads/${b}`]);
      return true;
    } catch {
      return false;
    }
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    const target = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method!, path: target.pathname, auth: req.headers.authorization });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (!/^(token|bearer) \S+$/i.test(req.headers.authorization ?? '')) return send(401, { message: 'Requires authentication' });
    const list = target.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/pulls$/);
    const one = target.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/);
    if (list && req.method === 'GET') {
      const head = target.searchParams.get('head');
      const state = target.searchParams.get('state') ?? 'open';
      return send(200, pulls.filter((p) => (state === 'all' || p.state === state) && (!head || `${list[1]}:${p.head}` === head)).map(json));
    }
    if (list && req.method === 'POST') {
      for (const f of ['title', 'head', 'base'])
        if (typeof body[f] !== 'string') return send(422, { message: 'Validation Failed', errors: [{ field: f, code: 'missing_field' }] });
      if (!branchExists(body.head)) return send(422, { message: 'Validation Failed', errors: [{ field: 'head', code: 'invalid' }] });
      if (pulls.some((p) => p.state === 'open' && p.head === body.head))
        return send(422, { message: `A pull request already exists for octo-org:${body.head}.` });
      const p: PullRecord = {
        number: pulls.length + 1,
        title: body.title,
        body: body.body ?? '',
        head: body.head,
        base: body.base,
        state: 'open',
      };
      pulls.push(p);
      return send(201, json(p));
    }
    if (one && req.method === 'PATCH') {
      const p = pulls.find((x) => x.number === Number(one[3]));
      if (!p) return send(404, { message: 'Not Found' });
      if (typeof body.title === 'string') p.title = body.title;
      if (typeof body.body === 'string') p.body = body.body;
      return send(200, json(p));
    }
    send(404, { message: 'Not Found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, pulls, requests, close: () => new Promise((r) => server.close(() => r())) };
}
