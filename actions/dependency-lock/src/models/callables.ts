// What an imported callable can do when a pickle calls it: dangerous (runs commands or code, reads or writes files,
// opens sockets, imports or reaches arbitrary attributes), known-safe (rebuilds tensors, arrays and containers), or
// unknown. The dangerous list merges picklescan's and modelscan's (tests reproduce their cases) and is stricter:
// any dotted path through a dangerous module or a dunder attribute is dangerous, and only exact names are safe.

export type Safety = 'dangerous' | 'unknown' | 'safe';

/** Modules every attribute of which is dangerous (submodules too). */
const DANGEROUS_MODULES = new Set([
  'os', 'nt', 'posix', 'subprocess', 'sys', 'runpy', 'webbrowser', 'socket', 'shutil', 'importlib', 'pty', 'pickle', '_pickle',
  'cPickle', 'marshal', 'ctypes', 'code', 'codeop', 'pdb', 'bdb', 'pydoc', 'pkgutil', 'asyncio', 'aiohttp', 'httplib', 'http',
  'urllib', 'urllib2', 'requests', 'ftplib', 'smtplib', 'telnetlib', 'ssl', 'commands', 'popen2', 'platform', 'multiprocessing',
  'threading', '_thread', 'signal', 'tempfile', 'glob', 'io', '_io', 'fileinput', 'zipimport', 'imp', 'cProfile', 'profile',
  'timeit', 'trace', 'venv', 'ensurepip', 'pip', 'distutils', 'setuptools', 'uuid', '_osx_support', '_aix_support', '_pyrepl',
  'idlelib', 'lib2to3', 'doctest', 'test', 'tkinter', 'xmlrpc', 'imaplib', 'poplib', 'nntplib', 'socketserver', 'mmap', 'dill',
  'cloudpickle', 'builtins.__import__', 'numpy.f2py', 'numpy.testing', 'numpy.distutils', 'torch.hub', 'torch.serialization',
  'torch.utils.cpp_extension', 'torch._inductor', 'torch._dynamo', 'torch.utils.bottleneck', 'torch.utils.collect_env',
  'torch.jit', 'torch.fx.experimental', 'torch.utils._config_module', 'torch.utils.data.datapipes', 'joblib.parallel', 'logging',
  'gc', 'inspect', 'ast', 'types', 'operator', '_operator', 'functools', 'sqlite3', 'dbm', 'shelve', 'site', 'sysconfig',
  'keras.layers', 'tensorflow.io', 'tensorflow.python.ops.gen_io_ops', 'pandas.io', 'yaml',
]);

/** builtins (protocol 3+) / __builtin__ (protocol 0-2) members that run code or reach attributes. */
const DANGEROUS_BUILTINS = new Set([
  'eval', 'exec', 'execfile', 'compile', 'getattr', 'setattr', 'delattr', 'apply', 'open', 'file', 'breakpoint', '__import__',
  'globals', 'locals', 'vars', 'input', 'raw_input', 'help', 'exit', 'quit', 'memoryview', 'reload', 'dir', 'type', 'object',
  'super', 'classmethod', 'staticmethod', 'property', 'reversed', 'map', 'filter', 'print', 'iter', 'next', 'callable', 'id',
  'hasattr', '__build_class__', '__loader__', '__spec__', 'copyright', 'credits', 'license',
]);

/** Exact module.name pairs a normal ML checkpoint uses. */
const SAFE = new Set([
  'collections.OrderedDict', 'collections.defaultdict', 'collections.deque', 'collections.Counter',
  'builtins.set', 'builtins.frozenset', 'builtins.bytearray', 'builtins.slice', 'builtins.range', 'builtins.complex',
  'builtins.int', 'builtins.float', 'builtins.str', 'builtins.bytes', 'builtins.list', 'builtins.dict', 'builtins.tuple', 'builtins.bool',
  '__builtin__.set', '__builtin__.frozenset', '__builtin__.bytearray', '__builtin__.slice', '__builtin__.complex',
  '__builtin__.int', '__builtin__.float', '__builtin__.str', '__builtin__.unicode', '__builtin__.long', '__builtin__.list',
  '__builtin__.dict', '__builtin__.tuple', '__builtin__.bool',
  'copyreg._reconstructor', 'copy_reg._reconstructor', 'copyreg.__newobj__',
  '_codecs.encode',
  'datetime.datetime', 'datetime.date', 'datetime.time', 'datetime.timedelta', 'datetime.timezone', 'decimal.Decimal', 'fractions.Fraction',
  'numpy.dtype', 'numpy.ndarray', 'numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct',
  'numpy.core.multiarray.scalar', 'numpy._core.multiarray.scalar', 'numpy.core.numeric._frombuffer', 'numpy._core.numeric._frombuffer',
  'numpy.ma.core._mareconstruct', 'numpy.random._pickle.__randomstate_ctor', 'numpy.random._pickle.__bit_generator_ctor',
  'numpy.random._pickle.__generator_ctor',
  'torch._utils._rebuild_tensor', 'torch._utils._rebuild_tensor_v2', 'torch._utils._rebuild_tensor_v3', 'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state', 'torch._utils._rebuild_qtensor', 'torch._utils._rebuild_sparse_tensor',
  'torch._utils._rebuild_device_tensor_from_numpy', 'torch._utils._rebuild_meta_tensor_no_storage', 'torch._utils._rebuild_wrapper_subclass',
  'torch._utils._rebuild_nested_tensor', 'torch._tensor._rebuild_from_type_v2', 'torch._utils._rebuild_xla_tensor',
  'torch.Size', 'torch.device', 'torch.storage.UntypedStorage', 'torch.nn.parameter.Parameter', 'torch.Tensor',
  'torch.FloatStorage', 'torch.DoubleStorage', 'torch.HalfStorage', 'torch.BFloat16Storage', 'torch.LongStorage', 'torch.IntStorage',
  'torch.ShortStorage', 'torch.CharStorage', 'torch.ByteStorage', 'torch.BoolStorage', 'torch.ComplexFloatStorage',
  'torch.ComplexDoubleStorage', 'torch.QInt8Storage', 'torch.QUInt8Storage', 'torch.QInt32Storage', 'torch.QUInt4x2Storage',
  'torch.QUInt2x4Storage', 'torch.float32', 'torch.float16', 'torch.bfloat16', 'torch.float64', 'torch.int64', 'torch.int32',
  'torch.int16', 'torch.int8', 'torch.uint8', 'torch.bool', 'torch.per_tensor_affine', 'torch.per_channel_affine',
  'joblib.numpy_pickle.NumpyArrayWrapper', 'sklearn.utils._bunch.Bunch',
]);

export interface Classified {
  safety: Safety;
  /** Why, for dangerous ones. */
  reason?: string;
}

export function classifyCallable(module: string, name: string): Classified {
  const full = `${module}.${name}`;
  if (SAFE.has(full)) return { safety: 'safe' };
  const segments = full.split('.');
  const dunder = segments.find((s) => /^__.*__$/.test(s) && s !== '__main__' && s !== '__newobj__' && !/^__(randomstate|bit_generator|generator)_ctor$/.test(s));
  if (dunder) return { safety: 'dangerous', reason: `reaches the interpreter's internals through '${dunder}'` };
  if ((module === 'builtins' || module === '__builtin__' || module === '__builtins__') && DANGEROUS_BUILTINS.has(segments[1]))
    return { safety: 'dangerous', reason: `builtins.${segments[1]} runs code or reaches any attribute` };
  for (let i = 1; i <= segments.length; i++) {
    const prefix = segments.slice(0, i).join('.');
    if (DANGEROUS_MODULES.has(prefix)) return { safety: 'dangerous', reason: `${prefix} can run commands, code, or touch files and the network` };
  }
  // A dotted name that walks through one of those modules from another module ('torch' + 'serialization.os.system').
  for (const s of segments.slice(1)) if (DANGEROUS_MODULES.has(s)) return { safety: 'dangerous', reason: `reaches '${s}' through an attribute path` };
  if (name.includes('.')) return { safety: 'unknown', reason: 'a dotted attribute path' };
  return { safety: 'unknown' };
}
