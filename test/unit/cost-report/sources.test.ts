// Sources: FOCUS files read exactly (reference: Python Decimal), GitHub job pricing, OpenCost idle handling,
// tag policy on manifests and Terraform plans.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { focusSource } from '../../../actions/cost-report/src/sources/focus-source.js';
import { CurrencyPolicy } from '../../../actions/cost-report/src/sources/currency.js';
import { billedMinutes, jobCost } from '../../../actions/cost-report/src/sources/github-actions-source.js';
import { defaultRateCard, priceRunner } from '../../../actions/cost-report/src/sources/rate-card.js';
import { allocationLines } from '../../../actions/cost-report/src/sources/opencost-source.js';
import { checkManifests, checkTerraformPlan } from '../../../actions/cost-report/src/tags/tag-policy.js';
import { parseAmountText, toPico } from '../../../actions/cost-report/src/money/money.js';

const reference = JSON.parse(readFileSync('test/fixtures/cost-report/reference.json', 'utf8'));
const SAMPLE = 'examples/cost-report/focus-sample.csv';

async function sum(basis: 'billed' | 'effective') {
  const source = await focusSource({
    files: [SAMPLE],
    basis,
    currency: new CurrencyPolicy(undefined, new Map()),
    batchRows: 7,
    fields: new Set(['service', 'resource']),
    tags: true,
  });
  let total = 0n;
  const byService = new Map<string, bigint>();
  await source.scan((b) => {
    for (let i = 0; i < b.rowCount; i++) {
      const p = toPico(b.micro[i], b.frac[i]);
      total += p;
      const s = b.fields.service![i]!;
      byService.set(s, (byService.get(s) ?? 0n) + p);
    }
  });
  return { total, byService, notes: source.notes };
}

describe('FOCUS source', () => {
  test('sums EffectiveCost and BilledCost exactly as Decimal does', async () => {
    const effective = await sum('effective');
    expect(effective.total).toBe(parseAmountText(reference.effective_total));
    for (const [service, total] of Object.entries(reference.by_service))
      expect(effective.byService.get(service)).toBe(parseAmountText(total as string));
    expect(effective.notes.join(' ')).toMatch(/1 correction line/);
    // The commitment purchase is billed (720) but amortised in EffectiveCost.
    expect((await sum('billed')).total).toBe(parseAmountText(reference.billed_total));
  });
});

describe('GitHub Actions pricing', () => {
  const card = defaultRateCard();
  test('each job is rounded up to the whole minute', () => {
    expect(billedMinutes({ started_at: '2026-11-05T10:00:00Z', completed_at: '2026-11-05T10:00:01Z' })).toBe(1);
    expect(billedMinutes({ started_at: '2026-11-05T10:00:00Z', completed_at: '2026-11-05T10:02:00Z' })).toBe(2);
    expect(billedMinutes({ started_at: '2026-11-05T10:00:00Z', completed_at: '2026-11-05T10:02:00.001Z' })).toBe(3);
    expect(billedMinutes({ started_at: '2026-11-05T10:00:00Z', completed_at: null })).toBe(0);
  });
  test.each([
    [['ubuntu-latest'], 'linux', '0.006'],
    [['windows-2022'], 'windows', '0.010'],
    [['macos-14'], 'macos', '0.062'],
    [['ubuntu-22.04-8core'], 'linux 8-core', '0.022'],
    [['linux-4-cores-gpu'], 'linux GPU', '0.052'],
  ])('GitHub-hosted %j is priced as %s at $%s a minute (2026 list prices)', (labels, basis, rate) => {
    const price = priceRunner(card, labels);
    expect(price.basis).toBe(basis);
    expect(price.perMinute).toBe(parseAmountText(rate));
  });
  test('self-hosted runners cost their label hourly rate plus the platform fee', () => {
    card.selfHostedHourly.set('gpu', parseAmountText('2.40')!);
    const run = { id: 1, path: 'p', head_branch: 'main', head_sha: 's', event: 'push', status: 'completed', created_at: '' };
    const job = {
      id: 2,
      run_id: 1,
      name: 'train',
      labels: ['self-hosted', 'gpu'],
      runner_name: 'r',
      started_at: '2026-11-05T10:00:00Z',
      completed_at: '2026-11-05T10:30:30Z',
      conclusion: 'success',
    };
    const cost = jobCost(card, parseAmountText('0.002')!, run, job);
    expect(cost.minutes).toBe(31);
    expect(cost.pico).toBe(parseAmountText('1.302'));
    expect(cost.gpu).toBe(true);
  });
});

describe('OpenCost', () => {
  const body = JSON.parse(readFileSync('test/fixtures/cost-report/opencost-allocation.json', 'utf8'));
  const currency = () => new CurrencyPolicy('USD', new Map());
  test('idle shared in proportion within cluster and day keeps the total', () => {
    const lines = allocationLines(body, 'oc.json', { idle: 'share', currency: currency(), opencostCurrency: 'USD' });
    expect(lines).toHaveLength(3);
    expect(lines.reduce((a, l) => a + l.pico, 0n)).toBe(parseAmountText('85.01'));
    expect(lines[0].pico).toBe(parseAmountText('32.5')! + parseAmountText('8.133125')!);
  });
  test('idle included stays as namespace __idle__', () => {
    const lines = allocationLines(body, 'oc.json', { idle: 'include', currency: currency(), opencostCurrency: 'USD' });
    expect(lines.filter((l) => l.fields.namespace === '__idle__').map((l) => l.pico)).toEqual([
      parseAmountText('10.01'),
      parseAmountText('4.75'),
    ]);
  });
  test('a response that is not an allocation set is refused', () => {
    expect(() => allocationLines({ code: 200 }, 'oc.json', { idle: 'share', currency: currency(), opencostCurrency: 'USD' })).toThrow(
      /oc\.json:1: not an OpenCost allocation response/,
    );
  });
});

describe('tag policy', () => {
  const required = ['team', 'project', 'model', 'cost-center'];
  test('multi-document manifests: each resource and pod template, at its labels line', () => {
    const text = readFileSync(join('test/fixtures/cost-report/manifests.yaml'), 'utf8');
    const { violations, checked } = checkManifests(text, 'm.yaml', required);
    expect(checked).toBe(3);
    expect(violations.map((v) => [v.resource, v.line, v.missing])).toEqual([
      ['Job/resnet-train', 24, ['model', 'cost-center']],
      ['Job/resnet-train (pod template)', 30, ['project', 'model', 'cost-center']],
    ]);
  });
  test('Terraform plans: tags_all counts provider default tags; untaggable resources are skipped', () => {
    const text = readFileSync('test/fixtures/cost-report/tfplan.json', 'utf8');
    const { violations, checked } = checkTerraformPlan(text, 'plan.json', required);
    expect(checked).toBe(2);
    expect(violations).toEqual([{ file: 'plan.json', line: 5, resource: 'aws_instance.trainer', missing: ['project', 'model'] }]);
  });
});

describe('empty categorical cells', () => {
  test('an empty cell finds its interned entry (FOCUS ChargeClass is empty on nearly every line)', async () => {
    const { ByteInterner } = await import('#shared/data/byte-interner.js');
    const interner = new ByteInterner();
    const empty = new Uint8Array(0);
    for (let i = 0; i < 100_000; i++) expect(interner.lookup(empty, 0, 0)).toBeNull();
    expect(interner.full).toBe(false);
  });
});

describe('quoted JSON tags in CSV', () => {
  test('escaped quoted categories decode once per value and read as written', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { openDataset } = await import('#shared/data/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'quoted-'));
    const file = join(dir, 'tags.csv');
    writeFileSync(file, 'Tags,n\n' + Array.from({ length: 1000 }, (_, i) => `"{""team"":""t${i % 3}""}",${i}`).join('\n') + '\n"""",1\n');
    const ds = await openDataset(file, { columnTypes: { Tags: 'categorical' }, label: 'test' });
    for await (const batch of ds.batches()) {
      const tags = batch.columns[0] as { kind: 'string'; values: (string | null)[] };
      expect(tags.values[0]).toBe('{"team":"t0"}');
      expect(tags.values[4]).toBe('{"team":"t1"}');
      expect(tags.values[1000]).toBe('"');
    }
  });
});
