/**
 * The flags of `tinykube up` (and `init`, which runs `up`), checked into one plan: the control
 * plane's (`server`'s flags, passed on), the node's runtime, and the node's own (kubeadm init's
 * --node-name; --node-ip, --node-api-port, --bridge and --network-mode let a node share the host
 * with another, as the tests' nodes do). PURE but for the host defaults and the recorded node name.
 */
import { isIPv4 } from '../../lib/net/ipv4.js';
import { isDNS1123Subdomain } from '../../control/api/validation/names.js';
import { defaultHostAddress } from '../../control/util/host-address.js';
import { chooseRuntimeEndpoint, DEFAULT_DATA_DIR } from '../defaults.js';
import { bool, parseFlags, str, UsageError } from '../flags.js';
import { nodeNameOf } from '../node-name.js';
import { nodeNetworkOf } from '../node-network-record.js';
import type { NodeNetwork } from '../node-network-record.js';
import { SERVER_BOOLEAN_FLAGS, SERVER_FLAGS } from '../server/server-flags.js';
import { NODE_API_PORT } from '../../agent/types.js';

/** The node's runtime: --runtime docker|containerd, or --runtime-endpoint URL (which wins). */
export const UP_RUNTIME_FLAGS = ['runtime', 'runtime-endpoint'] as const;
/** The node's own flags. */
export const UP_NODE_FLAGS = ['node-name', 'node-ip', 'node-api-port', 'bridge', 'network-mode'] as const;
export const UP_VALUE_FLAGS = [...SERVER_FLAGS, ...UP_RUNTIME_FLAGS, ...UP_NODE_FLAGS] as const;
export const UP_BOOLEAN_FLAGS = [...SERVER_BOOLEAN_FLAGS, 'foreground'] as const;

export interface UpNode {
  name: string;
  ip: string;
  apiPort: number;
  network: NodeNetwork;
  serviceCidr: string;
  clusterCidr: string;
}

export interface UpPlan {
  dataDir: string;
  /** --listen split: the control plane's address and port. */
  listenHost: string;
  port: number;
  /** Where this host reaches the control plane: https://127.0.0.1:<port> for a wildcard --listen. */
  serverUrl: string;
  /** `tinykube server …` as `up` runs it. */
  serverArgs: string[];
  runtimeEndpoint: string;
  node: UpNode;
  foreground: boolean;
}

export function parseUpFlags(argv: readonly string[]): UpPlan {
  const p = parseFlags(argv, { values: UP_VALUE_FLAGS, booleans: UP_BOOLEAN_FLAGS });
  if (p.positionals.length > 0) throw new UsageError(`up takes no arguments, got "${p.positionals[0]}"`);
  const dataDir = str(p, 'data-dir', DEFAULT_DATA_DIR);
  const runtimeEndpoint = chooseRuntimeEndpoint({ runtime: str(p, 'runtime'), runtimeEndpoint: str(p, 'runtime-endpoint') });
  const listen = str(p, 'listen', '0.0.0.0:6443');
  const colon = listen.lastIndexOf(':');
  const listenHost = listen.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(listen.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--listen must be HOST:PORT, not "${listen}"`);
  const serverArgs = ['server', '--data-dir', dataDir, '--listen', listen];
  for (const f of SERVER_FLAGS) { const v = str(p, f); if (v !== undefined && f !== 'data-dir' && f !== 'listen') serverArgs.push(`--${f}`, v); }
  for (const f of SERVER_BOOLEAN_FLAGS) if (bool(p, f)) serverArgs.push(`--${f}`);

  const name = str(p, 'node-name') ?? nodeNameOf(dataDir);
  const badName = isDNS1123Subdomain(name);
  if (badName.length > 0) throw new UsageError(`--node-name "${name}": ${badName.join('; ')}`);
  const ip = str(p, 'node-ip') ?? defaultHostAddress();
  if (!isIPv4(ip)) throw new UsageError(`--node-ip: "${ip}" is not an IPv4 address`);
  const apiPortText = str(p, 'node-api-port');
  const apiPort = apiPortText === undefined ? NODE_API_PORT : Number(apiPortText);
  if (!Number.isInteger(apiPort) || apiPort < 1 || apiPort > 65535) throw new UsageError(`--node-api-port: not a port: "${apiPortText ?? ''}"`);
  const network = nodeNetworkOf(str(p, 'network-mode'), str(p, 'bridge'));
  const clientHost = listenHost === '0.0.0.0' || listenHost === '::' ? '127.0.0.1' : listenHost;
  return {
    dataDir, listenHost, port, serverUrl: `https://${clientHost.includes(':') ? `[${clientHost}]` : clientHost}:${port}`, serverArgs, runtimeEndpoint, foreground: bool(p, 'foreground'),
    node: { name, ip, apiPort, network, serviceCidr: str(p, 'service-cidr', '10.96.0.0/12'), clusterCidr: str(p, 'cluster-cidr', '10.244.0.0/16') },
  };
}
