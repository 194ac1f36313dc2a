// Which Python files a command runs: the scripts it names (`python train.py`, `python -m pkg.train`) and the local
// modules they import, followed transitively. The scan looks at these rather than every .py file in the folder, so
// one script's seed does not excuse another's missing one.
import { pythonStatements } from './python-source.js';

/** Paths of .py files and `-m module` names in a shell command, relative to where it runs. */
export function entryScripts(command: string): string[] {
  const scripts = new Set<string>();
  for (const m of command.matchAll(/(?:^|[\s'"=])((?:\.{0,2}\/)?[\w.\-/]+\.py)(?=$|[\s'";|&)])/g)) scripts.add(m[1].replace(/^\.\//, ''));
  for (const m of command.matchAll(/\bpython[\d.]*\s+(?:-\w+\s+)*-m\s+([\w.]+)/g)) {
    const mod = m[1].replace(/\./g, '/');
    scripts.add(`${mod}.py`);
    scripts.add(`${mod}/__main__.py`);
  }
  return [...scripts];
}

/** Candidate files (relative to the importing file's folder and to the root) for each local import. */
export function importedModules(text: string): { absolute: string[]; relative: string[] } {
  const absolute: string[] = [];
  const relative: string[] = [];
  const candidates = (name: string) => [`${name.replace(/\./g, '/')}.py`, `${name.replace(/\./g, '/')}/__init__.py`];
  for (const { code } of pythonStatements(text)) {
    const imp = /^import\s+(.+)$/.exec(code);
    if (imp) for (const part of imp[1].split(',')) absolute.push(...candidates(part.trim().split(/\s+/)[0]));
    const from = /^from\s+(\.*)([\w.]*)\s+import\s+\(?([^)]*)\)?$/.exec(code);
    if (from) {
      const [, dots, mod, names] = from;
      const list = dots ? relative : absolute;
      const prefix = dots.length > 1 ? '../'.repeat(dots.length - 1) : '';
      if (mod) list.push(...candidates(mod).map((c) => prefix + c));
      // `from pkg import module` may name a submodule.
      for (const name of names
        .split(',')
        .map((n) => n.trim().split(/\s+/)[0])
        .filter(Boolean))
        list.push(...candidates(mod ? `${mod}.${name}` : name).map((c) => prefix + c));
    }
  }
  return { absolute, relative };
}
