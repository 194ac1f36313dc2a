// The static cause finder on small Python programs: each rule at its line, seeds counted wherever they are set,
// strings and comments never mistaken for code, and the ranking by what the runs showed.
import { findCauses, type Observed, type SourceFile } from '../../../actions/repro-verify/src/causes/find-causes.js';
import { entryScripts, importedModules } from '../../../actions/repro-verify/src/causes/entry-points.js';
import { pythonStatements } from '../../../actions/repro-verify/src/causes/python-source.js';

const differs: Observed = { differs: true, pathsChanged: false, gpu: true, env: {} };
const scan = (text: string, observed = differs, more: SourceFile[] = []) => findCauses([{ path: 'train.py', text }, ...more], observed);
const rules = (text: string, observed = differs) =>
  scan(text, observed)
    .findings.map((f) => `${f.rule}@${f.line}`)
    .sort();

describe('the Python reader', () => {
  test('joins bracketed lines, drops comments, blanks strings', () => {
    const s = pythonStatements('x = f(1,\n      2)  # random.random()\ny = "random.random()"\n"""doc\nstring"""\nz = 1; w = 2\n');
    expect(s.map((t) => [t.line, t.code])).toEqual([
      [1, 'x = f(1,       2)'],
      [3, 'y = "               "'],
      [4, '"""   \n      """'],
      [6, 'z = 1'],
      [6, 'w = 2'],
    ]);
    expect(s[1].raw).toBe('y = "random.random()"');
  });
});

describe('rules', () => {
  test('unseeded libraries where they are used', () => {
    const text = [
      'import random',
      'import numpy as np',
      'import torch',
      'import tensorflow as tf',
      'import jax',
      'x = random.random()',
      'y = np.random.rand(3)',
      'z = torch.randn(3)',
      'w = tf.random.normal([3])',
      'k = jax.random.normal(key, (3,))',
    ].join('\n');
    expect(rules(text)).toEqual(['unseeded-jax@10', 'unseeded-numpy@7', 'unseeded-random@6', 'unseeded-tensorflow@9', 'unseeded-torch@8']);
  });

  test('seeds anywhere in the scanned files count; seeding from the clock does not', () => {
    const text = 'import random\nimport numpy as np\nfrom utils import seed_all\nseed_all()\nx = random.random()\ny = np.random.rand(2)\n';
    const utils = {
      path: 'utils.py',
      text: 'import random\nimport numpy as np\ndef seed_all():\n    random.seed(0)\n    np.random.seed(0)\n',
    };
    expect(scan(text, differs, [utils]).findings).toEqual([]);
    expect(rules('import random, time\nrandom.seed(time.time())\nx = random.random()\n')).toEqual(['clock-seed@2']);
  });

  test('an unseeded default_rng() is flagged, a seeded one is not', () => {
    expect(rules('import numpy as np\nrng = np.random.default_rng()\n')).toEqual(['unseeded-numpy@2']);
    expect(rules('import numpy as np\nrng = np.random.default_rng(42)\nx = rng.normal()\n')).toEqual([]);
  });

  test('cudnn.benchmark = True and GPU training without deterministic algorithms', () => {
    const text = 'import torch\ntorch.manual_seed(0)\ntorch.backends.cudnn.benchmark = True\nmodel = Net().to("cuda")\n';
    expect(rules(text)).toEqual(['cudnn-benchmark@3', 'no-deterministic-algorithms@4']);
    const scanned = scan(text);
    expect(scanned.cudnnBenchmark).toBe('train.py:3');
    const fixed = 'import torch\ntorch.manual_seed(0)\ntorch.use_deterministic_algorithms(True)\nmodel = Net().cuda()\n';
    expect(rules(fixed)).toEqual(['cublas-workspace@3']);
    expect(scan(fixed, { ...differs, env: { CUBLAS_WORKSPACE_CONFIG: ':4096:8' } }).findings).toEqual([]);
    expect(rules('import tensorflow as tf\ntf.random.set_seed(1)\nwith tf.device("/GPU:0"):\n    pass\n')).toEqual([
      'no-deterministic-algorithms@3',
    ]);
    expect(
      rules(
        'import tensorflow as tf\ntf.random.set_seed(1)\ntf.config.experimental.enable_op_determinism()\nwith tf.device("/GPU:0"):\n    pass\n',
      ),
    ).toEqual([]);
  });

  test('DataLoader with workers and no worker_init_fn or generator, over several lines', () => {
    const text =
      'from torch.utils.data import DataLoader\nimport torch\ntorch.manual_seed(0)\nloader = DataLoader(\n    ds,\n    shuffle=True,\n    num_workers=4,\n)\nok = DataLoader(ds, num_workers=4, generator=g)\nzero = DataLoader(ds, num_workers=0)\n';
    expect(rules(text)).toEqual(['dataloader-workers@4']);
  });

  test('iterating a set, not a dict or sorted set', () => {
    const text = [
      'labels = {"cat", "dog"}',
      'for l in labels:',
      '    print(l)',
      'for k in {"a": 1}:',
      '    pass',
      'for l in sorted(labels):',
      '    pass',
      'names = list(set(words))',
      'order = list(labels)',
      'for w in set(words):',
      '    pass',
    ].join('\n');
    expect(rules(text)).toEqual(['set-iteration@10', 'set-iteration@2', 'set-iteration@9']);
  });

  test('timestamps and uuids in output paths, directly or through a variable', () => {
    const text = [
      'import datetime, uuid, json',
      'stamp = datetime.datetime.now().strftime("%Y%m%d")',
      'out_dir = f"runs/{stamp}"',
      'with open(f"{out_dir}/metrics.json", "w") as f:',
      '    json.dump(m, f)',
      'torch.save(model, f"model-{uuid.uuid4()}.pt")',
      'print(datetime.datetime.now())',
    ].join('\n');
    expect(rules(text)).toEqual(['timestamp-in-path@4', 'timestamp-in-path@6']);
  });

  test('comments and strings are not code', () => {
    expect(rules('# torch.backends.cudnn.benchmark = True\nprint("for x in set(y):")\n')).toEqual([]);
  });
});

describe('ranking', () => {
  const text =
    'import random\nimport torch\ntorch.manual_seed(0)\ntorch.backends.cudnn.benchmark = True\nx = random.random()\nlabels = {"a", "b"}\nfor l in labels:\n    pass\nopen(f"out-{uuid.uuid4()}.txt", "w")\n';
  test('names that change between runs put the timestamp first', () => {
    const found = scan(text, { ...differs, pathsChanged: true }).findings;
    expect(found[0]).toMatchObject({ rule: 'timestamp-in-path', rank: 1, likelihood: 0.97 });
    expect(found.map((f) => f.rank)).toEqual([1, 2, 3, 4]);
  });
  test('without a GPU the cuDNN flag ranks low; with PYTHONHASHSEED fixed, set order ranks lower still', () => {
    const found = scan(text, { differs: true, pathsChanged: false, gpu: false, env: { PYTHONHASHSEED: '0' } }).findings;
    expect(found.map((f) => f.rule)).toEqual(['unseeded-random', 'timestamp-in-path', 'cudnn-benchmark', 'set-iteration']);
  });
  test('when everything reproduced, findings stay as advice with lower likelihood', () => {
    const found = scan(text, { differs: false, pathsChanged: false, gpu: true, env: {} }).findings;
    expect(Math.max(...found.map((f) => f.likelihood))).toBeLessThan(0.3);
  });
});

describe('which files a command runs', () => {
  test('scripts and modules named in the command', () => {
    expect(entryScripts('python3 src/train.py --epochs 3 && python -u -m pkg.evaluate')).toEqual([
      'src/train.py',
      'pkg/evaluate.py',
      'pkg/evaluate/__main__.py',
    ]);
  });
  test('local imports, absolute and relative', () => {
    const { absolute, relative } = importedModules(
      'import utils.seeding as s, json\nfrom models import net\nfrom . import data\nfrom ..common import helpers\n',
    );
    expect(absolute).toEqual(expect.arrayContaining(['utils/seeding.py', 'json.py', 'models.py', 'models/net.py']));
    expect(relative).toEqual(expect.arrayContaining(['data.py', '../common.py', '../common/helpers.py']));
  });
});
