/**
 * Consistency checks for an iptables-restore payload (kube-proxy's checkIPTablesRuleJumps): every
 * `-j` target is a built-in target or a chain declared in the same table (or known to exist, for
 * partial payloads), every appended-to chain is declared, names fit iptables' 28 characters.
 */
import { MAX_CHAIN_NAME } from './chains.js';

const BUILTIN_TARGETS = new Set(['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'MARK', 'DNAT', 'SNAT', 'MASQUERADE', 'LOG', 'CONNMARK']);
const BUILTIN_CHAINS: Record<string, readonly string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
};

/** Chains declared (`:NAME`) per table in a payload or iptables-save output. */
export function declaredChains(payload: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  let table = '';
  for (const line of payload.split('\n')) {
    if (line.startsWith('*')) { table = line.slice(1).trim(); out.set(table, out.get(table) ?? new Set()); }
    else if (line.startsWith(':')) out.get(table)?.add(line.slice(1).split(' ')[0] ?? '');
  }
  return out;
}

/**
 * Returns one message per problem (empty when consistent). `existing` lists chains that exist in
 * the kernel already, per table (a partial payload jumps to unchanged chains it does not declare).
 */
export function checkRuleJumps(payload: string, existing: Readonly<Record<string, readonly string[]>> = {}): string[] {
  const problems: string[] = [];
  const declared = declaredChains(payload);
  let table = '';
  payload.split('\n').forEach((line, i) => {
    const at = `line ${i + 1}`;
    if (line.startsWith('*')) { table = line.slice(1).trim(); return; }
    const known = (c: string) => declared.get(table)?.has(c) || (existing[table] ?? []).includes(c);
    if (line.startsWith(':')) {
      const name = line.slice(1).split(' ')[0] ?? '';
      if (name.length > MAX_CHAIN_NAME) problems.push(`${at}: chain name ${name} is longer than ${MAX_CHAIN_NAME}`);
      return;
    }
    const m = /^-([AIX]) (\S+)/.exec(line);
    if (!m) return;
    const chain = m[2] ?? '';
    if (!known(chain) && !(BUILTIN_CHAINS[table] ?? []).includes(chain)) problems.push(`${at}: chain ${chain} is not declared in table ${table}`);
    const j = / -j (\S+)/.exec(line);
    if (j) {
      const target = j[1] ?? '';
      if (!BUILTIN_TARGETS.has(target) && !known(target)) problems.push(`${at}: jump target ${target} is not a chain of table ${table}`);
    }
  });
  return problems;
}
