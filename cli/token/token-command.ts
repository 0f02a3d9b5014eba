/**
 * `tinykube token create|list|delete`: bootstrap tokens as kubeadm manages them, through the API
 * server with an admin kubeconfig. `create` prints the token (or, with --print-join-command, the
 * whole `tinykube join` line); `list` prints kubeadm's table; `delete` removes tokens by id.
 */
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import { loadKubeconfig } from '../../agent/kubeconfig.js';
import type { KubeObject } from '../../control/api/object.js';
import { findResource } from '../../control/api/resources.js';
import { isApiError } from '../../control/api/status.js';
import { parseClusterInfoKubeconfig } from '../../control/bootstrap-token/cluster-info.js';
import {
  CLUSTER_INFO_KUBECONFIG_KEY, CLUSTER_INFO_NAME, CLUSTER_INFO_NAMESPACE, TOKEN_NAMESPACE, TOKEN_SECRET_TYPE,
} from '../../control/api/bootstrap-token.js';
import { buildTokenSecret, parseTokenSecret } from '../../control/bootstrap-token/token-secret.js';
import type { BootstrapToken } from '../../control/bootstrap-token/token-secret.js';
import { formatToken, generateToken, tokenSecretName } from '../../control/bootstrap-token/token.js';
import { RestClient } from '../../control/client/rest-client.js';
import { HttpsTransport } from '../../control/client/transport.js';
import type { HttpsTransportOptions } from '../../control/client/transport.js';
import { caCertHash } from '../../control/pki/ca-cert-hash.js';
import { systemClock } from '../../control/util/clock.js';
import type { Clock } from '../../control/util/clock.js';
import { UsageError } from '../flags.js';
import { kubeconfigPath, parseCreateArgs, parseDeleteArgs, parseListArgs } from './token-args.js';
import type { CreateTokenOptions } from './token-args.js';
import { renderTokenTable } from './token-table.js';
import type { IoStreams } from '../io-streams.js';

const SECRETS = findResource('', 'v1', 'secrets')!;
const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;

/** A client on the API server named by a kubeconfig, with that kubeconfig's server and CA. */
export interface ApiConnection { client: RestClient; server: string; caCertPem: string; close(): void }

export interface TokenCommandDeps {
  env?: Readonly<Record<string, string | undefined>>;
  clock?: Clock;
  connect?(kubeconfig: string): Promise<ApiConnection>;
}

export async function connectWithKubeconfig(path: string): Promise<ApiConnection> {
  let opts: HttpsTransportOptions;
  try {
    opts = await loadKubeconfig(path);
  } catch (err) {
    throw new Error(`load kubeconfig ${path}: ${(err as Error).message}`, { cause: err });
  }
  const transport = new HttpsTransport(opts);
  return { client: new RestClient(transport), server: opts.server, caCertPem: opts.caCertPem, close: () => transport.close() };
}

/** `tinykube join <server> --token <token> --ca-cert-hash sha256:<hex>`. */
export const joinCommand = (server: string, token: string, caHash: string): string =>
  `tinykube join ${server} --token ${token} --ca-cert-hash ${caHash}`;

/** The server nodes should join: the advertised one from cluster-info, else the kubeconfig's. */
async function joinServer(c: ApiConnection): Promise<string> {
  try {
    const cm = await c.client.get<ConfigMap & KubeObject>(CONFIGMAPS, CLUSTER_INFO_NAMESPACE, CLUSTER_INFO_NAME);
    return parseClusterInfoKubeconfig(cm.data?.[CLUSTER_INFO_KUBECONFIG_KEY] ?? '')?.server ?? c.server;
  } catch (err) {
    if (isApiError(err) && err.code === 404) return c.server;
    throw new Error('read cluster-info', { cause: err });
  }
}

export async function createToken(c: ApiConnection, o: CreateTokenOptions, now: Date): Promise<string> {
  const token = o.token ?? generateToken();
  const t: BootstrapToken = { token, usages: [...o.usages].sort(), groups: o.groups };
  if (o.description) t.description = o.description;
  if (o.ttlMs > 0) t.expires = new Date(now.getTime() + o.ttlMs);
  try {
    await c.client.create(SECRETS, TOKEN_NAMESPACE, buildTokenSecret(t));
  } catch (err) {
    if (isApiError(err) && err.code === 409) throw new Error(`a token with id "${token.id}" already exists`, { cause: err });
    throw new Error(`create bootstrap token "${token.id}": ${(err as Error).message}`, { cause: err });
  }
  return o.printJoinCommand ? joinCommand(await joinServer(c), formatToken(token), caCertHash(c.caCertPem)) : formatToken(token);
}

/** The table, and one line per token Secret that does not parse. */
export async function listTokens(c: ApiConnection, now: Date): Promise<{ table: string; problems: string[] }> {
  let items: (Secret & KubeObject)[];
  try {
    items = (await c.client.list<Secret & KubeObject>(SECRETS, TOKEN_NAMESPACE, { fieldSelector: `type=${TOKEN_SECRET_TYPE}` })).items;
  } catch (err) {
    throw new Error(`failed to list bootstrap tokens: ${(err as Error).message}`, { cause: err });
  }
  const tokens: BootstrapToken[] = [];
  const problems: string[] = [];
  for (const s of items) {
    const parsed = parseTokenSecret(s);
    if (parsed.ok) tokens.push(parsed.token); else problems.push(parsed.reason);
  }
  return { table: renderTokenTable(tokens, now), problems };
}

export async function deleteToken(c: ApiConnection, id: string): Promise<void> {
  try {
    await c.client.delete(SECRETS, TOKEN_NAMESPACE, tokenSecretName(id));
  } catch (err) {
    throw new Error(`failed to delete bootstrap token "${id}": ${(err as Error).message}`, { cause: err });
  }
}

const USAGE = `usage: tinykube token create [TOKEN] [--ttl 24h] [--description TEXT] [--groups G,…] [--usages signing,authentication] [--print-join-command] [--kubeconfig F]
       tinykube token list [--kubeconfig F]
       tinykube token delete ID|TOKEN… [--kubeconfig F]`;

export async function tokenCommand(argv: readonly string[], io: IoStreams, deps: TokenCommandDeps = {}): Promise<number> {
  const [sub, ...rest] = argv;
  const env = deps.env ?? process.env;
  const clock = deps.clock ?? systemClock;
  const connect = deps.connect ?? connectWithKubeconfig;
  const withConnection = async (kubeconfig: string | undefined, fn: (c: ApiConnection) => Promise<void>): Promise<number> => {
    const c = await connect(kubeconfigPath(kubeconfig, env));
    try { await fn(c); } finally { c.close(); }
    return 0;
  };
  switch (sub) {
    case 'create': {
      const { opts, kubeconfig } = parseCreateArgs(rest);
      return withConnection(kubeconfig, async (c) => { io.out.write(`${await createToken(c, opts, clock.now())}\n`); });
    }
    case 'list': {
      const { kubeconfig } = parseListArgs(rest);
      return withConnection(kubeconfig, async (c) => {
        const { table, problems } = await listTokens(c, clock.now());
        for (const p of problems) io.err.write(`${p}\n`);
        io.out.write(table);
      });
    }
    case 'delete': {
      const { ids, kubeconfig } = parseDeleteArgs(rest);
      return withConnection(kubeconfig, async (c) => {
        for (const id of ids) {
          await deleteToken(c, id);
          io.out.write(`bootstrap token "${id}" deleted\n`);
        }
      });
    }
    case undefined: case 'help': case '--help': case '-h':
      io.out.write(`${USAGE}\n`);
      return sub === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown token command "${sub}": want create, list or delete`);
  }
}
