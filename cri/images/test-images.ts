/**
 * The test images tinykube builds without a registry (DESIGN §8): tinykube/pause:1 (the sandbox),
 * tinykube/busybox:1 (shell and applets) and tinykube/web:1..3 (busybox httpd on port 80 answering
 * with the pod's name and IP; the tags differ only in WEB_VERSION, shown on the page, for rollouts).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_BUSYBOX, fullRootfs, loadBusybox, minimalRootfs } from './busybox-rootfs.js';
import type { Busybox } from './busybox-rootfs.js';
import { buildImageArchive } from './image-archive.js';
import type { ImageArchiveOptions } from './image-archive.js';

export const DEFAULT_IMAGE_DIR = '/var/lib/tinykube/images';
export const TEST_IMAGE_REPO = 'tinykube';
export const WEB_VERSIONS = [1, 2, 3] as const;

/**
 * The sandbox: PID 1 stays a shell that waits forever, reaps children and exits 0 at once on
 * SIGTERM/SIGINT. What it waits on is a child `sh` that stopped itself (SIGSTOP; waiting for a
 * termination, not a stop, the wait never returns), not a `sleep`: in a pod that shares its PID
 * namespace every container sees the sandbox's processes, and critest's "execSync with timeout"
 * expects `pgrep sleep` to find nothing once its timed-out `sleep 4321` is gone. Should the child
 * ever be continued, it exits and the loop starts another.
 */
export const PAUSE_SCRIPT = "trap 'exit 0' TERM INT; while :; do sh -c 'kill -STOP $$' & wait; done";

/**
 * The web entrypoint. It stays PID 1 (httpd runs as its child) so that SIGTERM ends the pod at
 * once with exit 0: an httpd that is PID 1 ignores SIGTERM and waits for SIGKILL (cri-notes G10).
 */
export const WEB_ENTRYPOINT = `#!/bin/sh
# tinykube/web: write /www/index.html with this pod's name and IP, then serve it with busybox httpd.
name=$(hostname)
ip=$(ip -4 addr show dev eth0 2>/dev/null | sed -n 's/.*inet \\([0-9.]*\\).*/\\1/p' | head -n 1)
[ -n "$ip" ] || ip=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \\([0-9.]*\\).*/\\1/p' | head -n 1)
[ -n "$ip" ] || ip=$(hostname -i 2>/dev/null | cut -d ' ' -f 1)
port=\${WEB_PORT:-80}
mkdir -p /www
printf 'tinykube web: pod=%s ip=%s version=%s\\n' "$name" "\${ip:-unknown}" "\${WEB_VERSION:-1}" > /www/index.html
echo "tinykube web: serving pod=$name ip=\${ip:-unknown} version=\${WEB_VERSION:-1} on port $port"
trap 'kill -TERM "$child" 2>/dev/null; exit 0' TERM INT
httpd -f -v -p "$port" -h /www &
child=$!
wait "$child"
`;

export interface TestImage { ref: string; options: ImageArchiveOptions }

/** PURE. The image definitions; `repo` replaces "tinykube" (tests use unique repos). */
export function testImageDefinitions(bb: Busybox, repo: string = TEST_IMAGE_REPO): TestImage[] {
  const ref = (name: string, tag: number): string => `${repo}/${name}:${tag}`;
  const images: TestImage[] = [
    {
      ref: ref('pause', 1),
      options: {
        repoTags: [ref('pause', 1)],
        layer: minimalRootfs(bb, ['sh']),
        config: { Env: ['PATH=/bin'], Entrypoint: ['/bin/sh', '-c', PAUSE_SCRIPT] },
      },
    },
    {
      ref: ref('busybox', 1),
      options: {
        repoTags: [ref('busybox', 1)],
        layer: fullRootfs(bb),
        config: { Env: ['PATH=/bin:/sbin'], Cmd: ['sh'] },
      },
    },
  ];
  const webLayer = fullRootfs(bb, [
    { type: 'file', path: 'entrypoint.sh', data: Buffer.from(WEB_ENTRYPOINT), mode: 0o755 },
    { type: 'dir', path: 'www' },
  ]);
  for (const v of WEB_VERSIONS) {
    images.push({
      ref: ref('web', v),
      options: {
        repoTags: [ref('web', v)],
        layer: webLayer,
        config: {
          Env: ['PATH=/bin:/sbin', `WEB_VERSION=${v}`],
          Entrypoint: ['/entrypoint.sh'],
          ExposedPorts: { '80/tcp': {} },
        },
      },
    });
  }
  return images;
}

export interface BuiltImage { ref: string; path: string; imageId: string; size: number }

export interface BuildTestImagesOptions {
  /** Repository namespace instead of "tinykube" (e.g. "tk-test-ab12" gives tk-test-ab12/web:1). */
  repo?: string;
  busyboxPath?: string;
}

/** "tinykube/web:1" -> "tinykube-web-1.tar" */
export const archiveFileName = (ref: string): string => `${ref.replace(/[/:]/g, '-')}.tar`;

/** Builds every test image as `<outDir>/<repo>-<name>-<tag>.tar` (written atomically). */
export async function buildTestImages(outDir: string, opts: BuildTestImagesOptions = {}): Promise<BuiltImage[]> {
  const bb = await loadBusybox(opts.busyboxPath ?? DEFAULT_BUSYBOX);
  await mkdir(outDir, { recursive: true });
  const built: BuiltImage[] = [];
  for (const img of testImageDefinitions(bb, opts.repo)) {
    const archive = buildImageArchive(img.options);
    const path = join(outDir, archiveFileName(img.ref));
    const tmp = `${path}.tmp-${process.pid}`;
    await writeFile(tmp, archive.tar);
    await rename(tmp, path);
    built.push({ ref: img.ref, path, imageId: archive.imageId, size: archive.layerSize });
  }
  return built;
}
