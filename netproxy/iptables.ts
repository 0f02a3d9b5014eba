/**
 * ExecIptables: the Iptables interface over the iptables tools of one network namespace (the
 * current one, or `netns` via `ip netns exec`). The backend (nft or legacy) is detected once, from
 * what `iptables --version` says and from which backend already holds rules, and then only that
 * backend's binaries are used, so rules are never mixed. Every call waits for the xtables lock (-w 5).
 */
import type { Logger } from 'pino';
import {
  EXTERNAL_SERVICES_CHAIN, FIREWALL_CHAIN, FORWARD_CHAIN,
  POSTROUTING_CHAIN, SERVICES_CHAIN, CHAIN_PREFIX,
} from './chains.js';
import { ExecRunner, NetproxyError, restoreErrorLine } from './exec.js';
import type { CommandRunner } from './exec.js';
import { declaredChains } from './rule-check.js';
import type { Iptables, Table } from './types.js';

export type Backend = 'nft' | 'legacy';

export interface JumpRule { table: Table; chain: string; args: readonly string[] }

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];
const comment = (c: string) => ['-m', 'comment', '--comment', c];

/** Jumps from the built-in chains, in kube-proxy's order; each is prepended (-I … 1). */
export const JUMPS: readonly JumpRule[] = [
  { table: 'filter', chain: 'INPUT', args: [...NEW, ...comment('tinykube externally-visible service portals'), '-j', EXTERNAL_SERVICES_CHAIN] },
  { table: 'filter', chain: 'FORWARD', args: [...NEW, ...comment('tinykube externally-visible service portals'), '-j', EXTERNAL_SERVICES_CHAIN] },
  { table: 'filter', chain: 'FORWARD', args: [...NEW, ...comment('tinykube service portals'), '-j', SERVICES_CHAIN] },
  { table: 'filter', chain: 'OUTPUT', args: [...NEW, ...comment('tinykube service portals'), '-j', SERVICES_CHAIN] },
  { table: 'filter', chain: 'FORWARD', args: [...comment('tinykube forwarding rules'), '-j', FORWARD_CHAIN] },
  { table: 'filter', chain: 'INPUT', args: ['-j', FIREWALL_CHAIN] },
  { table: 'filter', chain: 'OUTPUT', args: ['-j', FIREWALL_CHAIN] },
  { table: 'nat', chain: 'OUTPUT', args: [...comment('tinykube service portals'), '-j', SERVICES_CHAIN] },
  { table: 'nat', chain: 'PREROUTING', args: [...comment('tinykube service portals'), '-j', SERVICES_CHAIN] },
  { table: 'nat', chain: 'POSTROUTING', args: [...comment('tinykube postrouting rules'), '-j', POSTROUTING_CHAIN] },
];

const countRules = (save: string) => save.split('\n').filter((l) => l.startsWith('-A ')).length;

export interface ExecIptablesOptions {
  /** Run inside this named network namespace (`ip netns exec`); default: the current one. */
  netns?: string;
  /** Skip detection. */
  backend?: Backend;
  log?: Logger;
  /** Tests inject a fake runner. */
  runner?: CommandRunner;
}

export class ExecIptables implements Iptables {
  private readonly runner: CommandRunner;
  private backendP?: Promise<Backend>;

  constructor(private readonly o: ExecIptablesOptions = {}) {
    this.runner = o.runner ?? new ExecRunner({ netns: o.netns });
    if (o.backend) this.backendP = Promise.resolve(o.backend);
  }

  /** The backend in use in this netns (detected on first call). */
  backend(): Promise<Backend> {
    this.backendP ??= this.detect();
    return this.backendP;
  }

  private async detect(): Promise<Backend> {
    const v = await this.runner.run('iptables', ['--version']);
    if (v.code !== 0) throw new NetproxyError('ExecFailed', `iptables --version: ${v.stderr.trim()}`);
    const preferred: Backend = /legacy/.test(v.stdout) ? 'legacy' : 'nft';
    const other: Backend = preferred === 'nft' ? 'legacy' : 'nft';
    // listing legacy tables by name creates them, so ask the kernel which exist first
    if (other === 'legacy') {
      const names = await this.runner.run('cat', ['/proc/net/ip_tables_names']);
      if (names.code !== 0 || names.stdout.trim() === '') return this.chose(preferred, 0, 0);
    }
    const [mine, theirs] = await Promise.all([this.rulesOf(preferred), this.rulesOf(other)]);
    return this.chose(theirs > mine ? other : preferred, mine, theirs);
  }

  private chose(b: Backend, preferredRules: number, otherRules: number): Backend {
    this.o.log?.info({ backend: b, netns: this.o.netns, preferredRules, otherRules }, 'Detected iptables backend');
    return b;
  }

  private async rulesOf(b: Backend): Promise<number> {
    const r = await this.runner.run(`iptables-${b}-save`, []);
    return r.code === 0 ? countRules(r.stdout) : 0;
  }

  private async ipt(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const b = await this.backend();
    return this.runner.run(`iptables-${b}`, ['-w', '5', ...args]);
  }

  async save(table: Table): Promise<string> {
    const b = await this.backend();
    const r = await this.runner.run(`iptables-${b}-save`, ['-t', table]);
    if (r.code !== 0) throw new NetproxyError('ExecFailed', `iptables-save -t ${table}: ${r.stderr.trim()}`, { stderr: r.stderr });
    return r.stdout;
  }

  async restore(payload: string): Promise<void> {
    const b = await this.backend();
    const r = await this.runner.run(`iptables-${b}-restore`, ['-w', '5', '--noflush', '--counters'], { input: payload });
    if (r.code === 0) return;
    const line = restoreErrorLine(r.stderr);
    throw new NetproxyError('RestoreFailed', `iptables-restore: ${r.stderr.trim().split('\n')[0] ?? 'failed'}${line ? ` (line ${line})` : ''}`, { line, stderr: r.stderr });
  }

  /**
   * The jumps from the built-in chains, checked with one `-S <built-in chain>` each (in parallel;
   * cheap even with thousands of rules loaded, unlike iptables-save). Missing ones, and the chains
   * they lead to when those are missing too, are added with one iptables-restore.
   */
  async ensureJumps(): Promise<void> {
    const builtins = [...new Set(JUMPS.map((j) => `${j.table}/${j.chain}`))];
    const listed = new Map(await Promise.all(builtins.map(async (k) => {
      const [table = '', chain = ''] = k.split('/');
      const r = await this.ipt(['-t', table, '-S', chain]);
      if (r.code !== 0) throw new NetproxyError('ExecFailed', `list ${k}: ${r.stderr.trim()}`, { stderr: r.stderr });
      return [k, r.stdout.split('\n')] as const;
    })));
    const missing = JUMPS.filter((j) => !(listed.get(`${j.table}/${j.chain}`) ?? []).some((line) => isJump(line, j)));
    if (missing.length === 0) return;
    const targets = [...new Set(missing.map((j) => `${j.table}/${jumpTarget(j)}`))];
    const absent = (await Promise.all(targets.map(async (k) => {
      const [table = '', chain = ''] = k.split('/');
      return (await this.ipt(['-t', table, '-S', chain])).code === 0 ? undefined : k;
    }))).filter((k): k is string => k !== undefined);
    const parts: string[] = [];
    for (const table of ['filter', 'nat'] as const) {
      const chains = absent.filter((k) => k.startsWith(`${table}/`)).map((k) => k.slice(table.length + 1));
      const jumps = missing.filter((j) => j.table === table);
      if (chains.length === 0 && jumps.length === 0) continue;
      // each jump goes to the top, in order: the last one ends up first, as with `iptables -I … 1`
      parts.push(`*${table}`, ...chains.map((c) => `:${c} - [0:0]`), ...jumps.map((j) => `-I ${j.chain} 1 ${quoteArgs(j.args)}`), 'COMMIT');
    }
    await this.restore(`${parts.join('\n')}\n`);
  }

  async cleanup(): Promise<void> {
    const parts: string[] = [];
    for (const table of ['filter', 'nat'] as const) {
      const saved = await this.save(table);
      // jumps into our chains from chains that are not ours (built-ins), by their saved spec
      for (const line of saved.split('\n')) {
        const m = /^-A (\S+) (.*)$/.exec(line);
        if (!m || m[1]?.startsWith(CHAIN_PREFIX) || !/ -j TK-|^-j TK-/.test(m[2] ?? '')) continue;
        const r = await this.ipt(['-t', table, '-D', m[1] ?? '', ...splitArgs(m[2] ?? '')]);
        if (r.code !== 0) throw new NetproxyError('ExecFailed', `delete jump ${table}/${m[1] ?? ''}: ${r.stderr.trim()}`, { stderr: r.stderr });
      }
      const mine = [...(declaredChains(saved).get(table) ?? [])].filter((c) => c.startsWith(CHAIN_PREFIX));
      if (mine.length === 0) continue;
      parts.push(`*${table}`, ...mine.map((c) => `:${c} - [0:0]`), ...mine.map((c) => `-X ${c}`), 'COMMIT');
    }
    if (parts.length > 0) await this.restore(`${parts.join('\n')}\n`);
  }
}

const jumpTarget = (j: JumpRule): string => j.args.at(-1) ?? '';

/** Arguments as one iptables-restore line (arguments with spaces double-quoted). */
const quoteArgs = (args: readonly string[]): string => args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ');

/** Whether an `iptables -S` line is this jump: same chain and target, its comment, NEW-only if it is. */
function isJump(line: string, j: JumpRule): boolean {
  if (!line.startsWith(`-A ${j.chain} `) || !line.endsWith(` -j ${jumpTarget(j)}`)) return false;
  const c = j.args.indexOf('--comment');
  if (c >= 0 && !line.includes(`--comment ${quoteArgs([j.args[c + 1] ?? ''])}`)) return false;
  return line.includes('--ctstate NEW') === j.args.includes('NEW');
}

/** Splits an iptables-save rule into arguments (double-quoted strings stay one argument). */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? ''));
  return out;
}
