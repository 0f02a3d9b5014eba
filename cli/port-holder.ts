/**
 * Who listens on a TCP port of this network namespace: the listening sockets of /proc/net/tcp and
 * tcp6, then the process holding one of them (its /proc/<pid>/fd links name the socket's inode).
 * `up` and `join` ask before they start a daemon on a port, so a port held by anything else is one
 * clear line naming it instead of a daemon that dies with EADDRINUSE in its log.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { cmdlineOf } from './node-processes.js';

/** What to do about a node API port someone holds (up and join say it). */
export const NODE_API_PORT_HINT = 'stop it, or give the node another --node-api-port';

export interface TcpListener { address: string; port: number; inode: number }

const LISTEN = '0A';

/** IPv4 from /proc/net/tcp's hex (the 32-bit word in little-endian byte order). */
function v4(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].join('.');
}

/** IPv6 from /proc/net/tcp6's hex (four 32-bit words, each little-endian); a v4-mapped one as its IPv4. */
function v6(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  const text = groups.join(':');
  return text === '0:0:0:0:0:0:0:0' ? '::' : text;
}

/** PURE: the listening sockets of a /proc/net/tcp (or tcp6, with `ipv6`) text. */
export function parseProcNetTcp(text: string, ipv6 = false): TcpListener[] {
  const out: TcpListener[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== LISTEN) continue;
    const [addr, port] = (f[1] ?? '').split(':');
    if (addr === undefined || port === undefined) continue;
    out.push({ address: ipv6 ? v6(addr) : v4(addr), port: parseInt(port, 16), inode: Number(f[9]) });
  }
  return out;
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

/** PURE: the listeners a bind to host:port would collide with (a wildcard collides with every address). */
export function conflicting(listeners: readonly TcpListener[], host: string, port: number): TcpListener[] {
  return listeners.filter((l) => l.port === port && (WILDCARDS.has(host) || WILDCARDS.has(l.address) || l.address === host));
}

export interface PortHolder {
  /** The holding process, when this process may see it. */
  pid?: number;
  /** Its command line, joined with spaces. */
  command?: string;
}

function readOr(file: string): string {
  try { return readFileSync(file, 'utf8'); } catch { return ''; } // no IPv6 (or no /proc): no listeners there
}

/** The pid holding one of the socket inodes, scanning /proc/<pid>/fd. */
function pidHolding(inodes: ReadonlySet<number>): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    let fds: string[];
    try { fds = readdirSync(`/proc/${name}/fd`); } catch { continue; } // exited, or not ours to read
    for (const fd of fds) {
      let link: string;
      try { link = readlinkSync(`/proc/${name}/fd/${fd}`); } catch { continue; } // closed meanwhile
      const m = /^socket:\[([0-9]+)\]$/.exec(link);
      if (m && inodes.has(Number(m[1]))) return Number(name);
    }
  }
  return undefined;
}

/** Who holds what a listener on host:port would need, or undefined when it is free. */
export function portHolder(host: string, port: number): PortHolder | undefined {
  const listeners = [...parseProcNetTcp(readOr('/proc/net/tcp')), ...parseProcNetTcp(readOr('/proc/net/tcp6'), true)];
  const hits = conflicting(listeners, host, port);
  if (hits.length === 0) return undefined;
  const pid = pidHolding(new Set(hits.map((h) => h.inode)));
  if (pid === undefined) return {};
  const argv = cmdlineOf(pid);
  return argv === undefined ? { pid } : { pid, command: argv.join(' ') };
}

/** "port 6443 is in use by pid 42 (node …/cli/main.js server --data-dir /var/lib/tinykube)", for an error line. */
export function describeHolder(port: number, h: PortHolder): string {
  // one line: a command line may hold newlines and other control characters
  const flat = h.command?.replace(/[\x00-\x1f\x7f]+/g, ' ');
  const command = flat === undefined ? '' : ` (${flat.length > 400 ? `${flat.slice(0, 397)}...` : flat})`;
  return h.pid === undefined ? `port ${port} is already in use` : `port ${port} is in use by pid ${h.pid}${command}`;
}
