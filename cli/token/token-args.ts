/**
 * Flags of `tinykube token create|list|delete` (kubeadm's), parsed and validated into options.
 * Bad input is a UsageError (exit 2). Pure.
 */
import { DEFAULT_NODE_TOKEN_GROUP, EXTRA_GROUP_PATTERN, KNOWN_USAGES } from '../../control/api/bootstrap-token.js';
import type { TokenUsage } from '../../control/api/bootstrap-token.js';
import { isValidTokenId, parseToken, TOKEN_PATTERN_TEXT } from '../../control/bootstrap-token/token.js';
import type { TokenString } from '../../control/bootstrap-token/token.js';
import { durationMs, parseFlags, str, bool, UsageError } from '../flags.js';
import { DEFAULT_KUBECONFIG } from '../defaults.js';

export interface CreateTokenOptions {
  /** The token to write; generated when absent. */
  token?: TokenString;
  /** 0 = never expires. */
  ttlMs: number;
  description?: string;
  usages: TokenUsage[];
  groups: string[];
  printJoinCommand: boolean;
}

/** --kubeconfig, else the first entry of $KUBECONFIG, else /var/lib/tinykube/admin.kubeconfig. */
export function kubeconfigPath(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  if (flag) return flag;
  const first = (env['KUBECONFIG'] ?? '').split(':').find((p) => p !== '');
  return first ?? DEFAULT_KUBECONFIG;
}

/** A Go duration ("24h", "1h30m", "90s") or "0" (never expires). */
export function parseTtl(s: string): number {
  if (/^0+$/.test(s)) return 0;
  try {
    return durationMs('ttl', s);
  } catch {
    throw new UsageError(`invalid --ttl "${s}": want a duration like 24h, 1h30m or 0 (never expires)`);
  }
}

const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean);

export function parseUsages(s: string): TokenUsage[] {
  const out: TokenUsage[] = [];
  for (const u of list(s)) {
    const known = KNOWN_USAGES.find((k) => k === u);
    if (!known) throw new UsageError(`invalid bootstrap token usage string: ${u}, valid usage options: ${KNOWN_USAGES.join(',')}`);
    if (!out.includes(known)) out.push(known);
  }
  return out;
}

export function parseGroups(s: string): string[] {
  const out: string[] = [];
  for (const g of list(s)) {
    if (!EXTRA_GROUP_PATTERN.test(g)) throw new UsageError(`invalid group "${g}": a bootstrap group must match ${EXTRA_GROUP_PATTERN.source}`);
    if (!out.includes(g)) out.push(g);
  }
  return out;
}

export function parseCreateArgs(argv: readonly string[]): { opts: CreateTokenOptions; kubeconfig?: string } {
  const p = parseFlags(argv, { values: ['ttl', 'description', 'groups', 'usages', 'kubeconfig'], booleans: ['print-join-command'] });
  if (p.positionals.length > 1) throw new UsageError(`token create takes at most one [token], got ${p.positionals.length}`);
  const given = p.positionals[0];
  const token = given === undefined ? undefined : parseToken(given);
  if (given !== undefined && !token) throw new UsageError(`the bootstrap token "${given}" was not of the form "${TOKEN_PATTERN_TEXT}"`);
  const usages = parseUsages(str(p, 'usages', 'signing,authentication'));
  const groupsFlag = str(p, 'groups');
  const authenticates = usages.includes('authentication');
  if (groupsFlag && list(groupsFlag).length > 0 && !authenticates) {
    throw new UsageError('token groups cannot be specified unless --usages includes "authentication"');
  }
  const groups = groupsFlag !== undefined ? parseGroups(groupsFlag) : authenticates ? [DEFAULT_NODE_TOKEN_GROUP] : [];
  const opts: CreateTokenOptions = {
    ttlMs: parseTtl(str(p, 'ttl', '24h')), usages, groups, printJoinCommand: bool(p, 'print-join-command'),
  };
  if (token) opts.token = token;
  const description = str(p, 'description');
  if (description) opts.description = description;
  return { opts, kubeconfig: str(p, 'kubeconfig') };
}

export function parseListArgs(argv: readonly string[]): { kubeconfig?: string } {
  const p = parseFlags(argv, { values: ['kubeconfig'] });
  if (p.positionals.length > 0) throw new UsageError(`token list takes no arguments, got "${p.positionals[0]}"`);
  return { kubeconfig: str(p, 'kubeconfig') };
}

/** Token ids from ids or whole tokens. */
export function parseDeleteArgs(argv: readonly string[]): { ids: string[]; kubeconfig?: string } {
  const p = parseFlags(argv, { values: ['kubeconfig'] });
  if (p.positionals.length === 0) throw new UsageError('token delete is missing a token id of the form "[a-z0-9]{6}" (or a whole token)');
  const ids = p.positionals.map((a) => {
    if (isValidTokenId(a)) return a;
    const t = parseToken(a);
    if (!t) throw new UsageError(`given token "${a}" didn't match pattern "[a-z0-9]{6}" or "${TOKEN_PATTERN_TEXT}"`);
    return t.id;
  });
  return { ids, kubeconfig: str(p, 'kubeconfig') };
}
