// A set of dataset rows as bits in 64 Ki-row blocks, made only where a row is set: the rows a uniqueness rule flags,
// exactly, in at most one bit a row (a column of one repeated value over 100M rows takes 12.5 MB, where a list of
// row numbers took 800 MB and then failed), and row numbers past 2^32 cost nothing until set.

const BLOCK_ROWS = 1 << 16;
const BLOCK_WORDS = BLOCK_ROWS >>> 5;

export class RowSet implements Iterable<number> {
  private readonly blocks = new Map<number, Uint32Array>();
  private lastIndex = -1;
  private last: Uint32Array | undefined;
  /** Rows in the set. */
  size = 0;

  add(row: number): void {
    const index = Math.floor(row / BLOCK_ROWS);
    let block = index === this.lastIndex ? this.last : this.blocks.get(index);
    if (!block) this.blocks.set(index, (block = new Uint32Array(BLOCK_WORDS)));
    this.lastIndex = index;
    this.last = block;
    const offset = row - index * BLOCK_ROWS;
    const bit = 1 << (offset & 31);
    const w = offset >>> 5;
    if ((block[w] & bit) === 0) {
      block[w] |= bit;
      this.size++;
    }
  }

  /** Bytes held by the blocks. */
  get bytes(): number {
    return this.blocks.size * BLOCK_WORDS * 4;
  }

  /** Every row, ascending (an iterator object rather than a generator: for..of over millions of rows stays fast). */
  [Symbol.iterator](): Iterator<number> {
    return new RowSetIterator(
      [...this.blocks.keys()].sort((x, y) => x - y).map((index) => [index, this.blocks.get(index) as Uint32Array] as const),
    );
  }

  /** Calls fn with every row, ascending. */
  forEach(fn: (row: number) => void): void {
    for (const index of [...this.blocks.keys()].sort((x, y) => x - y)) {
      const block = this.blocks.get(index) as Uint32Array;
      const base = index * BLOCK_ROWS;
      for (let w = 0; w < BLOCK_WORDS; w++) {
        let word = block[w];
        while (word !== 0) {
          const low = word & -word;
          fn(base + w * 32 + (31 - Math.clz32(low)));
          word ^= low;
        }
      }
    }
  }
}

class RowSetIterator implements Iterator<number> {
  private b = 0;
  private w = 0;
  private word = 0;
  private readonly result = { done: false, value: 0 };

  constructor(private readonly blocks: (readonly [number, Uint32Array])[]) {
    if (blocks.length > 0) this.word = blocks[0][1][0];
  }

  next(): IteratorResult<number> {
    const result = this.result;
    for (;;) {
      if (this.word !== 0) {
        const low = this.word & -this.word;
        this.word ^= low;
        result.value = this.blocks[this.b][0] * BLOCK_ROWS + this.w * 32 + (31 - Math.clz32(low));
        return result;
      }
      if (this.b >= this.blocks.length) break;
      if (++this.w === BLOCK_WORDS) {
        this.w = 0;
        if (++this.b >= this.blocks.length) break;
      }
      this.word = this.blocks[this.b][1][this.w];
    }
    result.done = true;
    return result as IteratorResult<number>;
  }
}

/** The first `n` rows of a row list. */
export function firstRows(rows: Iterable<number>, n: number): number[] {
  const first: number[] = [];
  if (n <= 0) return first;
  for (const row of rows) {
    first.push(row);
    if (first.length >= n) break;
  }
  return first;
}
