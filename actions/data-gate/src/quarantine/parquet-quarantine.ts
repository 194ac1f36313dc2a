// Quarantine for Parquet: reads the input with hyparquet a window of rows at a time, keeping raw values (bytes,
// integers, timestamps as their stored numbers) so nothing is re-rounded, and writes the passed and failed rows with
// hyparquet-writer's incremental ParquetWriter one row group at a time, so memory holds about one row group per output.
import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetScan,
  parquetSchema,
  type DecodedArray,
  type FileMetaData,
  type ParquetParsers,
  type SchemaElement,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { DataError, UserError } from '#shared/errors.js';
import { plainParquet } from '#shared/data/parquet-reader.js';
import type { OutputSink } from './output-sink.js';
import { RULE_SEPARATOR, type RowRouter } from './row-router.js';

/** Rows decoded from the input at a time. */
const READ_WINDOW_ROWS = 65536;
/** Rows per row group written (and so the rows each output holds in memory before writing). */
export const WRITE_ROW_GROUP_ROWS = 65536;

/**
 * Parsers that keep values as stored (timestamps as integers in their unit, dates as days, strings, UUIDs and
 * byte arrays as bytes), which hyparquet-writer writes back unchanged.
 */
const RAW_PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (millis) => millis,
  timestampFromMicroseconds: (micros) => micros,
  timestampFromNanoseconds: (nanos) => nanos,
  dateFromDays: (days) => days,
  stringFromBytes: (bytes) => bytes,
  uuidFromBytes: (bytes) => bytes,
};

export interface ParquetQuarantine {
  files: readonly string[];
  router: RowRouter;
  passed?: OutputSink;
  failed?: OutputSink;
  ruleColumn: string;
}

/** A ByteWriter that hands each finished row group's bytes to an output sink instead of keeping them. */
class SinkWriter extends ByteWriter {
  constructor(private readonly sink: OutputSink) {
    super(1 << 16);
  }

  flush(): Promise<void> {
    this.drain();
    return this.sink.flush(true);
  }

  override finish(): void {
    this.drain();
  }

  private drain(): void {
    if (this.index === 0) return;
    this.sink.push(Buffer.from(this.buffer.slice(0, this.index)));
    this.index = 0;
  }
}

/** Rows gathered for one output until they make a row group. */
class RowGroupBuffer {
  private columns: unknown[][];
  private rules: string[] = [];
  private rows = 0;
  private readonly parquet: ParquetWriter;

  constructor(
    private readonly names: readonly string[],
    schema: SchemaElement[],
    private readonly sink: OutputSink,
    /** The failed file's rule column, or undefined for the passed file. */
    private readonly ruleColumn: string | undefined,
  ) {
    this.columns = names.map(() => []);
    this.parquet = new ParquetWriter({ writer: new SinkWriter(sink), schema });
  }

  /** Adds row r of the decoded window `cells` (aligned with names). */
  async add(cells: readonly DecodedArray[], r: number, rules: readonly string[]): Promise<void> {
    for (let c = 0; c < cells.length; c++) this.columns[c].push(cells[c][r]);
    if (this.ruleColumn !== undefined) this.rules.push(rules.join(RULE_SEPARATOR));
    if (++this.rows >= WRITE_ROW_GROUP_ROWS) await this.writeGroup();
  }

  private async writeGroup(): Promise<void> {
    if (this.rows === 0) return;
    const columnData = this.names.map((name, c) => ({ name, data: this.columns[c] as DecodedArray }));
    if (this.ruleColumn !== undefined) columnData.push({ name: this.ruleColumn, data: this.rules });
    await this.parquet.write({ columnData, rowGroupSize: this.rows });
    this.columns = this.names.map(() => []);
    this.rules = [];
    this.rows = 0;
  }

  async finish(): Promise<void> {
    await this.writeGroup();
    await this.parquet.finish();
  }
}

async function readMetadata(file: string, path: string) {
  const buffer = await asyncBufferFromFile(path);
  try {
    return { buffer, metadata: await parquetMetadataAsync(buffer) };
  } catch (error) {
    throw new DataError(`not a readable Parquet file (${(error as Error).message})`, { file });
  }
}

/**
 * The output schema for the input's: INT96 timestamps (which hyparquet-writer cannot write) become INT64 nanosecond
 * timestamps holding the same instant; all else is kept. Without field ids, as the failed file has other fields.
 */
function outputSchema(schema: readonly SchemaElement[]): SchemaElement[] {
  return schema.map((element) => {
    const { field_id: _fieldId, ...rest } = element;
    if (element.type !== 'INT96') return rest;
    return { ...rest, type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' } };
  });
}

/** The schema with one more top-level column, an optional string: the failed file's rule column. */
function withRuleColumn(schema: readonly SchemaElement[], ruleColumn: string): SchemaElement[] {
  const [root, ...rest] = schema;
  return [
    { ...root, num_children: (root.num_children ?? 0) + 1 },
    ...rest,
    { name: ruleColumn, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  ];
}

/** Each top-level column's schema elements (itself and its nested fields), by name, for comparing files. */
function columnShapes(metadata: FileMetaData): Map<string, string> {
  const shapes = new Map<string, string>();
  const describe = (node: ReturnType<typeof parquetSchema>): unknown[] => {
    const { field_id: _fieldId, ...element } = node.element;
    return [element, ...node.children.map(describe)];
  };
  for (const child of parquetSchema(metadata).children) shapes.set(child.element.name, JSON.stringify(describe(child)));
  return shapes;
}

export async function quarantineParquet(options: ParquetQuarantine): Promise<void> {
  const { router, passed, failed, ruleColumn } = options;
  let names: string[] | undefined;
  let shapes: Map<string, string> | undefined;
  let passedRows: RowGroupBuffer | undefined;
  let failedRows: RowGroupBuffer | undefined;
  for (const file of options.files) {
    const { path, cleanup } = await plainParquet(file);
    try {
      const { buffer, metadata } = await readMetadata(file, path);
      if (names === undefined || shapes === undefined) {
        names = parquetSchema(metadata).children.map((child) => child.element.name);
        shapes = columnShapes(metadata);
        if (names.includes(ruleColumn)) {
          throw new UserError(
            `The data already has a column '${ruleColumn}', the column the failed file adds to name the broken rules. ` +
              'Rename or drop that column before quarantining.',
            { file },
          );
        }
        const schema = outputSchema(metadata.schema);
        if (passed) passedRows = new RowGroupBuffer(names, schema, passed, undefined);
        if (failed) failedRows = new RowGroupBuffer(names, withRuleColumn(schema, ruleColumn), failed, ruleColumn);
      } else checkSameShapes(shapes, columnShapes(metadata), file, options.files[0]);

      let scan;
      try {
        scan = await parquetScan({ file: buffer, metadata, columns: names, compressors, parsers: RAW_PARSERS, utf8: false });
      } catch (error) {
        throw new DataError(`not a readable Parquet file (${(error as Error).message})`, { file });
      }
      for (const range of scan.ranges) {
        for (let start = range.rowStart; start < range.rowEnd; start += READ_WINDOW_ROWS) {
          const end = Math.min(range.rowEnd, start + READ_WINDOW_ROWS);
          const cells: DecodedArray[] = [];
          try {
            for (const column of names) cells.push(await scan.readColumn({ column, rowStart: start, rowEnd: end }));
          } catch (error) {
            throw new DataError(`cannot decode Parquet data (${(error as Error).message})`, { file, line: start + 1 });
          }
          for (let r = 0; r < end - start; r++) {
            const rules = router.route();
            const target = rules.length === 0 ? passedRows : failedRows;
            await target?.add(cells, r, rules);
          }
        }
      }
    } finally {
      await cleanup();
    }
  }
  await passedRows?.finish();
  await failedRows?.finish();
}

function checkSameShapes(first: Map<string, string>, other: Map<string, string>, file: string, firstFile: string): void {
  for (const [name, shape] of first) {
    const theirs = other.get(name);
    if (theirs === undefined) throw new DataError(`column '${name}' of the first file '${firstFile}' is missing`, { file });
    if (theirs !== shape) {
      throw new DataError(
        `column '${name}' has another Parquet type than in the first file '${firstFile}'; quarantine writes one Parquet schema, ` +
          'so every file must store each column the same way',
        { file },
      );
    }
  }
  for (const name of other.keys()) {
    if (!first.has(name)) throw new DataError(`extra column '${name}', not in the first file '${firstFile}'`, { file });
  }
}
