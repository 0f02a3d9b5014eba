import { describe, expect, it } from 'vitest';
import { testStreams } from '../testing/test-streams.js';
import { FakeRunner, notFound } from '../../lib/exec/fake-runner.js';
import { doctorCommand, formatReport } from './doctor-command.js';
import type { Probe } from './checks.js';

const bare: Probe = {
  isRoot: () => false, read: async () => undefined, exists: async () => false,
  exec: new FakeRunner((line) => { throw notFound(line); }), docker: async () => ({ error: 'connect ENOENT' }), cri: async () => ({ error: 'connect ENOENT' }), portFree: async () => true, kernelConfig: async () => undefined,
};

describe('tinykube doctor', () => {
  it('prints one line per check and a summary; exit 1 when a check fails', async () => {
    const { streams, out } = testStreams();
    expect(await doctorCommand([], streams, bare)).toBe(1);
    expect(out()).toMatch(/^\[preflight\] Running pre-flight checks\n/);
    expect(out()).toMatch(/\[fail\] root +tinykube needs root/);
    expect(out()).toMatch(/\[ok\]   port 6443 +free \(the API server\)/);
    expect(out()).toMatch(/\d+ checks: \d+ ok, \d+ warnings, \d+ failures\n$/);
  });

  it('refuses arguments', async () => {
    await expect(doctorCommand(['now'], testStreams().streams, bare)).rejects.toThrow(/doctor takes no arguments/);
  });

  it('formats aligned lines', () => {
    expect(formatReport([{ name: 'a', verdict: 'ok', detail: 'x' }, { name: 'long', verdict: 'warn', detail: 'y' }]))
      .toBe('[ok]   a     x\n[warn] long  y\n2 checks: 1 ok, 1 warnings, 0 failures\n');
  });
});
