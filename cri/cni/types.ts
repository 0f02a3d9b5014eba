/**
 * CNI data shapes (spec 1.0.0): a network configuration list, one plugin's configuration, the
 * result a plugin prints on ADD, and the runtime config a runtime injects for capabilities.
 */

/** One plugin entry of a conflist. `type` names the binary in the CNI bin dir. */
export interface CniPluginConf {
  type: string;
  capabilities?: Record<string, boolean>;
  [key: string]: unknown;
}

export interface CniConflist {
  cniVersion: string;
  name: string;
  disableCheck?: boolean;
  plugins: CniPluginConf[];
}

export interface CniInterface { name: string; mac?: string; sandbox?: string }
export interface CniIpConfig { address: string; gateway?: string; interface?: number }
export interface CniRoute { dst: string; gw?: string }

/** What ADD prints on stdout (and what DEL/CHECK receive back as `prevResult`). */
export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips?: CniIpConfig[];
  routes?: CniRoute[];
  dns?: Record<string, unknown>;
}

/** A CNI port mapping (the `portMappings` capability, as the portmap plugin reads it). */
export interface CniPortMapping { hostPort: number; containerPort: number; protocol: 'tcp' | 'udp' | 'sctp'; hostIP?: string }

/** Values for plugins that declare matching `capabilities` (injected as `runtimeConfig`). */
export interface CniCapabilityArgs { portMappings?: CniPortMapping[] }

export type CniCommand = 'ADD' | 'DEL' | 'CHECK';

/** One plugin invocation, as handed to a {@link CniPluginExec}. */
export interface CniInvocation {
  command: CniCommand;
  /** Absolute path of the plugin binary. */
  pluginPath: string;
  containerId: string;
  netns: string;
  ifName: string;
  /** CNI_PATH: where plugins look for delegates (host-local for bridge). */
  cniPath: string;
  /** The configuration written to the plugin's stdin. */
  conf: Record<string, unknown>;
}

/** Runs one plugin; resolves with its parsed stdout (undefined when empty). Throws CriError. */
export type CniPluginExec = (inv: CniInvocation) => Promise<unknown>;

/** First IPv4 address of a result without its prefix length, e.g. "10.244.0.5". */
export function firstIPv4(result: CniResult | undefined): string | undefined {
  for (const ip of result?.ips ?? []) {
    const addr = ip.address.split('/')[0];
    if (addr !== undefined && addr.includes('.')) return addr;
  }
  return undefined;
}
