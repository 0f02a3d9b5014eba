/**
 * `tinykube kubeconfig user --name N [--group G]... [--ttl D] [--data-dir D] [--server URL]`
 * (kubeadm's `kubeconfig user`): prints a kubeconfig for user N with a client certificate
 * (CN = N, one O per group) signed by the cluster CA in the data dir, valid for --ttl (a year by
 * default), with the cluster's server URL and CA. Nothing is written to disk and nothing is
 * stored in the cluster: whoever holds the file is N until the certificate expires.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadKubeconfig } from '../../agent/kubeconfig.js';
import { issueClientCert } from '../../control/pki/issue-cert.js';
import type { CaPair } from '../../control/pki/issue-cert.js';
import { renderKubeconfig, userContextName } from '../../control/pki/kubeconfig.js';
import { systemClock } from '../../control/util/clock.js';
import type { Clock } from '../../control/util/clock.js';
import { UsageError } from '../flags.js';
import type { IoStreams } from '../io-streams.js';
import { DEFAULT_USER_TTL, parseUserArgs } from './kubeconfig-args.js';
import type { UserKubeconfigOptions } from './kubeconfig-args.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface KubeconfigCommandDeps { clock?: Clock }

const USAGE = `usage: tinykube kubeconfig user --name N [--group G]... [--ttl ${DEFAULT_USER_TTL}] [--data-dir D] [--server https://HOST:PORT]
  prints a kubeconfig for user N (groups G) with a client certificate signed by the cluster CA in D/pki`;

async function readCa(dataDir: string): Promise<CaPair> {
  const dir = join(dataDir, 'pki');
  try {
    const [caCertPem, caKeyPem] = await Promise.all([readFile(join(dir, 'ca.crt'), 'utf8'), readFile(join(dir, 'ca.key'), 'utf8')]);
    return { caCertPem, caKeyPem };
  } catch (err) {
    throw new Error(`read the cluster CA in ${dir}: ${(err as Error).message}`, { cause: err });
  }
}

/** --server, else the server of the data dir's admin kubeconfig (the one `up`/`server` write). */
async function serverOf(o: UserKubeconfigOptions): Promise<string> {
  if (o.server !== undefined) return o.server;
  const path = join(o.dataDir, 'admin.kubeconfig');
  try {
    return (await loadKubeconfig(path)).server;
  } catch (err) {
    throw new Error(`no --server given and the server cannot be read from ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** The kubeconfig text for these options. */
export async function userKubeconfig(o: UserKubeconfigOptions, now: Date): Promise<string> {
  const ca = await readCa(o.dataDir); // the CA first: without it nothing else matters
  const server = await serverOf(o);
  let pair;
  try {
    pair = await issueClientCert(ca, { commonName: o.name, organizations: o.groups, days: o.ttlMs / DAY_MS, now });
  } catch (err) {
    throw new Error(`issue a client certificate for "${o.name}": ${(err as Error).message}`, { cause: err });
  }
  return renderKubeconfig({
    server, caCertPem: ca.caCertPem, user: o.name, contextName: userContextName(o.name),
    clientCertPem: pair.certPem, clientKeyPem: pair.keyPem,
  });
}

export async function kubeconfigCommand(argv: readonly string[], io: IoStreams, deps: KubeconfigCommandDeps = {}): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'user':
      io.out.write(await userKubeconfig(parseUserArgs(rest), (deps.clock ?? systemClock).now()));
      return 0;
    case undefined: case 'help': case '--help': case '-h':
      io.out.write(`${USAGE}\n`);
      return sub === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown kubeconfig command "${sub}": want user`);
  }
}
