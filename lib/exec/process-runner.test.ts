import { describe, expect, it } from 'vitest';
import { ExecError } from './exec-error.js';
import { exitStatus } from './exit-status.js';
import { ProcessRunner } from './process-runner.js';

const runner = new ProcessRunner();
const failure = (p: Promise<unknown>): Promise<ExecError> => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => {
  if (!(e instanceof ExecError)) throw e;
  return e;
});

describe('ProcessRunner', () => {
  it('resolves with the output of a zero exit', async () => {
    expect(await runner.run('sh', ['-c', 'echo out; echo err >&2'])).toEqual({ stdout: 'out\n', stderr: 'err\n', code: 0 });
  });

  it('feeds input on stdin, and /dev/null without it', async () => {
    expect((await runner.run('cat', [], { input: 'a\nb\n' })).stdout).toBe('a\nb\n');
    expect((await runner.run('cat', [])).stdout).toBe('');
  });

  it('adds env to the inherited environment, with LC_ALL=C', async () => {
    const r = await new ProcessRunner({ env: { A: '1' } }).run('sh', ['-c', 'echo "$A $B $LC_ALL ${PATH:+path}"'], { env: { B: '2' } });
    expect(r.stdout).toBe('1 2 C path\n');
  });

  it('rejects a non-zero exit with the command, exit code and output', async () => {
    const e = await failure(runner.run('sh', ['-c', 'echo partial; echo one >&2; echo two >&2; exit 3']));
    expect(e).toMatchObject({ code: 'ExitCode', command: 'sh -c echo partial; echo one >&2; echo two >&2; exit 3', exitCode: 3, stdout: 'partial\n', stderr: 'one\ntwo\n' });
    expect(e.message).toBe('run sh -c echo partial; echo one >&2; echo two >&2; exit 3: one; two');
  });

  it('tells a missing executable, a timeout and an abort apart', async () => {
    expect(await failure(runner.run('tk-no-such-program', []))).toMatchObject({ code: 'NotFound', exitCode: null });
    expect(await failure(runner.run('sleep', ['5'], { timeoutMs: 50 }))).toMatchObject({ code: 'Timeout', signal: 'SIGTERM' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    expect(await failure(runner.run('sleep', ['5'], { signal: ac.signal }))).toMatchObject({ code: 'Aborted' });
  });

  it('exitStatus resolves non-zero exits and still rejects the rest', async () => {
    expect(await exitStatus(runner.run('sh', ['-c', 'echo no >&2; exit 4']))).toEqual({ stdout: '', stderr: 'no\n', code: 4 });
    expect(await failure(exitStatus(runner.run('tk-no-such-program', [])))).toMatchObject({ code: 'NotFound' });
  });
});
