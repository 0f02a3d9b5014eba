/** Root filesystems made from Debian's busybox-static: one static binary plus applet symlinks. */
import { readFile } from 'node:fs/promises';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import type { TarEntry } from './tar-writer.js';

export const DEFAULT_BUSYBOX = '/usr/bin/busybox';

export interface Busybox {
  binary: Buffer;
  /** Applet names, sorted, without "busybox" itself. */
  applets: string[];
}

/** Reads the binary and asks it for its applets (`busybox --list`). */
export async function loadBusybox(path: string = DEFAULT_BUSYBOX): Promise<Busybox> {
  let binary: Buffer;
  try {
    binary = await readFile(path);
  } catch (err) {
    throw new Error(`read busybox: ${path}: ${(err as Error).message} (install busybox-static)`, { cause: err });
  }
  const { stdout } = await new ProcessRunner().run(path, ['--list']);
  const applets = stdout.split('\n').map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'busybox' && !s.includes('/'))
    .sort();
  if (!applets.includes('sh')) throw new Error(`busybox: ${path} has no "sh" applet`);
  return { binary, applets };
}

const ETC_PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const ETC_GROUP = 'root:x:0:\nnogroup:x:65534:\n';

const text = (s: string): Uint8Array => Buffer.from(s);

/** /bin/busybox with only the given applets linked (for the pause image). */
export function minimalRootfs(bb: Busybox, applets: readonly string[]): TarEntry[] {
  return [
    { type: 'dir', path: 'bin' },
    { type: 'file', path: 'bin/busybox', data: bb.binary, mode: 0o755 },
    ...[...applets].sort().map((a): TarEntry => ({ type: 'symlink', path: `bin/${a}`, target: 'busybox' })),
    { type: 'dir', path: 'dev' },
    { type: 'dir', path: 'etc' },
    { type: 'dir', path: 'proc' },
    { type: 'dir', path: 'sys' },
  ];
}

/** A usable busybox system: every applet in /bin, /etc/passwd and /etc/group, /tmp, /root. */
export function fullRootfs(bb: Busybox, extra: readonly TarEntry[] = []): TarEntry[] {
  return [
    { type: 'dir', path: 'bin' },
    { type: 'file', path: 'bin/busybox', data: bb.binary, mode: 0o755 },
    ...bb.applets.map((a): TarEntry => ({ type: 'symlink', path: `bin/${a}`, target: 'busybox' })),
    { type: 'dir', path: 'dev' },
    { type: 'dir', path: 'etc' },
    { type: 'file', path: 'etc/group', data: text(ETC_GROUP) },
    { type: 'file', path: 'etc/passwd', data: text(ETC_PASSWD) },
    { type: 'dir', path: 'proc' },
    { type: 'dir', path: 'root', mode: 0o700 },
    { type: 'dir', path: 'sbin' },
    { type: 'dir', path: 'sys' },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    { type: 'dir', path: 'var' },
    ...extra,
  ];
}
