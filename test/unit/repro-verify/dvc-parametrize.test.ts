// dvc.yaml's foreach and matrix stages expanded as DVC does, so that each generated stage (`build@us`,
// `train@cnn-feature1`) is compared with its own dvc.lock entry. The rules are DVC's own, from
// https://github.com/iterative/dvc/blob/9f901e57a20889bd08f91479cd326c3b7f80d037/dvc/parsing/__init__.py
// (ForeachDefinition.normalized_iterable: a list of primitives is keyed by to_str(value), a list holding a mapping or
// a list by index, a mapping by key; MatrixDefinition.normalized_iterable: itertools.product, fragments to_str(value)
// or f"{dim}{index}" for composite values, joined with '-'; JOIN = '@'), dvc/parsing/interpolate.py (KEYCRE,
// to_str, validate_value, is_exact_string) and dvc/parsing/context.py (load_from_vars with params.yaml by default,
// merge_update refusing a redefinition). Examples follow DVC's docs ("dvc.yaml: foreach stages", "matrix"), and every
// folder of test/fixtures/repro-verify/dvc-parametrize/ is compared with what DVC's own DataResolver made of it
// (expected.json, written by dvc_parametrize_reference.py beside it from DVC's source at that commit).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { readPipeline } from '../../../actions/repro-verify/src/dvc/dvc-files.js';
import { checkDvcPipeline, dvcStatusText } from '../../../actions/repro-verify/src/dvc/dvc-status.js';
import { expandStages, toStr } from '../../../actions/repro-verify/src/dvc/dvc-parametrize.js';
import { plainValues, PyFloat, PY_FLOAT_SCHEMA, pythonFloatRepr } from '../../../actions/repro-verify/src/dvc/python-values.js';
import { REPO_ROOT } from '../../support/run-built-action.js';

function pipeline(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dvc-param-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
const stagesOf = async (files: Record<string, string>) => readPipeline(join(pipeline(files), 'dvc.yaml'));
const names = async (files: Record<string, string>) => (await stagesOf(files)).map((s) => s.name);

test("floats are written as Python's str() writes them (checked against python3)", () => {
  const values = [
    0.1,
    1,
    100,
    1e-5,
    1.5e-5,
    0.0001,
    0.00012,
    1e15,
    1e16,
    123456789.123,
    2.5e-10,
    -0.5,
    1e22,
    1 / 3,
    5e-324,
    1.7976931348623157e308,
    -0,
  ];
  const python = execFileSync(
    'python3',
    ['-c', 'import json,sys; print("\\n".join(repr(float(v)) for v in json.loads(sys.argv[1])))', JSON.stringify(values)],
    {
      encoding: 'utf8',
    },
  )
    .trim()
    .split('\n');
  // JSON has no -0: Python reads it as 0.0; ours is checked on its own below.
  expect(values.map(pythonFloatRepr)).toEqual([...python.slice(0, -1), '-0.0']);
  expect(toStr(new PyFloat(1))).toBe('1.0');
  expect(toStr(1)).toBe('1');
  expect(toStr(true)).toBe('true');
  expect(toStr(null)).toBe('None');
});

describe("the same expansion as DVC's DataResolver", () => {
  const cases = join(REPO_ROOT, 'test/fixtures/repro-verify/dvc-parametrize');
  const expected = JSON.parse(readFileSync(join(cases, 'expected.json'), 'utf8')) as Record<
    string,
    { stages?: { name: string; definition: unknown }[]; error?: string }
  >;
  const expand = async (dir: string) => {
    const file = join(dir, 'dvc.yaml');
    const text = readFileSync(file, 'utf8');
    const doc = loadYaml(text, { schema: PY_FLOAT_SCHEMA }) as { stages: Record<string, unknown>; vars?: unknown };
    return (await expandStages(doc.stages, doc.vars, { file: 'dvc.yaml', text, dir })).map((s) => ({
      name: s.name,
      definition: plainValues(s.definition),
    }));
  };
  test.each(Object.keys(expected).filter((c) => expected[c].stages))('%s', async (name) => {
    expect(await expand(join(cases, name))).toEqual(expected[name].stages);
  });
  test.each(Object.keys(expected).filter((c) => expected[c].error))("%s fails with DVC's message, at its line", async (name) => {
    const error = await expand(join(cases, name)).then(
      () => undefined,
      (e: Error) => e,
    );
    const dvc = expected[name].error!.replace(/^ResolveError: /, '').replace(/:\n/, ': ');
    expect(error?.message.replace(/^dvc\.yaml(:\d+)?: /, '')).toBe(dvc);
  });
});

describe('foreach', () => {
  test('a list of values: one stage per value, named build@<value>, ${item} in the template', async () => {
    const stages = await stagesOf({
      'dvc.yaml': [
        'stages:',
        '  build:',
        '    foreach: [uk, us]',
        '    do:',
        '      cmd: python train.py ${item}',
        '      outs:',
        '        - model-${item}.pkl',
        '',
      ].join('\n'),
    });
    expect(stages.map((s) => [s.name, s.cmd, s.outs])).toEqual([
      ['build@uk', 'python train.py uk', ['model-uk.pkl']],
      ['build@us', 'python train.py us', ['model-us.pkl']],
    ]);
  });

  test('a mapping: named by key, ${key} and ${item.field}', async () => {
    const stages = await stagesOf({
      'dvc.yaml': `
stages:
  build:
    foreach:
      uk:
        epochs: 3
        thresh: 10
      us:
        epochs: 10
        thresh: 15
    do:
      cmd: python train.py '\${key}' \${item.epochs} \${item.thresh}
      outs:
        - model-\${key}.hdf5
`,
    });
    expect(stages.map((s) => [s.name, s.cmd, s.outs[0]])).toEqual([
      ['build@uk', "python train.py 'uk' 3 10", 'model-uk.hdf5'],
      ['build@us', "python train.py 'us' 10 15", 'model-us.hdf5'],
    ]);
  });

  test('a list holding mappings is named by index; floats and booleans as Python writes them', async () => {
    const stages = await stagesOf({
      'dvc.yaml': `
stages:
  train:
    foreach:
      - {lr: 1.0, fast: true}
      - {lr: 1e-05, fast: false}
    do:
      cmd: python train.py --lr \${item.lr} --fast \${item.fast}
  evaluate:
    foreach: [0.5, 1.0, 2]
    do:
      cmd: python eval.py \${item}
`,
    });
    expect(stages.map((s) => [s.name, s.cmd])).toEqual([
      ['train@0', 'python train.py --lr 1.0 --fast true'],
      ['train@1', 'python train.py --lr 1e-05 --fast false'],
      ['evaluate@0.5', 'python eval.py 0.5'],
      ['evaluate@1.0', 'python eval.py 1.0'],
      ['evaluate@2', 'python eval.py 2'],
    ]);
  });

  test('over ${...} from params.yaml (loaded by default) and from vars files and mappings', async () => {
    const files = {
      'params.yaml': 'datasets: [train, test]\nthreshold: 0.5\n',
      'config/regions.yaml': 'regions:\n  eu: {bucket: s3://eu}\n  us: {bucket: s3://us}\nunused: 1\n',
      'dvc.yaml': `
vars:
  - config/regions.yaml:regions
  - prefix: data
stages:
  prepare:
    foreach: \${datasets}
    do:
      cmd: python prepare.py \${prefix}/\${item}.csv --threshold \${threshold}
      deps:
        - \${prefix}/\${item}.csv
  upload:
    foreach: \${regions}
    do:
      cmd: aws s3 sync out \${item.bucket}/\${key}
`,
    };
    expect((await stagesOf(files)).map((s) => [s.name, s.cmd, s.deps])).toEqual([
      ['prepare@train', 'python prepare.py data/train.csv --threshold 0.5', ['data/train.csv']],
      ['prepare@test', 'python prepare.py data/test.csv --threshold 0.5', ['data/test.csv']],
      ['upload@eu', 'aws s3 sync out s3://eu/eu', []],
      ['upload@us', 'aws s3 sync out s3://us/us', []],
    ]);
  });
});

describe('matrix', () => {
  test("DVC's docs example: the product, the last list varying fastest, named train@<model>-<feature>", async () => {
    const stages = await stagesOf({
      'dvc.yaml': `
stages:
  train:
    matrix:
      model: [cnn, xgb]
      feature: [feature1, feature2, feature3]
    cmd: ./train.py --feature \${item.feature} \${item.model}
    outs:
      - \${item.model}-\${item.feature}.pkl
`,
    });
    expect(stages.map((s) => s.name)).toEqual([
      'train@cnn-feature1',
      'train@cnn-feature2',
      'train@cnn-feature3',
      'train@xgb-feature1',
      'train@xgb-feature2',
      'train@xgb-feature3',
    ]);
    expect(stages[4]).toMatchObject({ cmd: './train.py --feature feature2 xgb', outs: ['xgb-feature2.pkl'] });
  });

  test('composite values are named <dim><index>; values from vars; ${key} is the joined name', async () => {
    const stages = await stagesOf({
      'params.yaml': 'lrs: [0.1, 1.0]\n',
      'dvc.yaml': `
stages:
  fit:
    matrix:
      model:
        - {name: cnn, layers: 3}
        - {name: rnn, layers: 2}
      lr: \${lrs}
    cmd: python fit.py \${item.model.name} \${item.lr} > logs/\${key}.txt
`,
    });
    expect(stages.map((s) => [s.name, s.cmd])).toEqual([
      ['fit@model0-0.1', 'python fit.py cnn 0.1 > logs/model0-0.1.txt'],
      ['fit@model0-1.0', 'python fit.py cnn 1.0 > logs/model0-1.0.txt'],
      ['fit@model1-0.1', 'python fit.py rnn 0.1 > logs/model1-0.1.txt'],
      ['fit@model1-1.0', 'python fit.py rnn 1.0 > logs/model1-1.0.txt'],
    ]);
  });
});

describe('interpolation', () => {
  test('a mapping in cmd becomes flags; \\${ stays literal; a stage without templating is unchanged', async () => {
    const stages = await stagesOf({
      'params.yaml': 'train:\n  epochs: 10\n  lr: 0.1\n  augment: true\n  dropout: false\n  name: my run\n  layers: [64, 32]\n',
      'dvc.yaml': `
stages:
  train:
    cmd: python train.py \${train}
  echo:
    cmd: echo '\\\${HOME}' \${train.layers[1]}
  plain:
    cmd: python plain.py
    deps: [plain.py]
`,
    });
    expect(stages.map((s) => s.cmd)).toEqual([
      "python train.py --epochs 10 --lr 0.1 --augment --name 'my run' --layers 64 32",
      "echo '${HOME}' 32",
      'python plain.py',
    ]);
  });

  test("a stage's own vars, relative to its wdir", async () => {
    const stages = await stagesOf({
      'models/cnn/hparams.yaml': 'depth: 4\n',
      'dvc.yaml': 'stages:\n  cnn:\n    wdir: models/cnn\n    vars: [hparams.yaml]\n    cmd: python train.py --depth ${depth}\n',
    });
    expect(stages[0]).toMatchObject({ name: 'cnn', wdir: 'models/cnn', cmd: 'python train.py --depth 4' });
  });
});

describe('bad templating: clear messages at dvc.yaml:line', () => {
  const fails = async (files: Record<string, string>) => {
    const dir = pipeline(files);
    const error = await readPipeline(join(dir, 'dvc.yaml')).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeDefined();
    return error!.message.replace(`${dir}/`, '');
  };
  const build = (cmd: string) =>
    ['stages:', '  build:', '    foreach: [uk, us]', '    do:', '      deps: [data.csv]', `      cmd: ${cmd}`, ''].join('\n');

  test('a key the context does not have, named with its generated stage', async () => {
    expect(await fails({ 'dvc.yaml': build('python train.py ${item.nme}') })).toBe(
      "dvc.yaml:6: failed to parse 'stages.build@uk.cmd' in 'dvc.yaml': Could not find 'item.nme'",
    );
  });

  test('a list inside a string, an empty expression', async () => {
    expect(await fails({ 'params.yaml': 'sizes: [1, 2]\n', 'dvc.yaml': build('python train.py ${sizes}') })).toBe(
      "dvc.yaml:6: failed to parse 'stages.build@uk.cmd' in 'dvc.yaml': Cannot interpolate data of type 'list'",
    );
    expect(await fails({ 'dvc.yaml': build('python train.py ${}') })).toMatch(/^dvc\.yaml:6: .*'\$\{\}' is not a valid expression/);
  });

  test('foreach without do, over a string, beside other keys; a matrix that is no mapping of lists', async () => {
    expect(await fails({ 'dvc.yaml': 'stages:\n  a:\n    cmd: x\n  build:\n    foreach: [uk]\n    cmd: x ${item}\n' })).toBe(
      "dvc.yaml:5: foreach stage 'build' needs a 'do' mapping: the stage each item becomes",
    );
    expect(
      await fails({ 'params.yaml': 'region: uk\n', 'dvc.yaml': 'stages:\n  build:\n    foreach: ${region}\n    do:\n      cmd: x\n' }),
    ).toBe("dvc.yaml:3: failed to resolve 'stages.build.foreach' in 'dvc.yaml': expected list/dictionary, got str");
    expect(await fails({ 'dvc.yaml': 'stages:\n  build:\n    foreach: [uk]\n    do:\n      cmd: x\n    wdir: sub\n' })).toBe(
      "dvc.yaml:6: foreach stage 'build' has 'wdir' beside foreach and do: move it into 'do'",
    );
    expect(await fails({ 'dvc.yaml': 'stages:\n  train:\n    matrix:\n      model: cnn\n    cmd: x\n' })).toBe(
      "dvc.yaml:4: failed to resolve 'stages.train.matrix.model' in 'dvc.yaml': expected a list, got str",
    );
  });

  test('vars: a missing file, a redefined value, interpolation inside vars, a TOML file', async () => {
    expect(await fails({ 'dvc.yaml': 'vars: [missing.yaml]\nstages:\n  a:\n    cmd: x\n' })).toBe(
      "dvc.yaml: failed to parse 'vars' in 'dvc.yaml': 'missing.yaml' does not exist",
    );
    expect(await fails({ 'params.yaml': 'seed: 1\n', 'dvc.yaml': 'vars:\n  - seed: 2\nstages:\n  a:\n    cmd: x\n' })).toBe(
      "dvc.yaml: failed to parse 'vars' in 'dvc.yaml': cannot redefine 'seed' from 'vars[0]' as it already exists in 'params.yaml'",
    );
    expect(await fails({ 'dvc.yaml': 'vars:\n  - a: ${b}\nstages:\n  a:\n    cmd: x\n' })).toBe(
      "dvc.yaml: failed to parse 'vars' in 'dvc.yaml': interpolating is not allowed",
    );
    expect(await fails({ 'p.toml': 'a = 1\n', 'dvc.yaml': 'stages:\n  a:\n    vars: [p.toml]\n    cmd: x\n' })).toBe(
      "dvc.yaml:3: failed to parse 'stages.a.vars' in 'dvc.yaml': 'p.toml': vars from .toml and .py files are not supported here (use YAML or JSON)",
    );
  });
});

describe('checked against dvc.lock under the generated names', () => {
  // DVC 3 (`hash: md5`) records a file's md5 as the md5 of its bytes (dvc-data's HashFile with the raw md5 algorithm).
  const md5 = (dir: string, path: string) =>
    createHash('md5')
      .update(readFileSync(join(dir, path)))
      .digest('hex');
  const files = {
    'params.yaml': 'regions: [uk, us]\n',
    'data/uk.csv': 'a,b\n1,2\n',
    'data/us.csv': 'a,b\n3,4\n',
    'model-cnn-0.1.txt': 'cnn 0.1\n',
    'model-cnn-1.0.txt': 'cnn 1.0\n',
    'dvc.yaml': `
stages:
  prepare:
    foreach: \${regions}
    do:
      cmd: python prepare.py \${item}
      deps:
        - data/\${item}.csv
  train:
    matrix:
      model: [cnn]
      lr: [0.1, 1.0]
    cmd: python train.py \${item.model} \${item.lr}
    outs:
      - model-\${item.model}-\${item.lr}.txt
`,
  };
  const lock = (dir: string) => {
    const entry = (path: string) =>
      `      - path: ${path}\n        hash: md5\n        md5: ${md5(dir, path)}\n        size: ${readFileSync(join(dir, path)).length}\n`;
    const stage = (name: string, cmd: string, deps: string[], outs: string[]) =>
      `  ${name}:\n    cmd: ${cmd}\n` +
      (deps.length ? `    deps:\n${deps.map(entry).join('')}` : '') +
      (outs.length ? `    outs:\n${outs.map(entry).join('')}` : '');
    return (
      'schema: "2.0"\nstages:\n' +
      stage('prepare@uk', 'python prepare.py uk', ['data/uk.csv'], []) +
      stage('prepare@us', 'python prepare.py us', ['data/us.csv'], []) +
      stage('train@cnn-0.1', 'python train.py cnn 0.1', [], ['model-cnn-0.1.txt']) +
      stage('train@cnn-1.0', 'python train.py cnn 1.0', [], ['model-cnn-1.0.txt'])
    );
  };

  test('every generated stage matches its own entry; a change is reported under its generated name', async () => {
    const dir = pipeline(files);
    writeFileSync(join(dir, 'dvc.lock'), lock(dir));
    const clean = await checkDvcPipeline(dir);
    expect(clean.stages.map((s) => s.stage)).toEqual(['prepare@uk', 'prepare@us', 'train@cnn-0.1', 'train@cnn-1.0']);
    expect(dvcStatusText(clean)).toBe('Data and pipelines are up to date.');

    writeFileSync(join(dir, 'data/us.csv'), 'a,b\n3,5\n');
    writeFileSync(join(dir, 'model-cnn-1.0.txt'), 'cnn 1.0 retrained\n');
    expect(dvcStatusText(await checkDvcPipeline(dir))).toBe(
      [
        'prepare@us:',
        '\tchanged deps:',
        '\t\tmodified:           data/us.csv',
        'train@cnn-1.0:',
        '\tchanged outs:',
        '\t\tmodified:           model-cnn-1.0.txt',
      ].join('\n'),
    );
  });

  test('a new item in params.yaml is a stage dvc.lock has never seen', async () => {
    const dir = pipeline(files);
    writeFileSync(join(dir, 'dvc.lock'), lock(dir));
    writeFileSync(join(dir, 'params.yaml'), 'regions: [uk, us, fr]\n');
    writeFileSync(join(dir, 'data/fr.csv'), 'a,b\n');
    const check = await checkDvcPipeline(dir);
    expect(check.stages.find((s) => s.stage === 'prepare@fr')!.deps).toEqual([
      expect.objectContaining({ path: 'data/fr.csv', status: 'modified', expected: undefined }),
    ]);
    expect(check.changed).toBe(1);
  });
});

test('a mapping of plain values: named by key, with ${key} and ${item} both set', async () => {
  expect(await names({ 'dvc.yaml': 'stages:\n  s:\n    foreach: {a: 1, b: 2}\n    do:\n      cmd: echo ${key}=${item}\n' })).toEqual([
    's@a',
    's@b',
  ]);
});
