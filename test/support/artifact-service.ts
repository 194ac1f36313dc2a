// A loopback fake of the GitHub Actions artifact backend that @actions/artifact v6 talks to: the results service's
// Twirp JSON API (CreateArtifact / FinalizeArtifact) and the Azure blob store its signed upload URL points at.
// Strict on purpose: a request the real service would refuse (bad token scope, wrong run ids, unknown upload) fails.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/';
/** Azurite's account name: with an IP host the storage SDK reads the account from the first path segment. */
const BLOB_PREFIX = '/devstoreaccount1/actions-results/';
/** The artifact version @actions/artifact v6 sends in CreateArtifact (v4 of upload-artifact and later). */
const ARTIFACT_VERSION = 7;

export interface UploadedArtifact {
  id: number;
  name: string;
  /** Bytes of the zip as stored, which must equal the size FinalizeArtifact reported. */
  size: number;
  /** `sha256:<hex>` that FinalizeArtifact reported (checked against the stored bytes). */
  hash: string;
  mimeType: string | undefined;
  /** x-ms-blob-content-type the blob was committed with. */
  blobContentType: string | undefined;
  zip: Buffer;
  /** The zip's entries by path inside the archive (directories left out). */
  files: Record<string, Buffer>;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query (the upload URL's signature is never recorded). */
  path: string;
  /** 'CreateArtifact', 'FinalizeArtifact', 'PutBlock', 'PutBlockList', 'PutBlob' or 'other'. */
  operation: string;
  status: number;
  /** The Twirp request body, parsed. */
  body?: unknown;
  /** The Twirp response body (CreateArtifact's holds the signed upload URL). */
  response?: unknown;
}

/** Makes one endpoint answer with an error status for its first `times` calls (default: every call). */
export interface ArtifactServiceFault {
  operation: 'CreateArtifact' | 'FinalizeArtifact' | 'blob';
  status: number;
  times?: number;
}

export interface ArtifactServiceOptions {
  /** Backend ids carried in the token's Actions.Results scope; default fresh UUIDs. */
  workflowRunBackendId?: string;
  workflowJobRunBackendId?: string;
  fault?: ArtifactServiceFault;
}

export interface ArtifactService {
  /** Origin of the results service, e.g. `http://127.0.0.1:41234` (the client keeps only the origin). */
  url: string;
  /** ACTIONS_RUNTIME_TOKEN: a signed JWT whose `scp` grants Actions.Results on this run and job. */
  runtimeToken: string;
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
  /** Finalized artifacts, in order. */
  artifacts: UploadedArtifact[];
  requests: RecordedRequest[];
  close(): Promise<void>;
}

interface PendingArtifact {
  id: number;
  name: string;
  mimeType: string | undefined;
  blobPath: string;
  sig: string;
  blocks: Map<string, Buffer>;
  blob?: Buffer;
  blobContentType?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly twirpCode = 'invalid_argument',
  ) {
    super(message);
  }
}

export async function startArtifactService(options: ArtifactServiceOptions = {}): Promise<ArtifactService> {
  const workflowRunBackendId = options.workflowRunBackendId ?? randomUUID();
  const workflowJobRunBackendId = options.workflowJobRunBackendId ?? randomUUID();
  const signingKey = randomBytes(32);
  const runtimeToken = signJwt(
    {
      // The runner's token carries several scopes; the client must pick the Actions.Results one.
      scp: `Actions.ExampleScope Actions.Results:${workflowRunBackendId}:${workflowJobRunBackendId}`,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 3600,
    },
    signingKey,
  );
  const artifacts: UploadedArtifact[] = [];
  const requests: RecordedRequest[] = [];
  const pending = new Map<string, PendingArtifact>();
  let nextId = 4_200_000_001;
  let faultsLeft = options.fault ? (options.fault.times ?? Number.POSITIVE_INFINITY) : 0;

  const injectFault = (operation: ArtifactServiceFault['operation']): void => {
    if (options.fault?.operation !== operation || faultsLeft <= 0) return;
    faultsLeft--;
    throw new HttpError(options.fault.status, `injected failure of ${operation}`, 'internal');
  };

  function checkIds(body: Record<string, unknown>): void {
    if (body.workflow_run_backend_id !== workflowRunBackendId || body.workflow_job_run_backend_id !== workflowJobRunBackendId) {
      throw new HttpError(400, 'workflow_run_backend_id / workflow_job_run_backend_id do not match the token');
    }
  }

  function createArtifact(body: Record<string, unknown>): object {
    injectFault('CreateArtifact');
    checkIds(body);
    expectKeys(body, ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name', 'version', 'mime_type', 'expires_at']);
    if (typeof body.name !== 'string' || body.name === '') throw new HttpError(400, 'name is required');
    if (body.version !== ARTIFACT_VERSION) throw new HttpError(400, `version must be ${ARTIFACT_VERSION}, got ${String(body.version)}`);
    if (body.mime_type !== undefined && typeof body.mime_type !== 'string') throw new HttpError(400, 'mime_type must be a string');
    if ([...pending.values()].some((a) => a.name === body.name) || artifacts.some((a) => a.name === body.name)) {
      throw new HttpError(409, `an artifact named '${body.name}' already exists in this run`, 'already_exists');
    }
    const id = nextId++;
    const sig = randomBytes(16).toString('base64url');
    const blobPath = `${BLOB_PREFIX}${workflowRunBackendId}/${workflowJobRunBackendId}/${encodeURIComponent(body.name)}-${id}.zip`;
    pending.set(blobPath, { id, name: body.name, mimeType: body.mime_type as string | undefined, blobPath, sig, blocks: new Map() });
    return { ok: true, signed_upload_url: `${service.url}${blobPath}?sv=2023-11-03&sr=b&sp=cw&sig=${sig}` };
  }

  function finalizeArtifact(body: Record<string, unknown>): object {
    injectFault('FinalizeArtifact');
    checkIds(body);
    expectKeys(body, ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name', 'size', 'hash']);
    const entry = [...pending.values()].find((a) => a.name === body.name);
    if (!entry) throw new HttpError(404, `no artifact named '${String(body.name)}' was created`, 'not_found');
    if (!entry.blob) throw new HttpError(400, `artifact '${entry.name}' has no committed blob`, 'failed_precondition');
    // int64 travels as a decimal string in protobuf JSON.
    if (body.size !== String(entry.blob.length)) {
      throw new HttpError(400, `size ${String(body.size)} does not match the ${entry.blob.length} bytes uploaded`);
    }
    const hash = `sha256:${createHash('sha256').update(entry.blob).digest('hex')}`;
    if (body.hash !== hash) throw new HttpError(400, `hash ${String(body.hash)} does not match the uploaded blob (${hash})`);
    pending.delete(entry.blobPath);
    artifacts.push({
      id: entry.id,
      name: entry.name,
      size: entry.blob.length,
      hash,
      mimeType: entry.mimeType,
      blobContentType: entry.blobContentType,
      zip: entry.blob,
      files: readZip(entry.blob),
    });
    return { ok: true, artifact_id: String(entry.id) };
  }

  /** Put Block, Put Block List and Put Blob: what BlockBlobClient.uploadStream / upload send. */
  function blob(req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse): string {
    const entry = pending.get(url.pathname);
    if (!entry || url.searchParams.get('sig') !== entry.sig) {
      throw new HttpError(403, 'AuthenticationFailed: unknown blob or bad signature');
    }
    if (req.method !== 'PUT') throw new HttpError(405, `${req.method} is not supported on a blob`);
    if (!req.headers['x-ms-version']) throw new HttpError(400, 'MissingRequiredHeader: x-ms-version');
    injectFault('blob');
    const comp = url.searchParams.get('comp');
    const headers: Record<string, string> = {
      etag: `"0x${randomBytes(8).toString('hex').toUpperCase()}"`,
      'last-modified': new Date().toUTCString(),
      'x-ms-request-id': randomUUID(),
      'x-ms-version': String(req.headers['x-ms-version']),
      'x-ms-request-server-encrypted': 'true',
      date: new Date().toUTCString(),
    };
    const md5 = createHash('md5').update(body).digest('base64');
    if (comp === 'block') {
      const blockId = url.searchParams.get('blockid');
      if (!blockId) throw new HttpError(400, 'InvalidQueryParameterValue: blockid');
      entry.blocks.set(blockId, body);
      res.writeHead(201, { ...headers, 'content-md5': md5, 'content-length': '0' }).end();
      return 'PutBlock';
    }
    if (comp === 'blocklist') {
      const ids = [...body.toString('utf8').matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map((m) => m[2]);
      const parts = ids.map((id) => {
        const part = entry.blocks.get(id);
        if (!part) throw new HttpError(400, `InvalidBlockList: block ${id} was never staged`);
        return part;
      });
      entry.blob = Buffer.concat(parts);
      entry.blobContentType = header(req, 'x-ms-blob-content-type');
      res.writeHead(201, { ...headers, 'content-length': '0' }).end();
      return 'PutBlockList';
    }
    if (comp === null) {
      if (header(req, 'x-ms-blob-type') !== 'BlockBlob') throw new HttpError(400, 'x-ms-blob-type must be BlockBlob');
      entry.blob = body;
      entry.blobContentType = header(req, 'x-ms-blob-content-type');
      res.writeHead(201, { ...headers, 'content-md5': md5, 'content-length': '0' }).end();
      return 'PutBlob';
    }
    throw new HttpError(400, `comp=${comp} is not supported`);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks);
      const record: RecordedRequest = { method: req.method ?? '', path: url.pathname, operation: 'other', status: 0 };
      requests.push(record);
      try {
        if (url.pathname.startsWith(TWIRP_PREFIX)) {
          record.operation = url.pathname.slice(TWIRP_PREFIX.length);
          checkBearer(req, runtimeToken, signingKey, workflowRunBackendId, workflowJobRunBackendId);
          if (req.method !== 'POST') throw new HttpError(405, 'Twirp needs POST', 'bad_route');
          if (!/^application\/json\b/.test(header(req, 'content-type') ?? ''))
            throw new HttpError(415, 'expected application/json', 'bad_route');
          const parsed = parseJsonObject(body);
          record.body = parsed;
          const handler = { CreateArtifact: createArtifact, FinalizeArtifact: finalizeArtifact }[record.operation];
          if (!handler) throw new HttpError(404, `no method ${record.operation}`, 'bad_route');
          record.response = handler(parsed);
          record.status = 200;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(record.response));
        } else if (url.pathname.startsWith(BLOB_PREFIX)) {
          // Named before the call so a refused request is still recorded by what it attempted.
          const comp = url.searchParams.get('comp');
          record.operation = comp === 'block' ? 'PutBlock' : comp === 'blocklist' ? 'PutBlockList' : 'PutBlob';
          blob(req, url, body, res);
          record.status = 201;
        } else {
          throw new HttpError(404, `nothing at ${url.pathname}`, 'bad_route');
        }
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500;
        const code = error instanceof HttpError ? error.twirpCode : 'internal';
        record.status = status;
        if (url.pathname.startsWith(BLOB_PREFIX)) {
          const [errorCode] = (error as Error).message.split(':');
          res
            .writeHead(status, { 'content-type': 'application/xml', 'x-ms-request-id': randomUUID(), 'x-ms-error-code': errorCode })
            .end(
              `<?xml version="1.0" encoding="utf-8"?><Error><Code>${errorCode}</Code><Message>${(error as Error).message}</Message></Error>`,
            );
        } else {
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ code, msg: (error as Error).message }));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const service: ArtifactService = {
    url: `http://127.0.0.1:${port}`,
    runtimeToken,
    workflowRunBackendId,
    workflowJobRunBackendId,
    artifacts,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return service;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJsonObject(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not JSON', 'malformed');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new HttpError(400, 'body is not an object', 'malformed');
  return parsed as Record<string, unknown>;
}

function expectKeys(body: Record<string, unknown>, allowed: string[]): void {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new HttpError(400, `unexpected field(s) ${unknown.join(', ')}`);
}

function signJwt(payload: object, key: Buffer): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

/** The service accepts only the token it issued, signed by it, with the Actions.Results scope for this job. */
function checkBearer(req: IncomingMessage, token: string, key: Buffer, runId: string, jobId: string): void {
  const match = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '');
  if (!match) throw new HttpError(401, 'missing bearer token', 'unauthenticated');
  const [head, payload, signature] = match[1].split('.');
  if (!signature || createHmac('sha256', key).update(`${head}.${payload}`).digest('base64url') !== signature || match[1] !== token) {
    throw new HttpError(401, 'token signature is invalid', 'unauthenticated');
  }
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scp?: string; exp?: number };
  if (!claims.scp?.split(' ').includes(`Actions.Results:${runId}:${jobId}`)) {
    throw new HttpError(403, 'token lacks the Actions.Results scope for this job', 'permission_denied');
  }
  if (!claims.exp || claims.exp * 1000 < Date.now()) throw new HttpError(401, 'token expired', 'unauthenticated');
}

/**
 * Reads a zip through its central directory (archiver streams entries with data descriptors, so the local headers
 * carry no sizes). Hand-written because it is ~30 lines over node:zlib and spares a dependency for tests only.
 */
export function readZip(zip: Buffer): Record<string, Buffer> {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip: no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const files: Record<string, Buffer> = {};
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`zip: bad central directory entry at ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;
    if (zip.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`zip: bad local header for ${name}`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    if (name.endsWith('/')) continue;
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : undefined;
    if (!data) throw new Error(`zip: ${name} uses unsupported method ${method}`);
    if (data.length !== size) throw new Error(`zip: ${name} inflated to ${data.length} bytes, expected ${size}`);
    if (crc32(data) !== crc) throw new Error(`zip: ${name} fails its CRC-32 check`);
    files[name] = data;
  }
  return files;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
