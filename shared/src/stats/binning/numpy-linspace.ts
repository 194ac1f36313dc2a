// numpy.linspace(start, stop, num, endpoint=True) reproduced step for step (i * step + start, last = stop), so
// that bin edges equal numpy's to the last bit and values on an edge fall in the same bin as in numpy.

export function numpyLinspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start;
  out[num - 1] = stop;
  return out;
}
