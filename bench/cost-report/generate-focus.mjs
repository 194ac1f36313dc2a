// The cost-report benchmark's inputs: a FOCUS 1.2-style CSV of N lines (30 days of October 2026; 12 services, 20
// accounts, 20,000 resources, tags on most lines, amounts with 4 to 10 decimals) and a 50-rule attribution file
// (tag equalities, service + model globs, account + resource globs, regions, 3 shared pools). Seeded: the same
// bytes every time.
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { mulberry32 } from '../generate-data.mjs';

export const SERVICES = [
  'Amazon SageMaker',
  'Amazon EC2',
  'Amazon S3',
  'Amazon EKS',
  'AWS Lambda',
  'Amazon RDS',
  'Amazon CloudWatch',
  'AWS Glue',
  'Amazon Athena',
  'Amazon ECR',
  'Amazon DynamoDB',
  'AWS Support',
];
const CATEGORIES = [
  'AI and Machine Learning',
  'Compute',
  'Storage',
  'Compute',
  'Compute',
  'Databases',
  'Management and Governance',
  'Analytics',
  'Analytics',
  'Storage',
  'Databases',
  'Management and Governance',
];
const KINDS = [
  'training-job',
  'instance',
  'bucket',
  'cluster',
  'function',
  'db',
  'log-group',
  'job',
  'workgroup',
  'repository',
  'table',
  'case',
];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1'];
export const ACCOUNTS = Array.from({ length: 20 }, (_, i) => String(100000000000 + i * 7919));
export const TEAMS = Array.from({ length: 10 }, (_, i) => `team-${i}`);
export const MODELS = Array.from({ length: 20 }, (_, i) => `model-${i}`);
export const PROJECTS = Array.from({ length: 8 }, (_, i) => `project-${i}`);

export const HEADER =
  'BilledCost,EffectiveCost,BillingCurrency,ChargeCategory,ChargeClass,ChargePeriodStart,ServiceName,ServiceCategory,SubAccountId,ResourceId,RegionId,ProviderName,Tags';

export async function writeFocusCsv(path, lines) {
  const random = mulberry32(20261031);
  const out = createWriteStream(path);
  out.write(HEADER + '\n');
  const days = Array.from({ length: 30 }, (_, d) => `2026-10-${String(d + 1).padStart(2, '0')}T00:00:00Z`);
  // 20,000 resources, each with a fixed service, account, region and tags.
  const resources = Array.from({ length: 20000 }, (_, r) => {
    const s = Math.floor(random() * SERVICES.length);
    const account = ACCOUNTS[Math.floor(random() * ACCOUNTS.length)];
    const region = REGIONS[Math.floor(random() * REGIONS.length)];
    const tagged = random();
    const tags =
      tagged < 0.15
        ? ''
        : `"{""team"":""${TEAMS[Math.floor(random() * TEAMS.length)]}""${tagged < 0.7 ? `,""model"":""${MODELS[Math.floor(random() * MODELS.length)]}-v${1 + Math.floor(random() * 3)}""` : ''},""project"":""${PROJECTS[Math.floor(random() * PROJECTS.length)]}""}"`;
    const id = `arn:aws:${KINDS[s]}:${region}:${account}:${KINDS[s]}/r-${r}`;
    return `${SERVICES[s]},${CATEGORIES[s]},${account},${id},${region},AWS,${tags}`;
  });
  let chunk = '';
  for (let i = 0; i < lines; i++) {
    const decimals = 4 + Math.floor(random() * 7);
    const cost = (random() * random() * 50).toFixed(decimals);
    const correction = i % 10007 === 0;
    chunk += `${cost},${cost},USD,Usage,${correction ? 'Correction' : ''},${days[i % 30]},${resources[Math.floor(random() * resources.length)]}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.write(chunk);
  out.end();
  await once(out, 'finish');
}

/** 50 rules: what a platform team's file looks like after a year. */
export function rulesYaml() {
  const lines = ['rules:'];
  const rule = (match, target) =>
    lines.push(
      `  - match: { ${Object.entries(match)
        .map(([k, v]) => `${k}: "${v}"`)
        .join(', ')} }`,
      ...Object.entries(target).map(([k, v]) => `    ${k}: ${v}`),
    );
  for (let i = 0; i < 20; i++)
    rule({ service: SERVICES[i % 4], 'tag.model': `${MODELS[i]}-*` }, { team: TEAMS[i % 10], project: PROJECTS[i % 8], model: MODELS[i] });
  for (let i = 0; i < 10; i++)
    rule(
      { account: ACCOUNTS[i], resource: `arn:aws:instance:*:${ACCOUNTS[i]}:instance/r-1*` },
      { team: TEAMS[(i + 3) % 10], project: 'batch-inference' },
    );
  rule({ resource: 'arn:aws:cluster:*' }, { shared: 'gpu-cluster' });
  rule({ service: 'Amazon S3', 'tag.project': 'project-0' }, { shared: 'feature-store' });
  rule({ service: 'AWS Support' }, { shared: 'support' });
  for (let i = 0; i < 10; i++) rule({ 'tag.team': TEAMS[i] }, { team: TEAMS[i] });
  for (let i = 0; i < 5; i++)
    rule(
      { region: ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1'][i], service: SERVICES[4 + i] },
      { team: 'platform', project: `region-${i}` },
    );
  rule({ 'service-category': 'Databases' }, { team: 'platform', project: 'databases' });
  rule({ account: ACCOUNTS[19] }, { team: 'research' });
  lines.push(
    'shared:',
    '  gpu-cluster: { split: proportional, by: team }',
    '  feature-store: { split: weights, by: team, weights: { team-0: 3, team-1: 1 } }',
    '  support: { split: even, by: team }',
  );
  return lines.join('\n') + '\n';
}

export async function writeRules(path) {
  await writeFile(path, rulesYaml());
}
