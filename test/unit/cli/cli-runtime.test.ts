import { DataError } from '#shared/errors.js';
import { cliRuntime, formatProgress, renderMarkdownForTerminal, type TextSink } from '#shared/runtime/cli-runtime.js';
import { runAction } from '#shared/runtime/run-action.js';

class Recorder implements TextSink {
  text = '';
  constructor(readonly isTTY = false) {}
  write(text: string) {
    this.text += text;
    return true;
  }
}

function terminal(inputs: Record<string, string> = {}, tty = false) {
  const stdout = new Recorder();
  const stderr = new Recorder(tty);
  const runtime = cliRuntime({ inputs, stdout, stderr, env: {}, progressIntervalMs: 0 });
  return { runtime, stdout, stderr };
}

describe('the terminal runtime', () => {
  it('reads inputs from flags, trimmed, and empty when absent', () => {
    const { runtime } = terminal({ reference: '  ref.csv ' });
    expect(runtime.getInput('reference')).toBe('ref.csv');
    expect(runtime.getInput('current')).toBe('');
  });

  it('prints the outputs as name=value lines once the run ends, and exits 0', () => {
    const { runtime, stdout } = terminal();
    runtime.setOutput('drift-detected', 'true');
    runtime.setOutput('drifted-columns', '["age","income"]');
    expect(stdout.text).toBe('');
    expect(runtime.finish()).toBe(0);
    expect(stdout.text).toBe('drift-detected=true\ndrifted-columns=["age","income"]\n');
  });

  it('prints a multi-line output in the heredoc form of $GITHUB_OUTPUT', () => {
    const { runtime, stdout } = terminal();
    runtime.setOutput('notes', 'a\nb');
    runtime.finish();
    expect(stdout.text).toBe('notes<<EOF\na\nb\nEOF\n');
  });

  it('masks a secret in logs, summaries, annotations, failures and outputs', async () => {
    const url = 'https://hooks.example.test/services/T000/B000/XXXX';
    const { runtime, stdout, stderr } = terminal();
    runtime.setSecret(url);
    runtime.logger.info(`posting to ${url}`);
    runtime.logger.warning(`retrying ${url}`);
    await runtime.appendSummary(`| hook | ${url} |\n|---|---|`);
    runtime.annotate('warning', `bad ${url}`, { file: 'a.yml', line: 2 });
    runtime.setOutput('hook', url);
    runtime.fail(`could not reach ${url}`);
    runtime.finish();
    const printed = stdout.text + stderr.text;
    expect(printed).not.toContain('hooks.example.test');
    expect(printed.match(/\*\*\*/g)?.length).toBe(6);
  });

  it('masks each line of a multi-line secret on its own', () => {
    const { runtime, stderr } = terminal();
    runtime.setSecret('line-one-secret\nline-two-secret');
    runtime.logger.info('key ends with line-two-secret');
    expect(stderr.text).toBe('key ends with ***\n');
  });

  it('prints annotations as file:line: level: message, with the location only once', () => {
    const { runtime, stderr } = terminal();
    runtime.annotate('warning', 'column age is constant', { file: 'data/ref.csv', line: 12 });
    runtime.annotate('notice', 'no current data', undefined);
    const error = new DataError("expected a number in column 'age'", { file: 'data/ref.csv', line: 3 });
    runtime.annotate('error', error.message, error.location);
    expect(stderr.text.split('\n')).toEqual([
      'data/ref.csv:12: warning: column age is constant',
      'notice: no current data',
      "data/ref.csv:3: error: expected a number in column 'age'",
      '',
    ]);
  });

  it('fails with Error: message on stderr, no stack, and exit code 1', async () => {
    const { runtime, stderr } = terminal();
    await runAction(async () => {
      throw new DataError('not a CSV header', { file: 'x.csv', line: 1 });
    }, runtime);
    expect(runtime.finish()).toBe(1);
    expect(stderr.text).toBe('x.csv:1: error: not a CSV header\nError: x.csv:1: not a CSV header\n');
  });

  it('keeps files local instead of uploading artifacts', async () => {
    const { runtime, stderr } = terminal();
    await expect(runtime.uploadArtifact('drift-report', ['r/a.json'], 'r')).resolves.toBeUndefined();
    expect(stderr.text).toContain("Artifact 'drift-report' is not uploaded");
  });

  it('shows progress on a terminal only, and clears it before the next line', () => {
    const piped = terminal({}, false);
    piped.runtime.progress('reading ref.csv', 5, 10);
    expect(piped.stderr.text).toBe('');

    const tty = terminal({}, true);
    tty.runtime.progress('reading ref.csv', 5, 10);
    expect(tty.stderr.text).toContain('reading ref.csv [############------------] 50% (5/10)');
    tty.runtime.logger.info('done');
    expect(tty.stderr.text.endsWith('\r\x1b[Kdone\n')).toBe(true);
  });

  it('only shows debug lines when RUNNER_DEBUG=1', () => {
    const quiet = terminal();
    quiet.runtime.logger.debug('details');
    expect(quiet.stderr.text).toBe('');
    const stderr = new Recorder();
    cliRuntime({ inputs: {}, stdout: new Recorder(), stderr, env: { RUNNER_DEBUG: '1' } }).logger.debug('details');
    expect(stderr.text).toBe('debug: details\n');
  });
});

describe('the summary in a terminal', () => {
  it('keeps tables with their columns lined up and drops HTML', () => {
    const markdown = [
      '## Drift report',
      '<details><summary>Columns</summary>',
      '',
      '| column | method | drift |',
      '|---|:---:|---|',
      '| age | ks | **yes** |',
      '| income \\| net | psi | no |',
      '</details>',
      'Share: 50% &lt; 60%',
    ].join('\n');
    expect(renderMarkdownForTerminal(markdown)).toBe(
      [
        'Drift report',
        '------------',
        'Columns:',
        '',
        '| column       | method | drift |',
        '|--------------|--------|-------|',
        '| age          | ks     | yes   |',
        '| income | net | psi    | no    |',
        '',
        'Share: 50% < 60%',
      ].join('\n'),
    );
  });

  it('draws a progress bar in proportion', () => {
    expect(formatProgress('rows', 1, 4, 8)).toBe('rows [##------] 25% (1/4)');
    expect(formatProgress('rows', 30, 0)).toBe('rows 30');
  });
});
