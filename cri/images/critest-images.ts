/**
 * Offline stand-ins for the images critest v1.26.1 uses (names exactly as critest spells them),
 * built from busybox-static like the test images: busybox (top, sh, cat, hostname, echo, ls…),
 * nginx and httpd as busybox httpd on :80 (httpd logs "httpd -D FOREGROUND" as the real one
 * does), hostnet-nginx on :12003, an image whose user 1000 is in group 50000, and the Image
 * Manager images (tag/latest/all-references, USER variants, three distinct images, one image with
 * three tags). `preload` images go straight into the runtimes; `registry` images are pushed to a
 * local registry and pulled by the specs. test-image-digest is not built: its manifest digest is
 * fixed by upstream and cannot be reproduced.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_BUSYBOX, fullRootfs, loadBusybox } from './busybox-rootfs.js';
import type { Busybox } from './busybox-rootfs.js';
import { buildImageArchive } from './image-archive.js';
import type { ImageArchiveOptions } from './image-archive.js';
import type { TarEntry } from './tar-writer.js';

export const E2E_PREFIX = 'registry.k8s.io/e2e-test-images';
export const CRI_TOOLS_PREFIX = 'gcr.io/k8s-staging-cri-tools';

export interface CritestImage {
  /** File name stem of the archive. */
  name: string;
  /** Every reference the archive carries (one image ID for all of them). */
  refs: string[];
  /** preload: loaded into the runtimes; registry: pushed to the local registry only. */
  use: 'preload' | 'registry';
  options: ImageArchiveOptions;
}

const PATH_ENV = 'PATH=/bin:/sbin:/usr/bin';

/** busybox-static 1.35 has no pgrep applet, and critest's execSync-timeout spec runs it: PIDs by name (-f: command line). */
export const PGREP_SCRIPT = `#!/bin/sh
full=0
[ "$1" = -f ] && { full=1; shift; }
found=1
for d in /proc/[0-9]*; do
  pid=\${d#/proc/}
  [ "$pid" = "$$" ] && continue
  if [ $full = 1 ]; then s=$(tr '\\0' ' ' < "$d/cmdline" 2>/dev/null); else s=$(cat "$d/comm" 2>/dev/null); fi
  case "$s" in ''|*/bin/pgrep*) continue ;; esac
  if echo "$s" | grep -qE -- "$1"; then echo "$pid"; found=0; fi
done
exit $found
`;

/** A shell entrypoint serving `page` with busybox httpd on `port`; PID 1 stays the shell so SIGTERM ends it at once. */
export function webEntrypoint(opts: { port: number; page: string; banner: string }): string {
  return `#!/bin/sh
mkdir -p /www
printf '%s\\n' '${opts.page}' > /www/index.html
echo '${opts.banner}'
trap 'kill -TERM "$child" 2>/dev/null; exit 0' TERM INT
httpd -f -p ${opts.port} -h /www &
child=$!
wait "$child"
`;
}

function rootfs(bb: Busybox, opts: { passwd?: string; group?: string; entrypoint?: string; marker?: string } = {}): TarEntry[] {
  const extra: TarEntry[] = [{ type: 'dir', path: 'www' }, { type: 'dir', path: 'var/run' }];
  if (!bb.applets.includes('pgrep')) extra.push({ type: 'dir', path: 'usr' }, { type: 'dir', path: 'usr/bin' }, { type: 'file', path: 'usr/bin/pgrep', data: Buffer.from(PGREP_SCRIPT), mode: 0o755 });
  if (opts.entrypoint !== undefined) extra.push({ type: 'file', path: 'entrypoint.sh', data: Buffer.from(opts.entrypoint), mode: 0o755 });
  if (opts.marker !== undefined) extra.push({ type: 'file', path: 'etc/image-marker', data: Buffer.from(`${opts.marker}\n`) });
  const base = fullRootfs(bb, extra);
  if (opts.passwd === undefined && opts.group === undefined) return base;
  return base.map((e) => {
    if (e.type !== 'file') return e;
    if (e.path === 'etc/passwd' && opts.passwd !== undefined) return { ...e, data: Buffer.concat([Buffer.from(e.data), Buffer.from(opts.passwd)]) };
    if (e.path === 'etc/group' && opts.group !== undefined) return { ...e, data: Buffer.concat([Buffer.from(e.data), Buffer.from(opts.group)]) };
    return e;
  });
}

function image(name: string, refs: string[], use: CritestImage['use'], layer: TarEntry[], config: ImageArchiveOptions['config']): CritestImage {
  return { name, refs, use, options: { repoTags: refs, layer, config: { Env: [PATH_ENV], ...config } } };
}

/** PURE. Every stand-in critest's Conformance specs (and most others) need. */
export function critestImageDefinitions(bb: Busybox): CritestImage[] {
  const web = (port: number, page: string, banner: string) => ({
    entrypoint: webEntrypoint({ port, page, banner }),
  });
  const wwwData = { passwd: 'www-data:x:33:33:www-data:/var/www:/bin/false\n', group: 'www-data:x:33:\ngroup1004:x:1004:\n' };
  const t = (n: string) => `${CRI_TOOLS_PREFIX}/${n}`;
  return [
    image('busybox', [`${E2E_PREFIX}/busybox:1.29-2`], 'preload', rootfs(bb), { Cmd: ['sh'] }),
    image('nginx', [`${E2E_PREFIX}/nginx:1.14-2`], 'preload',
      rootfs(bb, web(80, '<title>Welcome to nginx!</title>', 'nginx stand-in: busybox httpd on :80')),
      { Entrypoint: ['/entrypoint.sh'], ExposedPorts: { '80/tcp': {} } }),
    image('httpd', [`${E2E_PREFIX}/httpd:2.4.39-4`], 'preload',
      rootfs(bb, web(80, '<html><body><h1>It works!</h1></body></html>', "httpd stand-in: Command line: 'httpd -D FOREGROUND'")),
      { Entrypoint: ['/entrypoint.sh'], ExposedPorts: { '80/tcp': {} } }),
    image('hostnet-nginx', [`${t('hostnet-nginx-amd64')}:latest`], 'preload',
      rootfs(bb, web(12003, '<title>Welcome to nginx!</title>', 'hostnet-nginx stand-in: busybox httpd on :12003')),
      { Entrypoint: ['/entrypoint.sh'], ExposedPorts: { '12003/tcp': {} } }),
    image('predefined-group', [`${t('test-image-predefined-group')}:latest`], 'preload',
      rootfs(bb, { passwd: 'user1000:x:1000:50000::/tmp:/bin/sh\n', group: 'group50000:x:50000:user1000\n' }), { Cmd: ['sh'], User: '1000' }),
    image('tag-test', [`${t('test-image-tag')}:test`], 'registry', rootfs(bb, { marker: 'tag-test' }), { Cmd: ['sh'] }),
    image('latest', [`${t('test-image-latest')}:latest`], 'registry', rootfs(bb, { marker: 'latest' }), { Cmd: ['sh'] }),
    image('tag-all', [`${t('test-image-tag')}:all`], 'registry', rootfs(bb, { marker: 'tag-all' }), { Cmd: ['sh'] }),
    image('user-uid', [`${t('test-image-user-uid')}:latest`], 'registry', rootfs(bb, { marker: 'uid' }), { Cmd: ['sh'], User: '1002' }),
    image('user-username', [`${t('test-image-user-username')}:latest`], 'registry', rootfs(bb, { ...wwwData, marker: 'username' }), { Cmd: ['sh'], User: 'www-data' }),
    image('user-uid-group', [`${t('test-image-user-uid-group')}:latest`], 'registry', rootfs(bb, { ...wwwData, marker: 'uid-group' }), { Cmd: ['sh'], User: '1003:1004' }),
    image('user-username-group', [`${t('test-image-user-username-group')}:latest`], 'registry', rootfs(bb, { ...wwwData, marker: 'username-group' }), { Cmd: ['sh'], User: 'www-data:1004' }),
    ...[1, 2, 3].map((n) => image(`image-${n}`, [`${t(`test-image-${n}`)}:latest`], 'registry', rootfs(bb, { marker: `image-${n}` }), { Cmd: ['sh'] })),
    image('tags', [1, 2, 3].map((n) => `${t('test-image-tags')}:${n}`), 'registry', rootfs(bb, { marker: 'tags' }), { Cmd: ['sh'] }),
  ];
}

export interface BuiltCritestImage { name: string; refs: string[]; use: CritestImage['use']; path: string; imageId: string }

/** Writes `<outDir>/critest-<name>.tar` for each stand-in (atomically) and returns them. */
export async function buildCritestImages(outDir: string, busyboxPath: string = DEFAULT_BUSYBOX): Promise<BuiltCritestImage[]> {
  const bb = await loadBusybox(busyboxPath);
  await mkdir(outDir, { recursive: true });
  const built: BuiltCritestImage[] = [];
  for (const img of critestImageDefinitions(bb)) {
    const archive = buildImageArchive(img.options);
    const path = join(outDir, `critest-${img.name}.tar`);
    const tmp = `${path}.tmp-${process.pid}`;
    await writeFile(tmp, archive.tar);
    await rename(tmp, path);
    built.push({ name: img.name, refs: img.refs, use: img.use, path, imageId: archive.imageId });
  }
  return built;
}

/** For scripts/critest: `node critest-images.js OUTDIR` prints one line per image: use path ref… */
export async function main(argv: readonly string[]): Promise<void> {
  const outDir = argv[0];
  if (outDir === undefined) throw new Error('usage: critest-images OUTDIR');
  for (const b of await buildCritestImages(outDir)) process.stdout.write(`${b.use} ${b.path} ${b.refs.join(' ')}\n`);
}
