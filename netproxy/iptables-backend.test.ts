import { describe, expect, it } from 'vitest';
import { FakeRunner, notFound } from '../lib/exec/fake-runner.js';
import type { FakeAnswer } from '../lib/exec/fake-runner.js';
import { detectIptablesBackends } from './iptables-backend.js';

const NFT = 'iptables v1.8.9 (nf_tables)\n';
const LEGACY = 'iptables v1.8.9 (legacy)\n';
const machine = (answers: Record<string, FakeAnswer | 'missing'>) => new FakeRunner((line) => {
  const a = answers[line];
  if (a === 'missing') throw notFound(line);
  return a;
});

describe('detectIptablesBackends', () => {
  it('takes the backend iptables names, never touching legacy tools when the kernel has no legacy tables', async () => {
    const r = machine({ 'iptables --version': NFT, 'cat /proc/net/ip_tables_names': '' });
    expect(await detectIptablesBackends(r)).toEqual({ version: 'iptables v1.8.9 (nf_tables)', preferred: 'nft', legacyTables: [], rules: {}, chosen: 'nft' });
    expect(r.matching('iptables-legacy')).toEqual([]);
  });

  it('takes the other backend when it holds more rules', async () => {
    const r = machine({
      'iptables --version': NFT, 'cat /proc/net/ip_tables_names': 'nat\nfilter\n',
      'iptables-nft-save': '*nat\nCOMMIT\n', 'iptables-legacy-save': '*nat\n-A PREROUTING -j X\n-A OUTPUT -j X\nCOMMIT\n',
    });
    expect(await detectIptablesBackends(r)).toMatchObject({ preferred: 'nft', legacyTables: ['nat', 'filter'], rules: { nft: 0, legacy: 2 }, chosen: 'legacy' });
  });

  it('keeps a legacy iptables, counting nft rules; a missing tool or /proc file counts as nothing', async () => {
    const r = machine({ 'iptables --version': LEGACY, 'cat /proc/net/ip_tables_names': { code: 1, stderr: 'No such file' }, 'iptables-nft-save': 'missing', 'iptables-legacy-save': '-A INPUT -j ACCEPT\n' });
    expect(await detectIptablesBackends(r)).toMatchObject({ preferred: 'legacy', legacyTables: [], rules: { legacy: 1, nft: 0 }, chosen: 'legacy' });
  });

  it('fails with the runner error when iptables is not installed', async () => {
    await expect(detectIptablesBackends(machine({ 'iptables --version': 'missing' }))).rejects.toMatchObject({ code: 'NotFound' });
  });
});
