/**
 * Which iptables backend (nft or legacy) a network namespace uses, decided in one place for the
 * netproxy, the agent's forward rules and `tinykube doctor`: the one `iptables --version` names,
 * unless the other already holds more rules (then that one, so rules are never split between
 * two). Legacy tables are only looked at when the kernel lists them (/proc/net/ip_tables_names,
 * read through the runner so it is the runner's namespace): listing a legacy table creates it.
 */
import { isExecError } from '../lib/exec/exec-error.js';
import { exitStatus } from '../lib/exec/exit-status.js';
import type { Runner } from '../lib/exec/runner.js';

export const IPTABLES_BACKENDS = ['nft', 'legacy'] as const;
export type IptablesBackend = (typeof IPTABLES_BACKENDS)[number];

export interface IptablesBackends {
  /** What `iptables --version` says, e.g. "iptables v1.8.9 (nf_tables)". */
  version: string;
  /** The backend `iptables` itself runs. */
  preferred: IptablesBackend;
  /** The legacy tables the kernel has here (none: legacy tools must not be run). */
  legacyTables: readonly string[];
  /** `-A` rules per backend, counted when both are candidates. */
  rules: Partial<Record<IptablesBackend, number>>;
  /** The backend to read and write rules with. */
  chosen: IptablesBackend;
}

const countRules = (save: string): number => save.split('\n').filter((l) => l.startsWith('-A ')).length;

async function rulesOf(runner: Runner, b: IptablesBackend): Promise<number> {
  try {
    const r = await exitStatus(runner.run(`iptables-${b}-save`, []));
    return r.code === 0 ? countRules(r.stdout) : 0;
  } catch (err) {
    if (isExecError(err) && err.code === 'NotFound') return 0; // that backend's tools are not installed
    throw err;
  }
}

async function legacyTablesOf(runner: Runner): Promise<string[]> {
  const r = await exitStatus(runner.run('cat', ['/proc/net/ip_tables_names'])).catch(() => undefined); // no such file: no legacy tables
  return (r?.code === 0 ? r.stdout : '').split('\n').map((t) => t.trim()).filter((t) => t !== '');
}

/** The backends that have `table` here: nft always (its tables cost nothing to look at), legacy when the kernel lists it. */
export async function backendsWithTable(runner: Runner, table: string): Promise<IptablesBackend[]> {
  return (await legacyTablesOf(runner)).includes(table) ? ['nft', 'legacy'] : ['nft'];
}

/** Detects the backend; rejects with the runner's ExecError when `iptables --version` fails. */
export async function detectIptablesBackends(runner: Runner): Promise<IptablesBackends> {
  const version = (await runner.run('iptables', ['--version'])).stdout.trim();
  const preferred: IptablesBackend = /legacy/.test(version) ? 'legacy' : 'nft';
  const other: IptablesBackend = preferred === 'nft' ? 'legacy' : 'nft';
  const legacyTables = await legacyTablesOf(runner);
  if (other === 'legacy' && legacyTables.length === 0) return { version, preferred, legacyTables, rules: {}, chosen: preferred };
  const [mine, theirs] = await Promise.all([rulesOf(runner, preferred), rulesOf(runner, other)]);
  return { version, preferred, legacyTables, rules: { [preferred]: mine, [other]: theirs }, chosen: theirs > mine ? other : preferred };
}
