// Licence expressions (SPDX, parsed by spdx-expression-parse) judged against allow and deny lists: an OR is
// acceptable when one branch is, an AND when every part is; a denied licence taints an AND, and an OR only when
// every branch is denied.
import parseSpdx from 'spdx-expression-parse';

type SpdxNode = { license: string; plus?: boolean; exception?: string } | { left: SpdxNode; conjunction: 'and' | 'or'; right: SpdxNode };

export type LicenceVerdict = { ok: true } | { ok: false; why: string } | { ok: 'unknown'; why: string };

export function judgeLicence(expression: string, allow: string[], deny: string[]): LicenceVerdict {
  let tree: SpdxNode;
  try {
    tree = parseSpdx(expression) as SpdxNode;
  } catch {
    return { ok: 'unknown', why: `'${expression}' is not an SPDX licence expression` };
  }
  const allowSet = new Set(allow.map((l) => l.toLowerCase()));
  const denySet = new Set(deny.map((l) => l.toLowerCase()));
  const denied = (n: SpdxNode): boolean =>
    'license' in n
      ? denySet.has(n.license.toLowerCase())
      : n.conjunction === 'and'
        ? denied(n.left) || denied(n.right)
        : denied(n.left) && denied(n.right);
  const allowed = (n: SpdxNode): boolean =>
    'license' in n
      ? allowSet.has(n.license.toLowerCase())
      : n.conjunction === 'and'
        ? allowed(n.left) && allowed(n.right)
        : allowed(n.left) || allowed(n.right);
  if (denied(tree)) return { ok: false, why: `licence '${expression}' is denied by the policy` };
  if (allowSet.size > 0 && !allowed(tree)) return { ok: false, why: `licence '${expression}' is not in the policy's allow list` };
  return { ok: true };
}
