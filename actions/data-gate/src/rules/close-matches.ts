// "Did you mean ...?" for misspelled expectation names and keyword arguments.

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** Up to `limit` candidates closest to `word`: within a third of its length in edits, or containing it. */
export function closeMatches(word: string, candidates: readonly string[], limit = 3): string[] {
  const lower = word.toLowerCase();
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) }))
    .filter(
      ({ candidate, distance }) =>
        distance <= Math.max(2, Math.floor(lower.length / 3)) || (lower.length >= 4 && candidate.includes(lower)),
    )
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

/** " Did you mean 'a' or 'b'?" or '' when nothing is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const matches = closeMatches(word, candidates).map((match) => `'${match}'`);
  if (matches.length === 0) return '';
  const list = matches.length === 1 ? matches[0] : `${matches.slice(0, -1).join(', ')} or ${matches.at(-1)}`;
  return ` Did you mean ${list}?`;
}
