/**
 * ExecIptables: the Iptables interface over the iptables tools of one network namespace (the
 * current one, or `netns` via `ip netns exec`). The backend (nft or legacy) is detected once
 * (iptables-backend.ts) and then only that backend's binaries are used, so rules are never mixed.
 * Every call waits for the xtables lock (-w 5).
 */
import type { Logger } from 'pino';
import {
  EXTERNAL_SERVICES_CHAIN, FIREWALL_CHAIN, FORWARD_CHAIN,
  POSTROUTING_CHAIN, SERVICES_CHAIN, CHAIN_PREFIX,
} from './chains.js';
import { inNetns } from '../lib/exec/netns.js';
import { ProcessRunner } from '../lib/exec/process-runner.js';
import type { Runner } from '../lib/exec/runner.js';
import { NetproxyError, restoreErrorLine, runTool, toNetproxyError } from './exec.js';
import { detectIptablesBackends } from './iptables-backend.js';
import type { IptablesBackend } from './iptables-backend.js';
import { declaredChains } from './rule-check.js';
import type { Iptables, Table } from './types.js';

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

export interface ExecIptablesOptions {
  /** Run inside this named network namespace (`ip netns exec`); default: the current one. */
  netns?: string;
  /** Skip detection. */
  backend?: IptablesBackend;
  log?: Logger;
  /** Tests inject a fake runner. */
  runner?: Runner;
}

export class ExecIptables implements Iptables {
  private readonly runner: Runner;
  private backendP?: Promise<IptablesBackend>;

  constructor(private readonly o: ExecIptablesOptions = {}) {
    this.runner = o.runner ?? (o.netns ? inNetns(new ProcessRunner(), o.netns) : new ProcessRunner());
    if (o.backend) this.backendP = Promise.resolve(o.backend);
  }

  /** The backend in use in this netns (detected on first call). */
  backend(): Promise<IptablesBackend> {
    this.backendP ??= this.detect();
    return this.backendP;
  }

  private async detect(): Promise<IptablesBackend> {
    const d = await detectIptablesBackends(this.runner).catch((err: unknown) => { throw toNetproxyError(err, 'iptables --version'); });
    const other: IptablesBackend = d.preferred === 'nft' ? 'legacy' : 'nft';
    this.o.log?.info({ backend: d.chosen, netns: this.o.netns, preferredRules: d.rules[d.preferred] ?? 0, otherRules: d.rules[other] ?? 0 }, 'Detected iptables backend');
    return d.chosen;
  }

  private async ipt(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const b = await this.backend();
    return runTool(this.runner, `iptables-${b}`, ['-w', '5', ...args]);
  }

  async save(table: Table): Promise<string> {
    const b = await this.backend();
    const r = await runTool(this.runner, `iptables-${b}-save`, ['-t', table]);
    if (r.code !== 0) throw new NetproxyError('ExecFailed', `iptables-save -t ${table}: ${r.stderr.trim()}`, { stderr: r.stderr });
    return r.stdout;
  }

  async restore(payload: string): Promise<void> {
    const b = await this.backend();
    const r = await runTool(this.runner, `iptables-${b}-restore`, ['-w', '5', '--noflush', '--counters'], { input: payload });
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
