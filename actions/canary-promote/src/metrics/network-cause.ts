// Why a fetch failed, in a word a user can act on (ECONNREFUSED, ENOTFOUND, a timeout) rather than "fetch failed".
export function networkCause(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; errors?: { code?: string }[]; message?: string } };
  if (e?.name === 'TimeoutError') return 'timed out';
  return e?.cause?.code ?? e?.cause?.errors?.[0]?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}
