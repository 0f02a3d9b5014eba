import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FakeRunner, notFound } from '../../lib/exec/fake-runner.js';
import { doctorCommand, formatReport } from './doctor-command.js';
import type { Probe } from './checks.js';

const bare: Probe = {
  isRoot: () => false, read: async () => undefined, exists: async () => false,
  exec: new FakeRunner((line) => { throw notFound(line); }), docker: async () => ({ error: 'connect ENOENT' }), portFree: async () => true, kernelConfig: async () => undefined,
};

describe('tinykube doctor', () => {
  it('prints one line per check and a summary; exit 1 when a check fails', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (b: Buffer) => { text += b.toString(); });
    expect(await doctorCommand([], { out, err: out }, bare)).toBe(1);
    expect(text).toMatch(/^\[preflight\] Running pre-flight checks\n/);
    expect(text).toMatch(/\[fail\] root +tinykube needs root/);
    expect(text).toMatch(/\[ok\]   port 6443 +free \(the API server\)/);
    expect(text).toMatch(/\d+ checks: \d+ ok, \d+ warnings, \d+ failures\n$/);
  });

  it('refuses arguments', async () => {
    const out = new PassThrough();
    await expect(doctorCommand(['now'], { out, err: out }, bare)).rejects.toThrow(/doctor takes no arguments/);
  });

  it('formats aligned lines', () => {
    expect(formatReport([{ name: 'a', verdict: 'ok', detail: 'x' }, { name: 'long', verdict: 'warn', detail: 'y' }]))
      .toBe('[ok]   a     x\n[warn] long  y\n2 checks: 1 ok, 1 warnings, 0 failures\n');
  });
});
