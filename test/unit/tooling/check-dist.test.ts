import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// scripts/*.mjs are plain JavaScript; a computed specifier keeps TypeScript from asking for their declarations.
const checkDistPath = join(process.cwd(), 'scripts', 'check-dist.mjs');

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'check-dist-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>) {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(base, name, file, '..'), { recursive: true });
    writeFileSync(join(base, name, file), text);
  }
  return join(base, name);
}

describe('comparing a committed dist/ with a fresh build', () => {
  it('names the files that differ, are missing from the commit, or are no longer built', async () => {
    const { compareFolders } = await import(checkDistPath);
    const committed = tree('committed', { 'index.js': 'old', 'licenses.txt': 'MIT', '495.index.js': 'chunk' });
    const fresh = tree('fresh', { 'index.js': 'new', 'licenses.txt': 'MIT', 'sub/621.index.js': 'chunk' });
    expect(compareFolders(committed, fresh)).toEqual({
      differing: ['index.js'],
      missing: [join('sub', '621.index.js')],
      extra: ['495.index.js'],
    });
  });

  it('finds nothing when the two are byte for byte the same', async () => {
    const { compareFolders } = await import(checkDistPath);
    const files = { 'index.js': 'export {}\n', 'package.json': '{"type":"module"}' };
    expect(compareFolders(tree('a', files), tree('b', files))).toEqual({ differing: [], missing: [], extra: [] });
  });
});
