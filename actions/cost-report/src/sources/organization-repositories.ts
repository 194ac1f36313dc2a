// The repositories a report covers: those named one by one, then each named organization's repositories whose name
// matches its glob ('octo-org/*', 'octo-org/ml-*'). Archived repositories are left out: they cannot run workflows
// now, and an organization keeps many; one archived within the window is still costed when it is named.
import type { RepositoryRef } from '#shared/runtime/run-context.js';
import { compileGlob } from '../attribution/glob.js';
import type { OrganizationRepositories } from '../inputs.js';
import type { ActionsApi } from './github-actions-source.js';
import type { Limiter } from './request-limiter.js';

export interface ResolvedRepositories {
  repositories: RepositoryRef[];
  notes: string[];
}

export async function resolveRepositories(
  api: ActionsApi,
  named: RepositoryRef[],
  organizations: OrganizationRepositories[],
  limit: Limiter,
): Promise<ResolvedRepositories> {
  const seen = new Set<string>();
  const repositories: RepositoryRef[] = [];
  const add = (r: RepositoryRef) => {
    const key = `${r.owner}/${r.repo}`.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    repositories.push(r);
  };
  named.forEach(add);
  const notes: string[] = [];
  if (organizations.length > 0 && !api.listOrganizationRepositories)
    throw new Error('this GitHub adapter cannot list an organization’s repositories');
  const listed = await Promise.all(organizations.map((o) => limit(() => api.listOrganizationRepositories!(o.org))));
  organizations.forEach((o, index) => {
    const glob = compileGlob(o.names);
    const matching = listed[index].filter((r) => glob.test(r.name));
    const active = matching.filter((r) => !r.archived).sort((a, b) => a.name.localeCompare(b.name));
    active.forEach((r) => add({ owner: o.org, repo: r.name }));
    notes.push(
      `${o.org}/${o.names}: ${active.length} repositor${active.length === 1 ? 'y' : 'ies'}` +
        (matching.length > active.length ? ` (${matching.length - active.length} archived left out)` : ''),
    );
  });
  return { repositories, notes };
}
