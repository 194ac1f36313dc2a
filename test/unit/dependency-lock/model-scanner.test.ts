// The model scanner never loads a file: every safe fixture passes, every unsafe one (picklescan's and modelscan's
// cases, plus the stricter ones) is flagged with the callable or the problem that makes it unsafe.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { classifyCallable } from '../../../actions/dependency-lock/src/models/callables.js';
import { MemorySource } from '../../../actions/dependency-lock/src/models/byte-source.js';
import { walkPickle } from '../../../actions/dependency-lock/src/models/pickle-walker.js';
import { scanModelFile, type ModelScan } from '../../../actions/dependency-lock/src/models/scan-model-file.js';

const MODELS = 'test/fixtures/dependency-lock/models';
const scan = (dir: string, name: string) => scanModelFile(join(MODELS, dir, name), name, { budgetBytes: 64 << 20 });
const dangerous = (s: ModelScan) =>
  s.callables
    .filter((c) => c.safety === 'dangerous')
    .map((c) => `${c.module}.${c.name}`)
    .sort();
const errors = (s: ModelScan) =>
  s.problems
    .filter((p) => p.level === 'error')
    .map((p) => p.message)
    .join('\n');

describe('safe model files pass', () => {
  const files = readdirSync(join(MODELS, 'safe'));
  test.each(files)('%s', async (name) => {
    const result = await scan('safe', name);
    expect({ unsafe: result.unsafe, problems: result.problems, notSafe: result.callables.filter((c) => c.safety !== 'safe') }).toEqual({
      unsafe: false,
      problems: [],
      notSafe: [],
    });
  });
  test('formats are recognised by content', async () => {
    const formats = Object.fromEntries(await Promise.all(files.map(async (f) => [f, (await scan('safe', f)).format])));
    expect(formats).toMatchObject({
      'model.pt': 'pytorch-zip',
      'legacy.pth': 'pytorch-legacy',
      'model.joblib': 'joblib',
      'compressed.joblib': 'joblib',
      'floats.npy': 'numpy',
      'arrays.npz': 'numpy-zip',
      'model.safetensors': 'safetensors',
      'benign_v0.pkl': 'pickle',
    });
  });
  test('torch rebuilds and numpy reconstructs are the callables found, classified safe', async () => {
    expect((await scan('safe', 'model.pt')).callables.map((c) => `${c.module}.${c.name}`).sort()).toEqual([
      'collections.OrderedDict',
      'torch.FloatStorage',
      'torch._utils._rebuild_tensor_v2',
    ]);
    expect((await scan('safe', 'numpy_array.pkl')).callables.map((c) => `${c.module}.${c.name}`).sort()).toEqual([
      '_codecs.encode',
      'numpy.core.multiarray._reconstruct',
      'numpy.dtype',
      'numpy.ndarray',
    ]);
    expect((await scan('safe', 'model.joblib')).callables.map((c) => `${c.module}.${c.name}`)).toContain(
      'joblib.numpy_pickle.NumpyArrayWrapper',
    );
  });
});

describe('unsafe model files are flagged', () => {
  const files = readdirSync(join(MODELS, 'unsafe'));
  test.each(files)('%s', async (name) => {
    const result = await scan('unsafe', name);
    expect(result.unsafe).toBe(true);
  });

  test.each([
    ['malicious1_v0.pkl', ['__builtin__.eval']],
    ['malicious1_v4.pkl', ['builtins.eval']],
    ['malicious2_v3.pkl', ['posix.system']],
    ['malicious0.pkl', ['__builtin__.apply', '__builtin__.compile', '__builtin__.eval', '__builtin__.getattr', '__builtin__.globals']],
    ['malicious10_inst.pkl', ['__builtin__.exec']],
    ['malicious11_memo.pkl', ['os.system']],
    ['malicious12_attrgetter.pkl', ['builtins.__import__', 'operator.attrgetter']],
    ['malicious14_runpy.pkl', ['runpy._run_code']],
    ['malicious17_codecache.pkl', ['torch._inductor.codecache.compile_file']],
    ['webbrowser_open.pkl', ['webbrowser.open']],
    ['builtins_through_module.pkl', ['torch.__builtins__']],
    ['dotted_path.pkl', ['torch.serialization.os.system']],
    ['dup_trick.pkl', ['posix.system']],
    ['second_pickle.pkl', ['posix.system']],
    ['legacy_malicious.pth', ['posix.system']],
    ['magic_bypass.pth', ['__builtin__.eval', 'posix.system']],
    ['malicious.pt', ['posix.system']],
    ['hidden_entry.pt', ['posix.system']],
    ['duplicate_entry.pt', ['posix.system']],
    ['object_array.npy', ['posix.system']],
    ['object_array.npz', ['posix.system']],
    ['zlib_payload.joblib', ['posix.system']],
  ])('%s imports %j', async (name, expected) => {
    expect(dangerous(await scan('unsafe', name))).toEqual(expected);
  });

  test.each([
    ['truncated.pkl', /not a valid pickle .*truncated/],
    ['no_stop.pkl', /ends without a STOP/],
    ['unknown_opcode.pkl', /unknown opcode 0xff/],
    ['keyerror_exploit.pkl', /BINGET reads memo slot 3, which was never written/],
    ['type_confusion_exploit.pkl', /STACK_GLOBAL with a module or name that is not a string \(42, 'os'\)/],
    ['broken_model.pkl', /not a valid pickle/],
    ['ext_code.pkl', /EXT1 7: imports whatever copyreg's extension registry maps/],
    ['build_on_class.pkl', /BUILD sets attributes on the imported object collections\.OrderedDict/],
    ['malicious12_attrgetter.pkl', /REDUCE calls a computed object/],
    ['misleading_name.pt', /named 'archive\/data\.xyz' in its local header/],
    ['encrypted_flag.pt', /is encrypted and cannot be scanned/],
    ['duplicate_entry.pt', /two entries named 'archive\/data\.pkl'/],
    ['polyglot.pkl', /also a zip archive \(polyglot\)/],
    ['text.pt', /not what its extension says: a \.pt file holding no format the scanner knows/],
    ['pickle.safetensors', /a \.safetensors file holding a pickle/],
    ['bad_header.safetensors', /not a valid safetensors file/],
  ])('%s: %s', async (name, message) => {
    expect(errors(await scan('unsafe', name))).toMatch(message);
  });
});

describe('the opcode walker', () => {
  const bytes = (...parts: (string | number[])[]) =>
    new MemorySource(Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p))));
  test('resolves STACK_GLOBAL through MEMOIZE and BINGET', () => {
    // proto 4; "posix" MEMOIZE; "system" MEMOIZE; POP POP; BINGET 0; BINGET 1; STACK_GLOBAL; STOP
    const walk = walkPickle(
      bytes([0x80, 4, 0x8c, 5], 'posix', [0x94, 0x8c, 6], 'system', [0x94, 0x30, 0x30, 0x68, 0, 0x68, 1, 0x93, 0x2e]),
      0,
    );
    expect(walk.imports.map((i) => `${i.module}.${i.name}`)).toEqual(['posix.system']);
    expect(walk.problems).toEqual([]);
  });
  test('skips large byte payloads without reading them and stops at STOP', () => {
    const walk = walkPickle(bytes([0x80, 4, 0x42, 4, 0, 0, 0, 1, 2, 3, 4, 0x2e]), 0);
    expect(walk).toMatchObject({ end: 12, imports: [], problems: [], protocol: 4 });
  });
  test('a length past the end is a truncation, not a pass', () => {
    const walk = walkPickle(bytes([0x80, 4, 0x8e, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]), 0);
    expect(walk.problems[0]).toMatchObject({ kind: 'malformed', message: expect.stringMatching(/truncated/) });
  });
  test('classification: dangerous, safe and unknown', () => {
    expect(classifyCallable('subprocess', 'Popen').safety).toBe('dangerous');
    expect(classifyCallable('builtins', 'getattr').safety).toBe('dangerous');
    expect(classifyCallable('numpy', '__builtins__').safety).toBe('dangerous');
    expect(classifyCallable('torch._utils', '_rebuild_tensor_v2').safety).toBe('safe');
    expect(classifyCallable('collections', 'OrderedDict').safety).toBe('safe');
    expect(classifyCallable('sklearn.linear_model._logistic', 'LogisticRegression').safety).toBe('unknown');
    expect(classifyCallable('builtins', 'set').safety).toBe('safe');
    // Protocol 0/1 instances rebuild through copyreg._reconstructor(cls, object, None).
    expect(classifyCallable('copy_reg', '_reconstructor').safety).toBe('safe');
    expect(classifyCallable('__builtin__', 'object').safety).toBe('safe');
  });
});

describe('large files stream through a window', () => {
  test('a 3 MiB tensor payload is skipped, not read into the walk, and a payload after it is still found', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'dl-big-'));
    const size = 3 * 1024 * 1024;
    const header = Buffer.from([0x80, 4, 0x8e, ...Buffer.from(new BigUint64Array([BigInt(size)]).buffer)]);
    const tail = Buffer.from('\x30\x8c\x05posix\x8c\x06system\x93\x8c\x02id\x85R.', 'latin1'); // POP, then posix.system('id')
    writeFileSync(join(dir, 'big.pkl'), Buffer.concat([header, Buffer.alloc(size, 0x2e), tail]));
    const result = await scanModelFile(join(dir, 'big.pkl'), 'big.pkl', { budgetBytes: 1 << 20 });
    expect(dangerous(result)).toEqual(['posix.system']);
    expect(result.problems).toEqual([]);
  });
});
