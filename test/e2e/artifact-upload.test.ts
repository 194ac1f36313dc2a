// drift-check's report as a workflow artifact: the built action, with the real @actions/artifact client inside it,
// uploads to a loopback fake of GitHub's results service and blob store, and the job summary links the artifact.
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startArtifactService, type ArtifactServiceOptions } from '../support/artifact-service.js';
import { REPO_ROOT, runBuiltAction } from '../support/run-built-action.js';

// The example data is copied into the job's workspace: actions read only inside the workspace and RUNNER_TEMP.
const work = mkdtempSync(join(tmpdir(), 'drift-e2e-'));
cpSync(join(REPO_ROOT, 'examples', 'drift-check', 'data'), join(work, 'data'), { recursive: true });
const data = (name: string) => join(work, 'data', name);
const RUN_ID = '9876543210';

async function driftCheckUploading(reportDir: string, serviceOptions: ArtifactServiceOptions = {}) {
  const service = await startArtifactService(serviceOptions);
  try {
    const result = await runBuiltAction({
      action: 'drift-check',
      inputs: { reference: data('reference.csv'), current: data('current.csv'), 'report-dir': join(work, reportDir) },
      cwd: work,
      env: {
        ACTIONS_RUNTIME_TOKEN: service.runtimeToken,
        // The runner's value ends with a slash; the client keeps only the origin.
        ACTIONS_RESULTS_URL: `${service.url}/`,
        GITHUB_RUN_ID: RUN_ID,
      },
    });
    return { result, service };
  } finally {
    await service.close();
  }
}

const warnings = (result: { annotations: { level: string; message: string }[] }) =>
  result.annotations.filter((a) => a.level === 'warning').map((a) => a.message);

describe('drift-check uploads its report as a workflow artifact', () => {
  test('one zip artifact named drift-report holds the JSON and HTML reports, linked from the job summary', async () => {
    const { result, service } = await driftCheckUploading('uploaded');
    expect(result.exitCode).toBe(0);
    expect(service.artifacts).toHaveLength(1);
    const [artifact] = service.artifacts;
    expect(artifact.name).toBe('drift-report');
    expect(artifact.mimeType).toBe('application/zip');
    expect(artifact.blobContentType).toBe('application/zip');
    expect(Object.keys(artifact.files).sort()).toEqual(['drift-report.html', 'drift-report.json']);

    // The uploaded files are byte for byte the ones written to report-dir (paths relative to it, as the root).
    const onDisk = (name: string) => readFileSync(join(work, 'uploaded', name));
    expect(artifact.files['drift-report.json'].equals(onDisk('drift-report.json'))).toBe(true);
    expect(artifact.files['drift-report.html'].equals(onDisk('drift-report.html'))).toBe(true);
    const report = JSON.parse(artifact.files['drift-report.json'].toString('utf8')) as { schema_version: string; columns: unknown[] };
    expect(report.schema_version).toBe('1.0');
    expect(report.columns.length).toBeGreaterThan(0);
    expect(artifact.files['drift-report.html'].toString('utf8')).toMatch(/^<!doctype html>/i);

    // The client went create -> blob -> finalize, with the ids from the token and the zip's true size and digest.
    const operations = service.requests.map((r) => r.operation);
    expect(operations[0]).toBe('CreateArtifact');
    expect(operations.at(-1)).toBe('FinalizeArtifact');
    expect(operations).toContain('PutBlockList');
    expect(service.requests.every((r) => r.status >= 200 && r.status < 300)).toBe(true);
    expect(service.requests[0].body).toMatchObject({
      workflow_run_backend_id: service.workflowRunBackendId,
      workflow_job_run_backend_id: service.workflowJobRunBackendId,
      name: 'drift-report',
      version: 7,
    });

    expect(result.summary).toContain(`https://github.com/octo-org/ml-repo/actions/runs/${RUN_ID}/artifacts/${artifact.id}`);
    expect(warnings(result)).toEqual([]);
    // The upload URL's signature is a secret: it is registered with ::add-mask:: before any line that shows it
    // (the client debug-logs the response body), so the runner masks it from the log.
    const uploadUrl = (service.requests[0].response as { signed_upload_url: string }).signed_upload_url;
    const sig = new URL(uploadUrl).searchParams.get('sig')!;
    const lines = result.stdout.split('\n');
    const masked = lines.indexOf(`::add-mask::${sig}`);
    expect(masked).toBeGreaterThanOrEqual(0);
    expect(lines.findIndex((line) => line.includes(sig))).toBe(masked);
    expect(result.stderr).not.toContain(sig);
  });

  test('a results service that refuses the upload leaves the step green, with a warning and a link to the run', async () => {
    // 403 is not retried by the client (a 500 is, 5 times with 3 s+ backoff: too slow for a test).
    const { result, service } = await driftCheckUploading('refused', { fault: { operation: 'CreateArtifact', status: 403 } });
    expect(result.exitCode).toBe(0);
    expect(service.artifacts).toEqual([]);
    expect(service.requests.map((r) => [r.operation, r.status])).toEqual([['CreateArtifact', 403]]);
    expect(warnings(result)).toEqual([expect.stringMatching(/^Could not upload the drift-report artifact: .*CreateArtifact/)]);
    expect(result.summary).toContain(`https://github.com/octo-org/ml-repo/actions/runs/${RUN_ID}`);
    expect(result.summary).not.toContain('/artifacts/');
    // The reports are still on disk for a later step to use.
    expect(JSON.parse(readFileSync(join(work, 'refused', 'drift-report.json'), 'utf8')).schema_version).toBe('1.0');
  });

  test('a blob store that rejects the upload leaves the step green with a warning', async () => {
    const { result, service } = await driftCheckUploading('blob-refused', { fault: { operation: 'blob', status: 403 } });
    expect(result.exitCode).toBe(0);
    expect(service.artifacts).toEqual([]);
    expect(service.requests.some((r) => r.operation === 'FinalizeArtifact')).toBe(false);
    expect(warnings(result)).toEqual([expect.stringMatching(/^Could not upload the drift-report artifact/)]);
    expect(result.summary).not.toContain('/artifacts/');
  });

  test('one transient 500 from CreateArtifact is retried and the artifact still arrives', async () => {
    const { result, service } = await driftCheckUploading('retried', { fault: { operation: 'CreateArtifact', status: 500, times: 1 } });
    expect(result.exitCode).toBe(0);
    expect(service.requests.filter((r) => r.operation === 'CreateArtifact').map((r) => r.status)).toEqual([500, 200]);
    expect(service.artifacts.map((a) => a.name)).toEqual(['drift-report']);
    expect(result.summary).toContain(`/actions/runs/${RUN_ID}/artifacts/${service.artifacts[0].id}`);
    expect(warnings(result)).toEqual([]);
  });
});
