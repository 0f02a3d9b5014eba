import { describe, expect, it } from 'vitest';
import { FakeRunner } from '../lib/exec/fake-runner.js';
import type { RunResult } from '../lib/exec/runner.js';
import { isNetproxyError, linesAround, restoreErrorLine } from './exec.js';
import { ExecIptables, JUMPS, splitArgs } from './iptables.js';

/** A runner answering from a table of "cmd args…" prefixes (default: success, no output); records every call. */
class ScriptedRunner extends FakeRunner {
  constructor(answers: Array<[string, Partial<RunResult>]>) {
    super((line) => answers.find(([p]) => line.startsWith(p))?.[1]);
  }
}

const NFT = { stdout: 'iptables v1.8.9 (nf_tables)\n' };

describe('ExecIptables', () => {
  it('picks the backend iptables --version names when the other has no tables', async () => {
    const r = new ScriptedRunner([['iptables --version', NFT], ['cat /proc/net/ip_tables_names', { stdout: '' }]]);
    expect(await new ExecIptables({ runner: r }).backend()).toBe('nft');
    expect(r.calls.some((c) => c.startsWith('iptables-legacy'))).toBe(false); // never lists (and so creates) legacy tables
  });

  it('picks the other backend when it holds more rules, and then uses only its binaries', async () => {
    const r = new ScriptedRunner([
      ['iptables --version', NFT], ['cat /proc/net/ip_tables_names', { stdout: 'nat\nfilter\n' }],
      ['iptables-nft-save', { stdout: '*nat\nCOMMIT\n' }], ['iptables-legacy-save', { stdout: '*nat\n-A PREROUTING -j X\n-A OUTPUT -j X\nCOMMIT\n' }],
    ]);
    const ipt = new ExecIptables({ runner: r });
    expect(await ipt.backend()).toBe('legacy');
    await ipt.restore('*nat\nCOMMIT\n');
    expect(r.calls.at(-1)).toBe('iptables-legacy-restore -w 5 --noflush --counters');
  });

  it('a failed restore becomes a RestoreFailed error carrying the line', async () => {
    const r = new ScriptedRunner([['iptables-nft-restore', { code: 2, stderr: "iptables-nft-restore v1.8.9 (nf_tables): Chain 'TK-X' does not exist\nError occurred at line: 5\n" }]]);
    const err: unknown = await new ExecIptables({ runner: r, backend: 'nft' }).restore('x').catch((e: unknown) => e);
    expect(isNetproxyError(err) && err.code).toBe('RestoreFailed');
    expect(isNetproxyError(err) && err.line).toBe(5);
    expect(restoreErrorLine('iptables-restore: line 12 failed')).toBe(12);
  });

  it('ensureJumps lists the built-in chains and adds only the missing jumps (and their missing chains) in one restore', async () => {
    const filterLines = (chain: string) => JUMPS.filter((j) => j.table === 'filter' && j.chain === chain)
      .map((j) => `-A ${chain} ${j.args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}`);
    const r = new ScriptedRunner([
      ...(['INPUT', 'FORWARD', 'OUTPUT'].map((c) => [`iptables-nft -w 5 -t filter -S ${c}`, { stdout: `-P ${c} ACCEPT\n${filterLines(c).join('\n')}\n` }] as [string, Partial<RunResult>])),
      // nat: PREROUTING has a look-alike without our comment; TK-SERVICES exists, TK-POSTROUTING does not
      ['iptables-nft -w 5 -t nat -S PREROUTING', { stdout: '-P PREROUTING ACCEPT\n-A PREROUTING -j TK-SERVICES\n' }],
      ['iptables-nft -w 5 -t nat -S TK-POSTROUTING', { code: 1, stderr: 'iptables: No chain/target/match by that name.' }],
    ]);
    await new ExecIptables({ runner: r, backend: 'nft' }).ensureJumps();
    expect(r.calls.filter((c) => c.includes('-restore'))).toHaveLength(1);
    expect(r.inputs.find((i) => i !== undefined)).toBe([
      '*nat', ':TK-POSTROUTING - [0:0]',
      '-I OUTPUT 1 -m comment --comment "tinykube service portals" -j TK-SERVICES',
      '-I PREROUTING 1 -m comment --comment "tinykube service portals" -j TK-SERVICES',
      '-I POSTROUTING 1 -m comment --comment "tinykube postrouting rules" -j TK-POSTROUTING',
      'COMMIT', '',
    ].join('\n'));
    // all present: no restore
    const all = new ScriptedRunner([
      ...(['INPUT', 'FORWARD', 'OUTPUT'].map((c) => [`iptables-nft -w 5 -t filter -S ${c}`, { stdout: `${filterLines(c).join('\n')}\n` }] as [string, Partial<RunResult>])),
      ...JUMPS.filter((j) => j.table === 'nat').map((j) => [`iptables-nft -w 5 -t nat -S ${j.chain}`, { stdout: `-A ${j.chain} ${j.args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}\n` }] as [string, Partial<RunResult>]),
    ]);
    await new ExecIptables({ runner: all, backend: 'nft' }).ensureJumps();
    expect(all.calls.filter((c) => c.includes('-restore'))).toEqual([]);
  });

  it('splits saved rules with quoted comments into arguments', () => {
    expect(splitArgs('-m comment --comment "tinykube service portals" -j TK-SERVICES'))
      .toEqual(['-m', 'comment', '--comment', 'tinykube service portals', '-j', 'TK-SERVICES']);
  });

  it('numbers the payload lines around a failure', () => {
    expect(linesAround('a\nb\nc\nd', 2, 1)).toEqual(['      1: a', '>     2: b', '      3: c']);
  });
});
