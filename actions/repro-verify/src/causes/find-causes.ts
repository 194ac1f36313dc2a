// The static cause finder: rules over the statements of the Python sources a command runs (python-source.ts),
// each finding placed at file:line, then ranked by how likely it explains what the runs showed. Seeds count
// wherever they are set in the scanned files (a helper module's seed_everything() covers the training script).
import { callArguments, pythonStatements, type Statement } from './python-source.js';
import type { Finding, FindingRule } from './finding.js';

export interface SourceFile {
  /** As shown to people and in annotations. */
  path: string;
  text: string;
}

export interface Observed {
  /** Some output or metric did not reproduce. */
  differs: boolean;
  /** An output path was written in some runs and not in others (names that change between runs). */
  pathsChanged: boolean;
  /** A GPU was seen (nvidia-smi) on this machine. */
  gpu: boolean;
  env: Record<string, string | undefined>;
}

type Library = 'random' | 'numpy' | 'torch' | 'tensorflow' | 'jax';
const MODULES: Record<string, Library> = { random: 'random', numpy: 'numpy', torch: 'torch', tensorflow: 'tensorflow', jax: 'jax' };

interface Raw {
  rule: FindingRule;
  file: string;
  line: number;
  message: string;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (names: Iterable<string>) => [...names].map(esc).join('|') || '(?!)';

/** Import aliases per library in one file: `import numpy as np` -> numpy: {np}; `from random import shuffle` -> bare names. */
function imports(statements: Statement[]) {
  const aliases: Record<Library, Set<string>> = {
    random: new Set(),
    numpy: new Set(),
    torch: new Set(),
    tensorflow: new Set(),
    jax: new Set(),
  };
  const bare: Record<Library, Set<string>> = {
    random: new Set(),
    numpy: new Set(),
    torch: new Set(),
    tensorflow: new Set(),
    jax: new Set(),
  };
  for (const { code } of statements) {
    let m = /^import\s+(.+)$/.exec(code);
    if (m)
      for (const part of m[1].split(',')) {
        const [, mod, alias] = /^\s*([\w.]+)(?:\s+as\s+(\w+))?\s*$/.exec(part) ?? [];
        const lib = mod && MODULES[mod.split('.')[0]];
        if (lib) aliases[lib].add(alias ?? mod);
      }
    m = /^from\s+([\w.]+)\s+import\s+\(?([^)]*)\)?$/.exec(code);
    if (m) {
      const lib = MODULES[m[1].split('.')[0]];
      if (!lib) continue;
      for (const part of m[2].split(',')) {
        const [, name, alias] = /^\s*(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(part) ?? [];
        if (!name) continue;
        // `from numpy import random as npr` is numpy's random module; `from random import shuffle` a bare function.
        if (m[1] === 'numpy' && name === 'random') aliases.numpy.add(`__np_random__${alias ?? name}`);
        else bare[lib].add(alias ?? name);
      }
    }
  }
  return { aliases, bare };
}

const RANDOM_FUNCS =
  'random|randint|choice|choices|shuffle|sample|uniform|gauss|normalvariate|randrange|getrandbits|triangular|betavariate|expovariate';
const NP_RANDOM_USE =
  'rand|randn|randint|random|random_sample|choice|shuffle|permutation|normal|uniform|binomial|poisson|exponential|beta|gamma|multivariate_normal|standard_normal';
const TORCH_USE = 'rand|randn|randint|randperm|normal|bernoulli|multinomial|rand_like|randn_like|randint_like|dropout';
const CLOCK = /\b(time\.time|time\.time_ns|time_ns|datetime\.now|datetime\.utcnow|datetime\.today|date\.today|os\.getpid|os\.urandom)\s*\(/;
const TIMESTAMP =
  /\b(datetime\.(?:datetime\.)?(?:now|utcnow|today)|\bnow|time\.time|time\.time_ns|time\.strftime|strftime|uuid\.uuid[1345]|uuid[1345]|date\.today|time_ns)\s*\(/;
const WRITE_SINK =
  /\b(open|savefig|to_csv|to_json|to_parquet|to_pickle|dump|save|save_pretrained|save_model|save_weights|makedirs|mkdir|write_text|write_bytes|SummaryWriter|Path|join|copyfile|copy)\s*\(/;

function scanFile(
  file: SourceFile,
  global: { seeded: Set<Library>; deterministic: string | null; torchDeterministic: string | null },
  out: Raw[],
  usage: Map<Library, Raw>,
) {
  const statements = pythonStatements(file.text);
  const { aliases, bare } = imports(statements);
  const np = anyOf([...aliases.numpy].filter((a) => !a.startsWith('__np_random__')));
  const npRandom = anyOf([...aliases.numpy].filter((a) => a.startsWith('__np_random__')).map((a) => a.slice('__np_random__'.length)));
  const torch = anyOf(aliases.torch);
  const tf = anyOf(aliases.tensorflow);
  const jax = anyOf(aliases.jax);
  const rnd = anyOf(aliases.random);
  const setNames = new Set<string>();
  const stampNames = new Set<string>();
  const add = (rule: FindingRule, s: Statement, message: string) => out.push({ rule, file: file.path, line: s.line, message });
  const use = (lib: Library, s: Statement, what: string) => {
    if (!usage.has(lib)) usage.set(lib, { rule: `unseeded-${lib}` as FindingRule, file: file.path, line: s.line, message: what });
  };

  for (const s of statements) {
    const { code, raw } = s;
    // --- seeds, wherever they are
    if (/\b(seed_everything|set_random_seed|set_seed|enable_op_determinism)\s*\(/.test(code) && !/\bdef\s/.test(code)) {
      if (/\bseed_everything\s*\(/.test(code)) ['random', 'numpy', 'torch'].forEach((l) => global.seeded.add(l as Library));
      if (/\bset_random_seed\s*\(/.test(code)) ['random', 'numpy', 'tensorflow'].forEach((l) => global.seeded.add(l as Library));
      if (/\bset_seed\s*\(/.test(code) && !/\brandom\.set_seed/.test(code))
        ['random', 'numpy', 'torch', 'tensorflow'].forEach((l) => global.seeded.add(l as Library));
    }
    if (new RegExp(`\\b(${rnd})\\.seed\\s*\\(`).test(code) || (bare.random.has('seed') && /(^|[^.\w])seed\s*\(/.test(code)))
      global.seeded.add('random');
    if (new RegExp(`\\b(${np})\\.random\\.seed\\s*\\(|\\b(${npRandom})\\.seed\\s*\\(`).test(code)) global.seeded.add('numpy');
    if (new RegExp(`\\b(${torch})\\.(cuda\\.)?manual_seed(_all)?\\s*\\(`).test(code)) global.seeded.add('torch');
    if (new RegExp(`\\b(${tf})\\.random\\.set_seed\\s*\\(|\\bset_random_seed\\s*\\(`).test(code)) global.seeded.add('tensorflow');
    if (new RegExp(`\\b(${jax})\\.random\\.(PRNGKey|key)\\s*\\(`).test(code)) {
      if (CLOCK.test(raw))
        add('clock-seed', s, 'jax.random.PRNGKey is built from the clock or the process id: every run draws different numbers.');
      else global.seeded.add('jax');
    }
    if (/\.seed\s*\(|manual_seed|set_seed|PRNGKey|default_rng\s*\(|RandomState\s*\(/.test(code) && CLOCK.test(raw) && !/PRNGKey/.test(code))
      add('clock-seed', s, 'The seed is taken from the clock or the process id, so every run is seeded differently.');

    // --- uses of randomness
    if (
      new RegExp(`\\b(${rnd})\\.(${RANDOM_FUNCS})\\s*\\(`).test(code) ||
      [...bare.random].some((b) => b !== 'seed' && new RegExp(`(^|[^.\\w])${esc(b)}\\s*\\(`).test(code))
    )
      use('random', s, "Python's random module is used but random.seed() is never called.");
    if (new RegExp(`\\b(${np})\\.random\\.(${NP_RANDOM_USE})\\s*\\(|\\b(${npRandom})\\.(${NP_RANDOM_USE})\\s*\\(`).test(code))
      use('numpy', s, 'numpy.random is used but np.random.seed() (or a seeded np.random.default_rng(seed)) is never set.');
    const rng = new RegExp(`\\b(?:(?:${np})\\.random\\.|(?:${npRandom})\\.|(?<![.\\w]))(default_rng|RandomState)\\s*\\(`).exec(code);
    if (
      rng &&
      (aliases.numpy.size > 0 || bare.numpy.has(rng[1])) &&
      callArguments(code.slice(rng.index), /(default_rng|RandomState)\s*\(/)?.trim() === ''
    )
      add('unseeded-numpy', s, `np.random.${rng[1]}() is created without a seed: it draws from fresh OS entropy every run.`);
    if (
      new RegExp(
        `\\b(${torch})\\.(${TORCH_USE})\\s*\\(|\\b(${torch})\\.nn\\.|\\bnn\\.(Linear|Conv\\dd|Dropout|LSTM|GRU|Embedding)\\s*\\(`,
      ).test(code) &&
      aliases.torch.size
    )
      use('torch', s, 'torch draws random numbers here (initialisation, sampling or dropout) but torch.manual_seed() is never called.');
    if (new RegExp(`\\b(${tf})\\.(random\\.(?!set_seed)\\w+|keras\\.)`).test(code) && aliases.tensorflow.size)
      use(
        'tensorflow',
        s,
        'TensorFlow draws random numbers here but tf.random.set_seed() (or keras.utils.set_random_seed) is never called.',
      );
    if (new RegExp(`\\b(${jax})\\.random\\.(?!PRNGKey|key\\b)\\w+\\s*\\(`).test(code))
      use('jax', s, 'jax.random is used but no jax.random.PRNGKey(seed) is created from a fixed seed.');

    // --- GPU determinism knobs
    if (/\bcudnn\.benchmark\s*=\s*True\b/.test(code))
      add(
        'cudnn-benchmark',
        s,
        'torch.backends.cudnn.benchmark = True lets cuDNN pick the fastest convolution algorithm per run, which may differ between runs and GPUs. Set it to False for reproducible runs.',
      );
    if (/\buse_deterministic_algorithms\s*\(\s*True|\benable_op_determinism\s*\(/.test(code))
      global.deterministic ??= `${file.path}:${s.line}`;
    // cuBLAS needs CUBLAS_WORKSPACE_CONFIG for PyTorch's deterministic mode (TensorFlow's op determinism handles it).
    if (/\buse_deterministic_algorithms\s*\(\s*True/.test(code)) global.torchDeterministic ??= `${file.path}:${s.line}`;

    // --- DataLoader workers without a seeded worker_init_fn / generator
    const loader = callArguments(code, /\bDataLoader\s*\(/);
    if (loader !== undefined) {
      const workers = /\bnum_workers\s*=\s*([^,)\s]+)/.exec(loader);
      const many = workers && !/^0+$/.test(workers[1]);
      if (many && !/\b(worker_init_fn|generator)\s*=/.test(loader))
        add(
          'dataloader-workers',
          s,
          `DataLoader with num_workers=${workers![1]} and no worker_init_fn or generator: each worker's random state (and shuffling order) is not tied to your seed.`,
        );
    }

    // --- iteration over a set
    const assign = /^(\w+)\s*(?::[^=]+)?=\s*(.+)$/.exec(code);
    if (assign) {
      const value = assign[2].trim();
      const setLiteral = /^\{/.test(value) && !/^\{\s*\}/.test(value) && !topLevelColon(value);
      if (/^(set|frozenset)\s*\(/.test(value) || setLiteral) setNames.add(assign[1]);
      else setNames.delete(assign[1]);
      if (TIMESTAMP.test(raw) || [...stampNames].some((n) => new RegExp(`\\b${esc(n)}\\b`).test(raw))) stampNames.add(assign[1]);
    }
    const loop = /^(?:async\s+)?for\s+.+?\s+in\s+(.+?):?\s*$/.exec(code) ?? /\bfor\s+\w+(?:\s*,\s*\w+)*\s+in\s+(\w+)\s*[\])}]/.exec(code);
    if (loop) {
      const target = loop[1].trim().replace(/:$/, '');
      if (/^(set|frozenset)\s*\(/.test(target) || (target.startsWith('{') && !topLevelColon(target)) || setNames.has(target))
        add(
          'set-iteration',
          s,
          `Iterating over a set (${target.slice(0, 40)}): the order of strings in a set changes with PYTHONHASHSEED from run to run. Iterate over sorted(...) instead.`,
        );
    } else {
      const conv = /\b(list|tuple|enumerate)\s*\(\s*(\w+)\s*\)|['"]\s*\.join\s*\(\s*(\w+)\s*\)/.exec(code);
      const name = conv?.[2] ?? conv?.[3];
      if (name && setNames.has(name))
        add('set-iteration', s, `${conv![0].trim()} takes the order of a set: it changes with PYTHONHASHSEED. Use sorted(${name}).`);
    }

    // --- timestamps or uuids in output paths
    if (WRITE_SINK.test(code) && (TIMESTAMP.test(raw) || [...stampNames].some((n) => new RegExp(`\\b${esc(n)}\\b`).test(raw))))
      add(
        'timestamp-in-path',
        s,
        'An output path contains a timestamp or a uuid: each run writes differently named files, so they cannot be compared. Use a fixed name (or pass it in).',
      );
  }
}

function topLevelColon(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ':' && depth === 1) return true;
  }
  return false;
}

const BASE: Record<FindingRule, number> = {
  'timestamp-in-path': 0.5,
  'clock-seed': 0.9,
  'unseeded-random': 0.7,
  'unseeded-numpy': 0.8,
  'unseeded-torch': 0.8,
  'unseeded-tensorflow': 0.8,
  'unseeded-jax': 0.8,
  'cudnn-benchmark': 0.75,
  'no-deterministic-algorithms': 0.65,
  'cublas-workspace': 0.6,
  'dataloader-workers': 0.55,
  'set-iteration': 0.5,
};

function likelihood(rule: FindingRule, observed: Observed): number {
  let p = BASE[rule];
  if (rule === 'timestamp-in-path' && observed.pathsChanged) p = 0.97;
  if ((rule === 'cudnn-benchmark' || rule === 'no-deterministic-algorithms' || rule === 'cublas-workspace') && !observed.gpu) p *= 0.4;
  if (rule === 'set-iteration' && observed.env.PYTHONHASHSEED !== undefined && observed.env.PYTHONHASHSEED !== 'random') p = 0.15;
  // Nothing differed this time: still worth fixing, but unlikely to be what bites today.
  if (!observed.differs && !observed.pathsChanged) p *= 0.3;
  return Math.round(p * 100) / 100;
}

export interface CauseScan {
  findings: Finding[];
  /** file:line of torch.backends.cudnn.benchmark = True, for the manifest's CUDA knobs. */
  cudnnBenchmark: string | null;
  deterministicAlgorithms: string | null;
}

export function findCauses(files: SourceFile[], observed: Observed): CauseScan {
  const raw: Raw[] = [];
  const global = { seeded: new Set<Library>(), deterministic: null as string | null, torchDeterministic: null as string | null };
  const usage = new Map<Library, Raw>();
  const gpuUse: Raw[] = [];
  for (const file of files) {
    scanFile(file, global, raw, usage);
    for (const s of pythonStatements(file.text))
      if (/\.cuda\s*\(|['"]cuda|device\s*=\s*['"]?cuda|['"]\/?(device:)?GPU/i.test(s.raw) && !/is_available\s*\(\s*\)\s*$/.test(s.code))
        gpuUse.push({ rule: 'no-deterministic-algorithms', file: file.path, line: s.line, message: '' });
  }
  for (const [lib, first] of usage) if (!global.seeded.has(lib)) raw.push(first);
  if (gpuUse.length && !global.deterministic)
    raw.push({
      ...gpuUse[0],
      message:
        'GPU training without torch.use_deterministic_algorithms(True) (PyTorch) or tf.config.experimental.enable_op_determinism() (TensorFlow): atomics in GPU kernels make sums differ in the last bits from run to run.',
    });
  const torchDeterministic = global.torchDeterministic;
  if (gpuUse.length && torchDeterministic && !observed.env.CUBLAS_WORKSPACE_CONFIG)
    raw.push({
      rule: 'cublas-workspace',
      file: torchDeterministic.replace(/:\d+$/, ''),
      line: Number(torchDeterministic.split(':').pop()),
      message:
        'Deterministic algorithms are on but CUBLAS_WORKSPACE_CONFIG is unset: cuBLAS needs CUBLAS_WORKSPACE_CONFIG=:4096:8 (or :16:8) to be deterministic on CUDA >= 10.2.',
    });
  const cudnn = raw.find((r) => r.rule === 'cudnn-benchmark');
  const findings = raw
    .map((r) => ({ ...r, likelihood: likelihood(r.rule, observed), rank: 0 }))
    .sort((a, b) => b.likelihood - a.likelihood || a.file.localeCompare(b.file) || a.line - b.line)
    .map((f, i) => ({ ...f, rank: i + 1 }));
  return { findings, cudnnBenchmark: cudnn ? `${cudnn.file}:${cudnn.line}` : null, deterministicAlgorithms: global.deterministic };
}
