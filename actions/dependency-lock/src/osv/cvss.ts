// CVSS v3.0/v3.1 base scores computed from the vector string (FIRST's specification, section 7 and appendix A's
// Roundup), and the qualitative severity bands. OSV records carry vectors, not scores.
export type SeverityLevel = 'low' | 'medium' | 'high' | 'critical';
export const SEVERITY_ORDER: SeverityLevel[] = ['low', 'medium', 'high', 'critical'];

const W = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

function roundUp(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/** The base score of a CVSS:3.x vector, or undefined when the vector is not one. */
export function cvss3BaseScore(vector: string): number | undefined {
  const m = /^CVSS:3\.[01]\/(.*)$/.exec(vector.trim());
  if (!m) return undefined;
  const metrics = new Map(m[1].split('/').map((part) => part.split(':') as [string, string]));
  const get = <T extends Record<string, number>>(key: string, table: T) => table[metrics.get(key) as keyof T];
  const scope = metrics.get('S');
  const av = get('AV', W.AV);
  const ac = get('AC', W.AC);
  const ui = get('UI', W.UI);
  const pr =
    metrics.get('PR') === 'N'
      ? 0.85
      : metrics.get('PR') === 'L'
        ? scope === 'C'
          ? 0.68
          : 0.62
        : metrics.get('PR') === 'H'
          ? scope === 'C'
            ? 0.5
            : 0.27
          : undefined;
  const c = get('C', W.CIA);
  const i = get('I', W.CIA);
  const a = get('A', W.CIA);
  if ([av, ac, ui, pr, c, i, a].some((v) => v === undefined) || (scope !== 'U' && scope !== 'C')) return undefined;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15);
  const exploitability = 8.22 * av * ac * pr! * ui;
  if (impact <= 0) return 0;
  return scope === 'U' ? roundUp(Math.min(impact + exploitability, 10)) : roundUp(Math.min(1.08 * (impact + exploitability), 10));
}

export function severityOfScore(score: number): SeverityLevel | 'none' {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

export interface Severity {
  level: SeverityLevel | 'unknown';
  score?: number;
  vector?: string;
}

/** An OSV record's severity: the highest CVSS v3 score among its severity entries, else the database's own label. */
export function recordSeverity(record: OsvRecordLike, packageKey?: string): Severity {
  let best: Severity | undefined;
  const entries = [
    ...(record.severity ?? []),
    ...(record.affected ?? [])
      .filter((a) => !packageKey || a.package?.name?.replace(/[-_.]+/g, '-').toLowerCase() === packageKey)
      .flatMap((a) => a.severity ?? []),
  ];
  for (const s of entries) {
    if (s.type !== 'CVSS_V3' || typeof s.score !== 'string') continue;
    const score = cvss3BaseScore(s.score);
    if (score === undefined) continue;
    const level = severityOfScore(score);
    if (level !== 'none' && (!best || score > (best.score ?? -1))) best = { level, score, vector: s.score };
  }
  if (best) return best;
  const label = String((record.database_specific as Record<string, unknown> | undefined)?.severity ?? '').toLowerCase();
  const mapped = (
    { low: 'low', moderate: 'medium', medium: 'medium', high: 'high', critical: 'critical' } as Record<string, SeverityLevel>
  )[label];
  return { level: mapped ?? 'unknown' };
}

export interface OsvRecordLike {
  id: string;
  severity?: { type: string; score: string }[];
  affected?: { package?: { name?: string; ecosystem?: string }; severity?: { type: string; score: string }[] }[];
  database_specific?: unknown;
}
