/**
 * Flags of `tinykube kubeconfig user` (kubeadm's `kubeconfig user`: --client-name, --org repeated,
 * --validity-period 8760h), parsed into options. --group may be given more than once, so it is
 * collected here before the rest goes through the one flag grammar. Bad input is a UsageError. Pure.
 */
import { DEFAULT_DATA_DIR } from '../defaults.js';
import { durationMs, parseFlags, str, UsageError } from '../flags.js';

/** kubeadm's default validity of a certificate it issues: one year (8760h). */
export const DEFAULT_USER_TTL = '8760h';

export interface UserKubeconfigOptions {
  /** The user name: the certificate's CN. */
  name: string;
  /** The groups: one O each, in the order given, duplicates dropped. */
  groups: string[];
  /** How long the certificate is valid, in ms (> 0). */
  ttlMs: number;
  /** The data dir whose pki/ holds the cluster CA (ca.crt, ca.key). */
  dataDir: string;
  /** The API server URL; absent: the one the data dir's admin kubeconfig names. */
  server?: string;
}

/** Takes every `--group G` / `--group=G` out of argv; the rest is left for parseFlags. */
function takeGroups(argv: readonly string[]): { groups: string[]; rest: string[] } {
  const groups: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--group') {
      const v = argv[++i];
      if (v === undefined) throw new UsageError('flag needs an argument: --group');
      groups.push(v);
    } else if (a.startsWith('--group=')) {
      groups.push(a.slice('--group='.length));
    } else {
      rest.push(a);
    }
  }
  return { groups, rest };
}

export function parseUserArgs(argv: readonly string[]): UserKubeconfigOptions {
  const { groups, rest } = takeGroups(argv);
  const p = parseFlags(rest, { values: ['name', 'ttl', 'data-dir', 'server'] });
  if (p.positionals.length > 0) throw new UsageError(`unexpected argument "${p.positionals[0]!}"`);
  const name = str(p, 'name');
  if (name === undefined || name === '') throw new UsageError('required flag --name not set: the user name (the certificate\'s common name)');
  for (const g of groups) if (g === '') throw new UsageError('--group must not be empty');
  const ttlMs = durationMs('ttl', str(p, 'ttl', DEFAULT_USER_TTL));
  if (ttlMs === 0) throw new UsageError('invalid --ttl "0": a certificate needs a validity period greater than zero');
  const server = str(p, 'server');
  if (server !== undefined && !/^https:\/\/[^/]+/.test(server)) throw new UsageError(`invalid --server "${server}": want an https:// URL`);
  return {
    name, groups: [...new Set(groups)], ttlMs, dataDir: str(p, 'data-dir', DEFAULT_DATA_DIR),
    ...(server !== undefined ? { server } : {}),
  };
}
