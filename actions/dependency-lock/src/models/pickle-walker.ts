// Walks pickle opcodes (protocols 0-5) without executing anything, the way CPython's _pickle.c Unpickler reads
// them, but pushing symbolic values: strings and numbers stay known, imports become {global}, calls become {call}.
// That resolves STACK_GLOBAL's module and name through the stack and the memo (DUP, PUT/BINPUT/LONG_BINPUT,
// MEMOIZE, GET...), which picklescan approximates by looking back at preceding opcodes and modelscan does not
// follow; a name it cannot resolve is itself a finding. Malformed streams (an unknown opcode, a truncated
// argument, a stack underflow, a missing memo key, no STOP) are findings, never passes. joblib's raw array blocks
// after a NumpyArrayWrapper's BUILD are skipped by the size the wrapper's state gives, as joblib reads them.
import { latin1, type ByteSource } from './byte-source.js';

export type PickleValue =
  | { t: 'str'; v: string }
  | { t: 'int'; v: number }
  | { t: 'none' | 'bool' | 'float' | 'bytes' | 'opaque' }
  | { t: 'tuple' | 'list'; items: PickleValue[] }
  | { t: 'dict'; entries: [PickleValue, PickleValue][] }
  | { t: 'global'; module: string; name: string }
  | { t: 'call'; fn: PickleValue; args: PickleValue; state?: PickleValue };

export interface ImportedCallable {
  module: string;
  name: string;
  opcode: string;
  offset: number;
}

export interface PickleProblem {
  /** 'malformed' stops the walk; 'dynamic' is a construct that hides what is called. */
  kind: 'malformed' | 'dynamic';
  message: string;
  offset: number;
}

export interface PickleWalk {
  imports: ImportedCallable[];
  problems: PickleProblem[];
  /** Offset just after STOP (or where the walk stopped). */
  end: number;
  protocol: number;
  opcodes: number;
}

class Malformed extends Error {}

const MAX_ITEMS = 256; // values kept per container: enough for shapes and state dicts, bounded for big lists
const MAX_LINE = 1 << 16;

function str(v: PickleValue | undefined): string | undefined {
  return v && v.t === 'str' ? v.v : undefined;
}

export function describeValue(v: PickleValue): string {
  switch (v.t) {
    case 'str':
      return `'${v.v}'`;
    case 'int':
      return String(v.v);
    case 'global':
      return `${v.module}.${v.name}`;
    case 'call':
      return `${describeValue(v.fn)}(...)`;
    default:
      return v.t;
  }
}

/** Walks one pickle starting at `start`; returns at STOP, or at the first malformed opcode (as a problem). */
export function walkPickle(src: ByteSource, start: number, limit = src.size): PickleWalk {
  const imports: ImportedCallable[] = [];
  const problems: PickleProblem[] = [];
  let stack: PickleValue[] = [];
  const metastack: PickleValue[][] = [];
  const memo = new Map<number, PickleValue>();
  let pos = start;
  let protocol = 0;
  let opcodes = 0;
  let opStart = start;
  const dynamic = (message: string) => problems.push({ kind: 'dynamic', message, offset: opStart });
  const fail = (message: string): never => {
    throw new Malformed(message);
  };
  const need = (n: number) => {
    if (pos + n > limit) fail(`truncated: ${n} byte(s) needed at offset ${pos}, the data ends at ${limit}`);
  };
  const u8 = () => (need(1), src.byte(pos++));
  const uint = (n: number): number => {
    need(n);
    const b = src.bytes(pos, n);
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + b[i];
    pos += n;
    return v;
  };
  const int32 = () => {
    const v = uint(4);
    return v >= 0x80000000 ? v - 0x100000000 : v;
  };
  const line = (): string => {
    const begin = pos;
    for (;;) {
      if (pos >= limit) fail(`truncated: a line argument starting at offset ${begin} has no newline`);
      if (pos - begin > MAX_LINE) fail(`a line argument at offset ${begin} is longer than ${MAX_LINE} bytes`);
      if (src.byte(pos++) === 10) break;
    }
    return latin1(src.bytes(begin, pos - 1 - begin));
  };
  /** A string argument; a huge one (tokenizer vocabularies, not import names) is skipped and stays opaque. */
  const text = (n: number): PickleValue => {
    need(n);
    if (n > MAX_LINE * 16) {
      pos += n;
      return { t: 'opaque' };
    }
    const s = new TextDecoder('utf-8', { fatal: false }).decode(src.bytes(pos, n));
    pos += n;
    return { t: 'str', v: s };
  };
  const skip = (n: number) => {
    need(n);
    pos += n;
  };
  const pop = (): PickleValue => {
    if (stack.length === 0) fail('stack underflow: an opcode pops from an empty stack');
    return stack.pop()!;
  };
  const top = (): PickleValue => {
    if (stack.length === 0) fail('stack underflow: an opcode reads an empty stack');
    return stack[stack.length - 1];
  };
  const popMark = (): PickleValue[] => {
    if (metastack.length === 0) fail('a MARK-using opcode with no MARK before it');
    const items = stack;
    stack = metastack.pop()!;
    return items;
  };
  const push = (v: PickleValue) => stack.push(v);
  const keep = (items: PickleValue[]) => items.slice(0, MAX_ITEMS);
  const importGlobal = (module: string, name: string, opcode: string): PickleValue => {
    imports.push({ module, name, opcode, offset: opStart });
    return { t: 'global', module, name };
  };
  const call = (fn: PickleValue, args: PickleValue, opcode: string) => {
    if (fn.t !== 'global')
      dynamic(`${opcode} calls a computed object (${describeValue(fn)}), not an imported name: a call chain such as getattr(...)(...)`);
    push({ t: 'call', fn, args });
  };
  const memoGet = (index: number, opcode: string) => {
    const v = memo.get(index);
    if (v === undefined) fail(`${opcode} reads memo slot ${index}, which was never written`);
    push(v!);
  };
  const memoPut = (index: number) => {
    memo.set(index, top());
  };

  try {
    for (;;) {
      opStart = pos;
      if (pos >= limit) fail('truncated: the pickle ends without a STOP opcode');
      const op = u8();
      opcodes++;
      switch (op) {
        case 0x80: // PROTO
          protocol = u8();
          if (protocol > 5) fail(`unsupported pickle protocol ${protocol}`);
          break;
        case 0x95: // FRAME
          uint(8);
          break;
        case 0x2e: // STOP
          if (stack.length !== 1 || metastack.length !== 0)
            dynamic(`STOP with ${stack.length} value(s) on the stack and ${metastack.length} open MARK(s): not what a pickler writes`);
          return { imports, problems, end: pos, protocol, opcodes };
        case 0x28: // MARK
          metastack.push(stack);
          stack = [];
          break;
        case 0x30: // POP
          if (stack.length === 0) popMark();
          else stack.pop();
          break;
        case 0x31: // POP_MARK
          popMark();
          break;
        case 0x32: // DUP
          push(top());
          break;
        case 0x4e: // NONE
          push({ t: 'none' });
          break;
        case 0x88: // NEWTRUE
        case 0x89: // NEWFALSE
          push({ t: 'bool' });
          break;
        case 0x49: {
          // INT (also True/False as I01/I00)
          const l = line().trim();
          if (!/^[-+]?\d+$/.test(l)) fail(`INT with a non-integer argument '${l.slice(0, 40)}'`);
          push({ t: 'int', v: Number(l) });
          break;
        }
        case 0x4a: // BININT
          push({ t: 'int', v: int32() });
          break;
        case 0x4b: // BININT1
          push({ t: 'int', v: u8() });
          break;
        case 0x4d: // BININT2
          push({ t: 'int', v: uint(2) });
          break;
        case 0x4c: {
          // LONG
          const l = line().trim().replace(/L$/, '');
          if (!/^[-+]?\d+$/.test(l)) fail(`LONG with a non-integer argument '${l.slice(0, 40)}'`);
          push({ t: 'int', v: Number(l) });
          break;
        }
        case 0x8a: {
          // LONG1
          const n = u8();
          const v = n <= 6 ? uint(n) : (skip(n), NaN);
          push({ t: 'int', v });
          break;
        }
        case 0x8b: // LONG4
          skip(int32AsLength(uint(4), fail));
          push({ t: 'opaque' });
          break;
        case 0x46: // FLOAT
          line();
          push({ t: 'float' });
          break;
        case 0x47: // BINFLOAT
          skip(8);
          push({ t: 'float' });
          break;
        case 0x53: {
          // STRING: a quoted Python repr
          const l = line().trimEnd();
          const m = /^(['"])(.*)\1$/s.exec(l);
          if (!m) fail(`STRING argument is not quoted: ${l.slice(0, 40)}`);
          push({ t: 'str', v: unescapePython(m![2]) });
          break;
        }
        case 0x54: // BINSTRING
          push(text(int32AsLength(uint(4), fail)));
          break;
        case 0x55: // SHORT_BINSTRING
          push(text(u8()));
          break;
        case 0x56: // UNICODE (raw-unicode-escape)
          push({
            t: 'str',
            v: line().replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, a, b) => String.fromCodePoint(parseInt(a ?? b, 16))),
          });
          break;
        case 0x58: // BINUNICODE
          push(text(uint(4)));
          break;
        case 0x8c: // SHORT_BINUNICODE
          push(text(u8()));
          break;
        case 0x8d: // BINUNICODE8
          push(text(uint(8)));
          break;
        case 0x42: // BINBYTES
          skip(uint(4));
          push({ t: 'bytes' });
          break;
        case 0x43: // SHORT_BINBYTES
          skip(u8());
          push({ t: 'bytes' });
          break;
        case 0x8e: // BINBYTES8
        case 0x96: // BYTEARRAY8
          skip(uint(8));
          push({ t: 'bytes' });
          break;
        case 0x97: // NEXT_BUFFER: out-of-band data the loader must supply
          dynamic('NEXT_BUFFER: the pickle expects out-of-band buffers');
          push({ t: 'bytes' });
          break;
        case 0x98: // READONLY_BUFFER
          top();
          break;
        case 0x29: // EMPTY_TUPLE
          push({ t: 'tuple', items: [] });
          break;
        case 0x74: // TUPLE
          push({ t: 'tuple', items: keep(popMark()) });
          break;
        case 0x85: // TUPLE1
          push({ t: 'tuple', items: [pop()] });
          break;
        case 0x86: {
          // TUPLE2
          const b = pop();
          push({ t: 'tuple', items: [pop(), b] });
          break;
        }
        case 0x87: {
          // TUPLE3
          const c = pop();
          const b = pop();
          push({ t: 'tuple', items: [pop(), b, c] });
          break;
        }
        case 0x5d: // EMPTY_LIST
          push({ t: 'list', items: [] });
          break;
        case 0x6c: // LIST
          push({ t: 'list', items: keep(popMark()) });
          break;
        case 0x61: {
          // APPEND
          const v = pop();
          const list = top();
          if (list.t === 'list' && list.items.length < MAX_ITEMS) list.items.push(v);
          break;
        }
        case 0x65: {
          // APPENDS
          const items = popMark();
          const list = top();
          if (list.t === 'list') list.items.push(...items.slice(0, MAX_ITEMS - list.items.length));
          break;
        }
        case 0x7d: // EMPTY_DICT
          push({ t: 'dict', entries: [] });
          break;
        case 0x64: {
          // DICT
          const items = popMark();
          if (items.length % 2) fail('DICT with an odd number of items');
          push({ t: 'dict', entries: pairs(items) });
          break;
        }
        case 0x73: {
          // SETITEM
          const v = pop();
          const k = pop();
          const d = top();
          if (d.t === 'dict' && d.entries.length < MAX_ITEMS) d.entries.push([k, v]);
          break;
        }
        case 0x75: {
          // SETITEMS
          const items = popMark();
          if (items.length % 2) fail('SETITEMS with an odd number of items');
          const d = top();
          if (d.t === 'dict') d.entries.push(...pairs(items).slice(0, MAX_ITEMS - d.entries.length));
          break;
        }
        case 0x8f: // EMPTY_SET
          push({ t: 'opaque' });
          break;
        case 0x90: // ADDITEMS
          popMark();
          top();
          break;
        case 0x91: // FROZENSET
          popMark();
          push({ t: 'opaque' });
          break;
        case 0x63: {
          // GLOBAL "module\nname\n"
          const module = line();
          const name = line();
          push(importGlobal(module, name, 'GLOBAL'));
          break;
        }
        case 0x93: {
          // STACK_GLOBAL: name and module from the stack (resolved through the memo by the simulation)
          const nameV = pop();
          const moduleV = pop();
          const module = str(moduleV);
          const name = str(nameV);
          if (module === undefined || name === undefined) {
            dynamic(
              `STACK_GLOBAL with a module or name that is not a string (${describeValue(moduleV)}, ${describeValue(nameV)}): the import cannot be known`,
            );
            push(importGlobal(module ?? '?', name ?? '?', 'STACK_GLOBAL'));
          } else push(importGlobal(module, name, 'STACK_GLOBAL'));
          break;
        }
        case 0x69: {
          // INST "module\nname\n": pops a MARK's args and calls the class
          const module = line();
          const name = line();
          const args = popMark();
          push({ t: 'call', fn: importGlobal(module, name, 'INST'), args: { t: 'tuple', items: keep(args) } });
          break;
        }
        case 0x6f: {
          // OBJ: MARK cls args... OBJ
          const items = popMark();
          if (items.length === 0) fail('OBJ with no class after its MARK');
          call(items[0], { t: 'tuple', items: keep(items.slice(1)) }, 'OBJ');
          break;
        }
        case 0x52: {
          // REDUCE
          const args = pop();
          call(pop(), args, 'REDUCE');
          break;
        }
        case 0x81: {
          // NEWOBJ
          const args = pop();
          call(pop(), args, 'NEWOBJ');
          break;
        }
        case 0x92: {
          // NEWOBJ_EX
          pop();
          const args = pop();
          call(pop(), args, 'NEWOBJ_EX');
          break;
        }
        case 0x62: {
          // BUILD
          const state = pop();
          const target = top();
          if (target.t === 'global')
            dynamic(`BUILD sets attributes on the imported object ${describeValue(target)} itself, not on an instance`);
          if (target.t === 'call') {
            target.state = state;
            if (target.fn.t === 'global' && target.fn.module === 'joblib.numpy_pickle' && target.fn.name === 'NumpyArrayWrapper') {
              const skipTo = joblibArrayEnd(src, pos, target.state, limit);
              if (skipTo === 'pickle') {
                // An object array: joblib pickles it inline, a whole pickle of its own.
                const inner = walkPickle(src, pos, limit);
                imports.push(...inner.imports);
                problems.push(...inner.problems);
                if (inner.problems.some((p) => p.kind === 'malformed')) return { imports, problems, end: inner.end, protocol, opcodes };
                pos = inner.end;
              } else if (typeof skipTo === 'number') pos = skipTo;
              else fail(`joblib array block after offset ${pos}: ${skipTo.error}`);
            }
          }
          break;
        }
        case 0x82: // EXT1
        case 0x83: // EXT2
        case 0x84: {
          // EXT4
          const code = op === 0x82 ? u8() : op === 0x83 ? uint(2) : uint(4);
          dynamic(
            `EXT${op === 0x82 ? 1 : op === 0x83 ? 2 : 4} ${code}: imports whatever copyreg's extension registry maps code ${code} to at load time`,
          );
          push(importGlobal('copyreg', `extension_registry[${code}]`, 'EXT'));
          break;
        }
        case 0x50: // PERSID
          line();
          push({ t: 'opaque' });
          break;
        case 0x51: // BINPERSID
          pop();
          push({ t: 'opaque' });
          break;
        case 0x67: {
          // GET
          const l = line().trim();
          if (!/^\d+$/.test(l)) fail(`GET with a bad memo index '${l.slice(0, 20)}'`);
          memoGet(Number(l), 'GET');
          break;
        }
        case 0x68: // BINGET
          memoGet(u8(), 'BINGET');
          break;
        case 0x6a: // LONG_BINGET
          memoGet(uint(4), 'LONG_BINGET');
          break;
        case 0x70: {
          // PUT
          const l = line().trim();
          if (!/^\d+$/.test(l)) fail(`PUT with a bad memo index '${l.slice(0, 20)}'`);
          memoPut(Number(l));
          break;
        }
        case 0x71: // BINPUT
          memoPut(u8());
          break;
        case 0x72: // LONG_BINPUT
          memoPut(uint(4));
          break;
        case 0x94: // MEMOIZE
          memoPut(memo.size);
          break;
        default:
          fail(`unknown opcode 0x${op.toString(16).padStart(2, '0')}`);
      }
    }
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    problems.push({ kind: 'malformed', message: error.message, offset: opStart });
    return { imports, problems, end: pos, protocol, opcodes };
  }
}

function int32AsLength(n: number, fail: (m: string) => never): number {
  if (n >= 0x80000000) fail('a negative length');
  return n;
}

function pairs(items: PickleValue[]): [PickleValue, PickleValue][] {
  const out: [PickleValue, PickleValue][] = [];
  for (let i = 0; i + 1 < items.length; i += 2) out.push([items[i], items[i + 1]]);
  return out;
}

function unescapePython(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|n|t|r|\\|'|")/g, (_, e: string) =>
    e[0] === 'x' ? String.fromCharCode(parseInt(e.slice(1), 16)) : (({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e),
  );
}

/** Bytes per element of a NumPy dtype string ('<f8', 'i4', '|b1', 'U10', 'V16'); 'O' objects; undefined unknown. */
export function dtypeItemSize(descr: string): number | 'object' | undefined {
  const m = /^[<>|=]?([a-zA-Z])(\d*)$/.exec(descr);
  if (!m) return undefined;
  const [, kind, digits] = m;
  if (kind === 'O') return 'object';
  const n = digits ? Number(digits) : undefined;
  if (kind === 'U') return (n ?? 0) * 4;
  if (kind === 'e') return 2;
  if (kind === 'f' || kind === 'd') return n ?? 8;
  if (kind === '?') return 1;
  if (kind === 'b' || kind === 'B') return n ?? 1;
  return n;
}

function dictGet(d: PickleValue | undefined, key: string): PickleValue | undefined {
  if (!d || d.t !== 'dict') return undefined;
  return d.entries.find(([k]) => k.t === 'str' && k.v === key)?.[1];
}

/** Where joblib's raw array block after a NumpyArrayWrapper ends, as joblib's read_array reads it. */
function joblibArrayEnd(
  src: ByteSource,
  pos: number,
  state: PickleValue | undefined,
  limit: number,
): number | 'pickle' | { error: string } {
  const shape = dictGet(state, 'shape');
  const dtype = dictGet(state, 'dtype');
  let descr: string | undefined;
  if (dtype?.t === 'call' && dtype.args.t === 'tuple') descr = str(dtype.args.items[0]);
  if (!descr) return { error: 'the wrapper has no readable dtype' };
  const size = dtypeItemSize(descr);
  if (size === 'object') return 'pickle';
  if (size === undefined) return { error: `dtype '${descr}' has an unknown item size` };
  if (shape?.t !== 'tuple' || shape.items.some((i) => i.t !== 'int')) return { error: 'the wrapper has no readable shape' };
  const count = shape.items.reduce((n, i) => n * (i as { v: number }).v, 1);
  let at = pos;
  const alignment = dictGet(state, 'numpy_array_alignment_bytes');
  if (alignment && alignment.t === 'int') {
    const padding = src.byte(at);
    if (padding < 0 || padding > alignment.v) return { error: 'bad alignment padding' };
    at += 1 + padding;
  }
  at += count * size;
  if (at > limit) return { error: `truncated: the array needs ${count * size} bytes` };
  return at;
}
