import { describe, expect, it } from 'vitest';
import { ExecError } from './exec-error.js';
import { FakeRunner, fail } from './fake-runner.js';
import { inNetns } from './netns.js';

describe('FakeRunner', () => {
  it('records lines and inputs and answers from the handler', async () => {
    const r = new FakeRunner((line) => (line === 'ip -j link' ? '[]' : undefined));
    expect(await r.run('ip', ['-j', 'link'])).toEqual({ stdout: '[]', stderr: '', code: 0 });
    await r.run('iptables-restore', ['--noflush'], { input: '*nat\nCOMMIT\n' });
    expect(r.calls).toEqual(['ip -j link', 'iptables-restore --noflush']);
    expect(r.inputs).toEqual([undefined, '*nat\nCOMMIT\n']);
    expect(r.matching('ip ')).toEqual(['ip -j link']);
  });

  it('fails a run as ProcessRunner does, by a non-zero code or a thrown fail()', async () => {
    const r = new FakeRunner((line) => {
      if (line.startsWith('iptables')) return { code: 1, stderr: 'iptables: Bad rule.' };
      throw fail(line, 'Cannot find device "x"', 1);
    });
    await expect(r.run('iptables', ['-C', 'FORWARD'])).rejects.toMatchObject({ code: 'ExitCode', exitCode: 1, stderr: 'iptables: Bad rule.', command: 'iptables -C FORWARD' });
    await expect(r.run('ip', ['link', 'del', 'x'])).rejects.toBeInstanceOf(ExecError);
  });

  it('inNetns prefixes every command with ip netns exec', async () => {
    const r = new FakeRunner();
    await inNetns(r, 'tk-n1').run('sysctl', ['-e', 'net.ipv4.ip_forward']);
    expect(r.calls).toEqual(['ip netns exec tk-n1 sysctl -e net.ipv4.ip_forward']);
  });
});
