// GitHub's size limits on what we post, and a pure cutter that keeps the head and tail of a long report
// (the verdict at the top, totals at the bottom) and drops its middle with a notice saying what was cut.

/** Longest body GitHub accepts for an issue or pull-request comment (characters). */
export const COMMENT_MAX_CHARS = 65536;
/** Longest body GitHub accepts for an issue (characters). */
export const ISSUE_BODY_MAX_CHARS = 65536;
/** Longest job summary a step may write (bytes); the runner refuses larger files. */
export const SUMMARY_MAX_BYTES = 1024 * 1024;
/** Longest check-run output summary or text (characters). */
export const CHECK_RUN_TEXT_MAX_CHARS = 65535;
/** Annotations GitHub accepts in one check-run create or update request. */
export const CHECK_RUN_ANNOTATIONS_PER_REQUEST = 50;

export type SizeUnit = 'chars' | 'bytes';

export interface TruncateOptions {
  /** What maxLength counts: UTF-16 characters (JavaScript length) or UTF-8 bytes. Default 'chars'. */
  unit?: SizeUnit;
  /** Where the full text can be read; named in the default notice. */
  reportUrl?: string;
  /** The notice put where the middle was: a text whose `{removed}` is replaced, or a function of the amount cut. */
  notice?: string | ((removed: number, unitName: 'characters' | 'bytes') => string);
}

/**
 * Returns `text` unchanged when it fits in maxLength, else head + notice + tail fitting in maxLength. The cut snaps
 * to line ends when one is near, so Markdown tables lose whole rows rather than half a row.
 */
export function truncateMiddle(text: string, maxLength: number, options: TruncateOptions = {}): string {
  const unit = options.unit ?? 'chars';
  const measure = unit === 'bytes' ? utf8Length : (s: string) => s.length;
  const total = measure(text);
  if (total <= maxLength) return text;

  const unitName = unit === 'bytes' ? 'bytes' : 'characters';
  const noticeFor = (removed: number): string => {
    if (typeof options.notice === 'function') return options.notice(removed, unitName);
    if (typeof options.notice === 'string') return options.notice.replaceAll('{removed}', String(removed));
    const where = options.reportUrl ? `; full report: ${options.reportUrl}` : '';
    return `\n\n… ${removed} ${unitName} cut${where} …\n\n`;
  };

  // The notice's length depends on how much is cut, which depends on the notice: two passes settle the digits.
  let notice = noticeFor(total - maxLength);
  let result = '';
  for (let pass = 0; pass < 3; pass++) {
    const budget = maxLength - measure(notice);
    if (budget <= 0) return cutToFit(text, maxLength, unit, 'head');
    const head = snapHeadToLine(cutToFit(text, Math.ceil(budget / 2), unit, 'head'));
    const tail = snapTailToLine(cutToFit(text, Math.floor(budget / 2), unit, 'tail'));
    const removed = total - measure(head) - measure(tail);
    const settled = noticeFor(removed);
    result = head + settled + tail;
    if (settled === notice && measure(result) <= maxLength) return result;
    notice = settled;
  }
  return measure(result) <= maxLength ? result : cutToFit(result, maxLength, unit, 'head');
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** The longest head or tail of `text` within `size` units, never splitting a character. */
function cutToFit(text: string, size: number, unit: SizeUnit, end: 'head' | 'tail'): string {
  if (size <= 0) return '';
  if (unit === 'chars') {
    let cut = end === 'head' ? text.slice(0, size) : text.slice(text.length - size);
    // Do not leave half of a surrogate pair (an emoji) at the cut.
    if (end === 'head' && /[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
    if (end === 'tail' && /^[\uDC00-\uDFFF]/.test(cut)) cut = cut.slice(1);
    return cut;
  }
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= size) return text;
  let start = end === 'head' ? 0 : bytes.length - size;
  let stop = end === 'head' ? size : bytes.length;
  // UTF-8 continuation bytes look like 10xxxxxx: move the cut onto a character boundary.
  const isContinuation = (i: number) => i < bytes.length && (bytes[i] & 0xc0) === 0x80;
  if (end === 'head') while (stop > 0 && isContinuation(stop)) stop--;
  else while (start < bytes.length && isContinuation(start)) start++;
  return new TextDecoder().decode(bytes.subarray(start, stop));
}

const LINE_SNAP_SHARE = 0.2;

function snapHeadToLine(head: string): string {
  const newline = head.lastIndexOf('\n');
  return newline >= 0 && head.length - newline <= head.length * LINE_SNAP_SHARE ? head.slice(0, newline + 1) : head;
}

function snapTailToLine(tail: string): string {
  const newline = tail.indexOf('\n');
  return newline >= 0 && newline < tail.length * LINE_SNAP_SHARE ? tail.slice(newline + 1) : tail;
}
