// Keeps secrets (webhook URLs, Pushgateway passwords) out of error messages and log lines we compose ourselves.
// This only covers our own text: callers must still call runtime.setSecret(url) on every webhook or Pushgateway URL
// as soon as the input is read, before anything is logged, so the runner masks it in every line (ours or not).

const MASK = '***';

/** Replaces every occurrence of each secret in `text` with '***'; longer secrets first so none leaks in part. */
export function redact(text: string, secrets: readonly string[]): string {
  const distinct = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  let result = text;
  for (const secret of distinct) result = result.split(secret).join(MASK);
  return redactCredentials(result);
}

// A server that echoes the request (a debugging proxy, a misconfigured gateway) puts our Authorization header into
// its answer: any `Basic`/`Bearer` credential in text we log is masked, whatever its value. Linear: no nested repeats.
// A credential has a digit or a symbol in it; "Basic checks" is prose. Anchored at the scheme, so linear.
const CREDENTIAL = /\b(Basic|Bearer)(\s+)(?=[A-Za-z0-9+/=._~-]*[0-9+/=_~-])[A-Za-z0-9+/=._~-]{6,}/gi;

export function redactCredentials(text: string): string {
  return text.replace(CREDENTIAL, `$1$2${MASK}`);
}

/**
 * The forms in which a secret-bearing URL can show up in text: the URL as given and as normalised, its path and
 * query (a Slack webhook's secret lives in the path), and its password, raw and decoded. The user name is left
 * alone: it is rarely secret and often a short word ("admin") whose masking would mangle every message.
 */
export function urlSecrets(url: string): string[] {
  const secrets = [url];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return secrets;
  }
  secrets.push(parsed.href);
  const pathAndQuery = parsed.pathname + parsed.search;
  // A bare '/' is no secret and masking it would mangle every message.
  if (pathAndQuery.length > 1) secrets.push(pathAndQuery, decodeSafely(pathAndQuery));
  if (parsed.password) secrets.push(parsed.password, decodeSafely(parsed.password));
  return secrets.filter((s) => s.length > 0);
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
