import { describe, expect, it } from 'vitest';
import { runShell } from './fake-shell.js';

describe('the fake shell', () => {
  it.each([
    [['echo', 'hi', 'there'], { stdout: 'hi there\n', stderr: '', exitCode: 0 }],
    [['sh', '-c', 'echo out; echo err >&2; exit 3'], { stdout: 'out\n', stderr: 'err\n', exitCode: 3 }],
    [['sh', '-c', "echo 'two  words'; false"], { stdout: 'two  words\n', exitCode: 1 }],
    [['sh', '-c', 'false; exit'], { exitCode: 1 }],
    [['sleep', '2'], { sleepMs: 2000, exitCode: 0 }],
    [['sh', '-c', 'sleep 0.5; sleep 1; echo done'], { sleepMs: 1500, stdout: 'done\n' }],
    [['cat'], { readsStdin: true, exitCode: 0 }],
    [['httpd', '-f'], { unknown: 'httpd', stderr: 'sh: httpd: not found\n', exitCode: 127 }],
    [['sh', '-c', 'echo a; nope; echo b'], { unknown: 'nope', stdout: 'a\n', exitCode: 127 }],
  ])('%j', (argv, want) => {
    expect(runShell(argv)).toMatchObject(want);
  });
});
