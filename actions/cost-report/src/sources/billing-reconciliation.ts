// With a token that can read the organization's billing usage, the gross Actions amount GitHub billed for the same
// repositories and days, beside our estimate from runs and the rate card (list prices: included minutes, discounts
// and self-hosted runners, which GitHub does not bill, make the two differ; the report says by how much). A token
// that cannot read it leaves a note, never a failure.
import type { RepositoryRef } from '#shared/runtime/run-context.js';
import { compileGlob } from '../attribution/glob.js';
import type { OrganizationRepositories } from '../inputs.js';
import { centsText, parseAmountText, roundToCents } from '../money/money.js';
import { DAY_MS, isoDay, type Window } from '../window.js';
import type { ActionsApi } from './github-actions-source.js';

export async function billingReconciliation(
  options: { api: ActionsApi; window: Window; repositories: RepositoryRef[]; organizations?: OrganizationRepositories[] },
  estimatePico: bigint,
): Promise<string[]> {
  const { api, window } = options;
  if (!api.billingUsage) return [];
  const organizations = options.organizations ?? [];
  const named = new Set(options.repositories.map((r) => `${r.owner}/${r.repo}`.toLowerCase()));
  const globs = organizations.map((o) => ({ org: o.org.toLowerCase(), glob: compileGlob(o.names) }));
  // Usage items name the repository as 'org/name' or just 'name'; an item without one (org-wide) counts.
  const covers = (org: string, repositoryName: string | undefined) => {
    if (!repositoryName) return true;
    const name = repositoryName.includes('/') ? repositoryName.slice(repositoryName.indexOf('/') + 1) : repositoryName;
    return named.has(`${org}/${name}`.toLowerCase()) || globs.some((g) => g.org === org.toLowerCase() && g.glob.test(name));
  };
  const months = new Set<string>();
  for (let t = window.start; t < window.end; t += DAY_MS) months.add(isoDay(t).slice(0, 7));
  let billed = 0n;
  for (const org of new Set([...options.repositories.map((r) => r.owner), ...organizations.map((o) => o.org)])) {
    for (const month of months) {
      const items = await api.billingUsage(org, Number(month.slice(0, 4)), Number(month.slice(5, 7)));
      if (!items)
        return [
          `GitHub billing usage of ${org} not readable with this token (it needs the organization's Administration: read permission); no reconciliation with GitHub's bill`,
        ];
      for (const item of items) {
        const t = Date.parse(item.date);
        if (item.product.toLowerCase() !== 'actions' || !(t >= window.start && t < window.end)) continue;
        if (covers(org, item.repositoryName)) billed += parseAmountText(String(item.grossAmount)) ?? 0n;
      }
    }
  }
  const difference = estimatePico - billed;
  return [
    `GitHub billing usage (gross, Actions, same repositories and days): ${centsText(roundToCents(billed))} USD; this estimate differs by ${centsText(roundToCents(difference))} USD`,
  ];
}
