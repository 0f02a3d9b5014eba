import { describe, expect, it } from 'vitest';
import { runShell } from './fake-shell.js';
import { shellContext } from './fake-shell-context.js';

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

describe('the fake shell as a security context makes it', () => {
  const ctx = shellContext({
    linux: { securityContext: { runAsUser: 1234, runAsGroup: 2345, supplementalGroups: [4567, 3456, 2345], readonlyRootfs: true } },
    mounts: [{ containerPath: '/scratch', hostPath: '/h' }, { containerPath: '/etc/cfg', hostPath: '/c', readonly: true }],
  });
  it.each([
    [['id', '-u'], { stdout: '1234\n' }],
    [['id', '-g'], { stdout: '2345\n' }],
    [['id', '-G'], { stdout: '2345 3456 4567\n' }],
    [['id'], { stdout: 'uid=1234 gid=2345 groups=2345,3456,4567\n' }],
    [['touch', '/x'], { exitCode: 1, stderr: 'touch: /x: Read-only file system\n' }],
    [['touch', '/etc/cfg/x'], { exitCode: 1 }],
    [['touch', '/scratch/x'], { exitCode: 0, stderr: '' }],
  ])('%j', (argv, want) => { expect(runShell(argv, ctx)).toMatchObject(want); });

  it('runs as root, or as the image USER, without a security context; the root is writable', () => {
    expect(runShell(['sh', '-c', 'id -u; touch /x'], shellContext({}))).toMatchObject({ stdout: '0\n', exitCode: 0 });
    expect(runShell(['id', '-u'], shellContext({}, { uid: 1000 })).stdout).toBe('1000\n');
  });
});
