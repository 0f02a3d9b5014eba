/**
 * FakeIptables: an in-memory Iptables for unit tests. It applies restore payloads with
 * `--noflush` semantics (a `:CHAIN` line creates or flushes, `-A` appends, `-X` deletes) to a copy
 * and commits only if every line was valid, as iptables-restore does: appending to an unknown
 * chain, jumping to an unknown chain or deleting a referenced chain fails with the line number.
 */
import { CHAIN_PREFIX, FILTER_CHAINS, NAT_CHAINS } from './chains.js';
import { NetproxyError } from './exec.js';
import { JUMPS } from './iptables.js';
import type { Iptables, Table } from './types.js';

type Tables = Map<string, Map<string, string[]>>;

const BUILTIN: Record<string, readonly string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};
const TARGETS = new Set(['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'MARK', 'DNAT', 'SNAT', 'MASQUERADE', 'LOG']);

function fresh(): Tables {
  const t: Tables = new Map();
  for (const [name, chains] of Object.entries(BUILTIN)) t.set(name, new Map(chains.map((c) => [c, []])));
  return t;
}

const clone = (t: Tables): Tables => new Map([...t].map(([n, cs]) => [n, new Map([...cs].map(([c, r]) => [c, [...r]]))]));

export class FakeIptables implements Iptables {
  tables: Tables = fresh();
  /** Every payload passed to restore, in order (failed ones too). */
  readonly payloads: string[] = [];
  ensureJumpsCalls = 0;
  private failures: Array<{ line: number }> = [];

  /** Makes the next restore fail at this line (checked before applying). */
  failNextRestore(line = 1): void { this.failures.push({ line }); }

  chains(table: Table): string[] { return [...(this.tables.get(table)?.keys() ?? [])]; }
  rules(table: Table, chain: string): string[] { return this.tables.get(table)?.get(chain) ?? []; }

  async ensureJumps(): Promise<void> {
    this.ensureJumpsCalls++;
    for (const [table, top] of [['filter', FILTER_CHAINS], ['nat', NAT_CHAINS]] as const) {
      const t = this.tables.get(table);
      for (const c of top) if (!t?.has(c)) t?.set(c, []);
    }
    for (const j of JUMPS) {
      const rules = this.tables.get(j.table)?.get(j.chain);
      const rule = j.args.join(' ');
      if (rules && !rules.includes(rule)) rules.unshift(rule);
    }
  }

  async save(table: Table): Promise<string> {
    const t = this.tables.get(table) ?? new Map<string, string[]>();
    const lines = [`*${table}`, ...[...t.keys()].map((c) => `:${c} ${BUILTIN[table]?.includes(c) ? 'ACCEPT' : '-'} [0:0]`)];
    for (const [c, rules] of t) for (const r of rules) lines.push(`-A ${c} ${r}`);
    return `${lines.join('\n')}\nCOMMIT\n`;
  }

  async restore(payload: string): Promise<void> {
    this.payloads.push(payload);
    const injected = this.failures.shift();
    if (injected) throw new NetproxyError('RestoreFailed', `iptables-restore: injected failure (line ${injected.line})`, { line: injected.line });
    const next = clone(this.tables);
    let table: Map<string, string[]> | undefined;
    const lines = payload.split('\n');
    const fail = (i: number, why: string): never => {
      throw new NetproxyError('RestoreFailed', `iptables-restore: ${why} (line ${i + 1})`, { line: i + 1 });
    };
    lines.forEach((line, i) => {
      if (line === '' || line === 'COMMIT' || line.startsWith('#')) return;
      if (line.startsWith('*')) { table = next.get(line.slice(1)); if (!table) fail(i, `unknown table ${line}`); return; }
      if (!table) return fail(i, 'rule outside a table');
      if (line.startsWith(':')) { table.set(line.slice(1).split(' ')[0] ?? '', []); return; }
      const m = /^-([AX]) (\S+) ?(.*)$/.exec(line);
      if (!m) return fail(i, `cannot parse ${line}`);
      const chain = m[2] ?? '';
      if (!table.has(chain)) return fail(i, `chain ${chain} does not exist`);
      if (m[1] === 'X') {
        for (const [c, rules] of table) if (c !== chain && rules.some((r) => r.endsWith(`-j ${chain}`))) fail(i, `CHAIN_DEL ${chain}: referenced by ${c}`);
        table.delete(chain);
        return;
      }
      const target = / -j (\S+)/.exec(` ${m[3] ?? ''}`)?.[1];
      if (target && !TARGETS.has(target) && !table.has(target)) return fail(i, `chain ${target} does not exist`);
      table.get(chain)?.push(m[3] ?? '');
    });
    this.tables = next;
  }

  async cleanup(): Promise<void> {
    for (const t of this.tables.values()) {
      for (const [c, rules] of t) {
        if (c.startsWith(CHAIN_PREFIX)) t.delete(c);
        else t.set(c, rules.filter((r) => !/-j TK-/.test(r)));
      }
    }
  }
}
