/**
 * A small libcni equivalent: runs a conflist's plugins against one network namespace.
 * ADD runs the plugins in order, each receiving the previous result as `prevResult`; CHECK runs
 * them in order with the cached ADD result; DEL runs them in reverse with the cached result and
 * is idempotent (plugins release what they can even when the netns is gone).
 */
import { CriError } from '../errors.js';
import { createPluginExec } from './exec-plugin.js';
import type { CniCapabilityArgs, CniCommand, CniConflist, CniPluginConf, CniPluginExec, CniResult } from './types.js';

export interface CniNetworkOptions {
  conflist: CniConflist;
  /** Where plugin binaries live; also CNI_PATH. Default /usr/lib/cni (Debian). */
  binDir?: string;
  /** Interface name inside the pod. Default eth0. */
  ifName?: string;
  /** Plugin runner; the default spawns the binaries. Tests inject a fake. */
  exec?: CniPluginExec;
}

export class CniNetwork {
  readonly conflist: CniConflist;
  readonly binDir: string;
  readonly ifName: string;
  readonly #exec: CniPluginExec;

  constructor(opts: CniNetworkOptions) {
    if (opts.conflist.plugins.length === 0) throw new CriError('InvalidArgument', `cni network ${opts.conflist.name}: no plugins`);
    this.conflist = opts.conflist;
    this.binDir = opts.binDir ?? '/usr/lib/cni';
    this.ifName = opts.ifName ?? 'eth0';
    this.#exec = opts.exec ?? createPluginExec();
  }

  get name(): string { return this.conflist.name; }

  /** Attaches the netns to the network; returns the final result (the last plugin's). */
  async add(containerId: string, netns: string, caps: CniCapabilityArgs = {}): Promise<CniResult> {
    let prev: CniResult | undefined;
    for (const plugin of this.conflist.plugins) {
      const out = await this.#invoke('ADD', plugin, containerId, netns, caps, prev);
      if (out !== undefined) prev = asResult(out, plugin.type);
    }
    if (prev === undefined) throw new CriError('Unknown', `cni network ${this.name}: ADD produced no result`);
    return prev;
  }

  /** Verifies the attachment is still as `prevResult` describes. Throws CriError when not. */
  async check(containerId: string, netns: string, prevResult: CniResult, caps: CniCapabilityArgs = {}): Promise<void> {
    if (this.conflist.disableCheck === true) return;
    for (const plugin of this.conflist.plugins) {
      await this.#invoke('CHECK', plugin, containerId, netns, caps, prevResult);
    }
  }

  /**
   * Detaches; idempotent. Every plugin runs even if one fails; the first failure is thrown at the
   * end. `netns` may name a file that no longer exists: plugins still release their state.
   */
  async del(containerId: string, netns: string, prevResult?: CniResult, caps: CniCapabilityArgs = {}): Promise<void> {
    let first: unknown;
    for (const plugin of [...this.conflist.plugins].reverse()) {
      try {
        await this.#invoke('DEL', plugin, containerId, netns, caps, prevResult);
      } catch (e) {
        first ??= e;
      }
    }
    if (first !== undefined) throw first;
  }

  #invoke(command: CniCommand, plugin: CniPluginConf, containerId: string, netns: string,
    caps: CniCapabilityArgs, prev: CniResult | undefined): Promise<unknown> {
    return this.#exec({
      command,
      pluginPath: `${this.binDir}/${plugin.type}`,
      containerId,
      netns,
      ifName: this.ifName,
      cniPath: this.binDir,
      conf: pluginConf(this.conflist, plugin, caps, prev),
    });
  }
}

/** The stdin of one plugin: its entry plus name, cniVersion, prevResult and runtimeConfig. */
export function pluginConf(list: CniConflist, plugin: CniPluginConf, caps: CniCapabilityArgs,
  prev: CniResult | undefined): Record<string, unknown> {
  const conf: Record<string, unknown> = { ...plugin, name: list.name, cniVersion: list.cniVersion };
  const runtimeConfig: Record<string, unknown> = {};
  for (const [cap, enabled] of Object.entries(plugin.capabilities ?? {})) {
    const value: unknown = (caps as Record<string, unknown>)[cap];
    if (enabled && value !== undefined) runtimeConfig[cap] = value;
  }
  if (Object.keys(runtimeConfig).length > 0) conf['runtimeConfig'] = runtimeConfig;
  if (prev !== undefined) conf['prevResult'] = prev;
  return conf;
}

function asResult(out: unknown, type: string): CniResult {
  if (typeof out === 'object' && out !== null && typeof (out as { cniVersion?: unknown }).cniVersion === 'string') {
    return out as CniResult;
  }
  throw new CriError('Unknown', `cni plugin ${type}: ADD result is not a CNI result`);
}
