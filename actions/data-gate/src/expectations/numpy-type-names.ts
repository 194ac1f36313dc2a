// The type names GX's pandas type rules accept, resolved as GX resolves them (expect_column_values_to_be_of_type.py,
// _validate_pandas; _native_type_type_map): np.dtype(name) first, else a class of that name in pandas, plus Python's
// own types by lower-case name. Numpy's resolutions (numpy 1.24 on 64-bit Linux) are listed, not computed: names
// numpy would read that are not here (rare spellings) count as unknown. Checked in test/unit/data-gate/gx-dtypes.test.ts
// against test/fixtures/data-gate/gx-dtypes/make_dtypes.py.

/** name -> [np.dtype(name).type.__name__, np.dtype(name).str]. */
const NUMPY = new Map<string, [string, string]>(
  (
    [
      ['int', 'int64', '<i8'],
      ['int8', 'int8', '|i1'],
      ['int16', 'int16', '<i2'],
      ['int32', 'int32', '<i4'],
      ['int64', 'int64', '<i8'],
      ['uint8', 'uint8', '|u1'],
      ['uint16', 'uint16', '<u2'],
      ['uint32', 'uint32', '<u4'],
      ['uint64', 'uint64', '<u8'],
      ['int_', 'int64', '<i8'],
      ['intc', 'int32', '<i4'],
      ['intp', 'int64', '<i8'],
      ['long', 'int64', '<i8'],
      ['longlong', 'longlong', '<i8'],
      ['short', 'int16', '<i2'],
      ['byte', 'int8', '|i1'],
      ['ubyte', 'uint8', '|u1'],
      ['ushort', 'uint16', '<u2'],
      ['uint', 'uint64', '<u8'],
      ['ulonglong', 'ulonglong', '<u8'],
      ['uintc', 'uint32', '<u4'],
      ['uintp', 'uint64', '<u8'],
      ['float', 'float64', '<f8'],
      ['float16', 'float16', '<f2'],
      ['float32', 'float32', '<f4'],
      ['float64', 'float64', '<f8'],
      ['float128', 'float128', '<f16'],
      ['double', 'float64', '<f8'],
      ['single', 'float32', '<f4'],
      ['half', 'float16', '<f2'],
      ['longdouble', 'float128', '<f16'],
      ['float_', 'float64', '<f8'],
      ['longfloat', 'float128', '<f16'],
      ['bool', 'bool_', '|b1'],
      ['bool_', 'bool_', '|b1'],
      ['bool8', 'bool_', '|b1'],
      ['object', 'object_', '|O'],
      ['O', 'object_', '|O'],
      ['object_', 'object_', '|O'],
      ['str', 'str_', '<U0'],
      ['str_', 'str_', '<U0'],
      ['unicode', 'str_', '<U0'],
      ['unicode_', 'str_', '<U0'],
      ['string_', 'bytes_', '|S0'],
      ['bytes', 'bytes_', '|S0'],
      ['bytes_', 'bytes_', '|S0'],
      ['U', 'str_', '<U0'],
      ['S', 'bytes_', '|S0'],
      ['datetime64', 'datetime64', '<M8'],
      ['datetime64[ns]', 'datetime64', '<M8[ns]'],
      ['datetime64[us]', 'datetime64', '<M8[us]'],
      ['datetime64[ms]', 'datetime64', '<M8[ms]'],
      ['datetime64[s]', 'datetime64', '<M8[s]'],
      ['M8', 'datetime64', '<M8'],
      ['M8[ns]', 'datetime64', '<M8[ns]'],
      ['timedelta64', 'timedelta64', '<m8'],
      ['timedelta64[ns]', 'timedelta64', '<m8[ns]'],
      ['complex', 'complex128', '<c16'],
      ['complex64', 'complex64', '<c8'],
      ['complex128', 'complex128', '<c16'],
      ['i', 'int32', '<i4'],
      ['i1', 'int8', '|i1'],
      ['i2', 'int16', '<i2'],
      ['i4', 'int32', '<i4'],
      ['i8', 'int64', '<i8'],
      ['u1', 'uint8', '|u1'],
      ['u2', 'uint16', '<u2'],
      ['u4', 'uint32', '<u4'],
      ['u8', 'uint64', '<u8'],
      ['f', 'float32', '<f4'],
      ['f2', 'float16', '<f2'],
      ['f4', 'float32', '<f4'],
      ['f8', 'float64', '<f8'],
      ['d', 'float64', '<f8'],
      ['b', 'int8', '|i1'],
      ['B', 'uint8', '|u1'],
      ['?', 'bool_', '|b1'],
      ['l', 'int64', '<i8'],
      ['q', 'longlong', '<i8'],
      ['h', 'int16', '<i2'],
      ['H', 'uint16', '<u2'],
      ['I', 'uint32', '<u4'],
      ['L', 'uint64', '<u8'],
      ['Q', 'ulonglong', '<u8'],
      ['e', 'float16', '<f2'],
    ] as [string, string, string][]
  ).map(([name, scalar, str]) => [name, [scalar, str]]),
);

/** Classes pandas 1.5 has under these names (getattr(pd, name) or pd.core.dtypes.dtypes). */
const PANDAS_CLASSES = new Set([
  'Timestamp',
  'Timedelta',
  'Period',
  'Interval',
  'Categorical',
  'DatetimeTZDtype',
  'CategoricalDtype',
  'PeriodDtype',
  'IntervalDtype',
  'SparseDtype',
  'StringDtype',
  'BooleanDtype',
  'Int8Dtype',
  'Int16Dtype',
  'Int32Dtype',
  'Int64Dtype',
  'UInt8Dtype',
  'UInt16Dtype',
  'UInt32Dtype',
  'UInt64Dtype',
  'Float32Dtype',
  'Float64Dtype',
  'datetime',
]);

/** _native_type_type_map: Python types by lower-case name ('unicode' maps to nothing). */
const NATIVE: Record<string, string> = {
  none: 'NoneType',
  bool: 'bool',
  int: 'int',
  long: 'int',
  float: 'float',
  bytes: 'bytes',
  complex: 'complex',
  str: 'str',
  string_types: 'str',
  list: 'list',
  dict: 'dict',
};

/** np.dtype(t).str of the Python types a dtype compares equal to (np.dtype('int64') == int). */
const NATIVE_DTYPE: Record<string, string> = { int: '<i8', float: '<f8', bool: '|b1', complex: '<c16', str: '<U0', bytes: '|S0' };

/** What one type name resolves to: numpy scalar type and dtype, pandas class, Python type. */
export interface ResolvedType {
  numpy?: { scalar: string; dtype: string };
  pandasClass?: string;
  native?: string;
}

export function resolveTypeName(name: string): ResolvedType {
  const numpy = NUMPY.get(name);
  const resolved: ResolvedType = numpy
    ? { numpy: { scalar: numpy[0], dtype: numpy[1] } }
    : PANDAS_CLASSES.has(name)
      ? { pandasClass: name }
      : {};
  const native = NATIVE[name.toLowerCase()];
  if (native) resolved.native = native;
  return resolved;
}

export function isRecognized(type: ResolvedType): boolean {
  return type.numpy !== undefined || type.pandasClass !== undefined || type.native !== undefined;
}

/** of_type on a non-object column: dtype.type in comp_types (identity of the scalar type). */
export function scalarMatches(types: readonly ResolvedType[], scalar: string): boolean {
  return types.some((t) => t.numpy?.scalar === scalar || (t.pandasClass !== undefined && t.pandasClass === scalar));
}

/** in_type_list on a non-object column: dtype in comp_types (numpy dtype equality: np.dtype('int64') == np.longlong). */
export function dtypeMatches(types: readonly ResolvedType[], dtypeStr: string | undefined): boolean {
  if (dtypeStr === undefined) return false;
  return types.some((t) => t.numpy?.dtype === dtypeStr || (t.native !== undefined && NATIVE_DTYPE[t.native] === dtypeStr));
}

/** The map version on an object column: isinstance(value, comp_types) for values of one Python type. */
export function valuesMatch(types: readonly ResolvedType[], values: string): boolean {
  return types.some((t) => {
    if (t.native === values) return true;
    // bool is a subclass of int in Python; pd.datetime is datetime.datetime (no date value is one).
    return t.native === 'int' && values === 'bool';
  });
}
