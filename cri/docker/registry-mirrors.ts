/**
 * Registry mirrors for the Docker runtime's pulls, from the configuration containerd's CRI reads
 * (its registry config_path: <dir>/<registry host>/hosts.toml, each [host."http://mirror"] section
 * a mirror, tried in order; one whose capabilities leave out "pull" is skipped). dockerd itself
 * mirrors docker.io only, so the runtime pulls <mirror>/<path>:<tag>, names the image as asked
 * (gcr.io/x/y:t) and drops the mirror's name, as a containerd pull through a mirror names it.
 * Docker reaches a plain-HTTP mirror only on 127.0.0.0/8 or in its insecure-registries.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The mirror hosts (host[:port]) for one registry host, in order; [] when none. */
export type MirrorLookup = (registryHost: string) => Promise<string[]>;

/** PURE. The mirrors a hosts.toml lists: host[:port] of each [host."scheme://host[:port]"] that may pull. */
export function parseHostsToml(text: string): string[] {
  const out: string[] = [];
  let current: { host: string; canPull: boolean } | undefined;
  const flush = () => { if (current?.canPull === true) out.push(current.host); };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const section = /^\[host\."(?:[a-z]+:\/\/)?([^"/]+)[^"]*"\]$/.exec(line);
    if (section !== null) { flush(); current = { host: section[1]!, canPull: true }; continue; }
    if (line.startsWith('[')) { flush(); current = undefined; continue; }
    const caps = /^capabilities\s*=\s*\[(.*)\]$/.exec(line);
    if (caps !== null && current !== undefined) current.canPull = /"pull"/.test(caps[1]!);
  }
  flush();
  return out;
}


/** Mirrors read from <configPath>/<host>/hosts.toml at each pull (as containerd does); a missing file is no mirror. */
export function hostsDirMirrors(configPath: string): MirrorLookup {
  return async (host) => {
    try {
      return parseHostsToml(await readFile(join(configPath, host, 'hosts.toml'), 'utf8'));
    } catch {
      return []; // no hosts.toml for this registry: pull from it directly
    }
  };
}
