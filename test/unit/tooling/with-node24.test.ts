import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('running the e2e tests on Node 24', () => {
  it('gives the command E2E_NODE, a Node 24 binary, and says which version ran', () => {
    const probe =
      'const { execFileSync } = require("node:child_process"); console.log("probe " + execFileSync(process.env.E2E_NODE, ["--version"]).toString().trim())';
    const result = spawnSync(process.execPath, [join('scripts', 'with-node24.mjs'), process.execPath, '-e', probe], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^probe v24\.\d+\.\d+$/m);
    expect(result.stdout).toMatch(/with-node24: the actions ran on Node v24\./);
  }, 180_000);

  it("passes on the command's exit code", () => {
    const result = spawnSync(process.execPath, [join('scripts', 'with-node24.mjs'), process.execPath, '-e', 'process.exit(3)'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(3);
  }, 180_000);
});
