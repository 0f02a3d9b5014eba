/**
 * The test images against the real Docker: build into a tmp dir under a unique repository
 * (tk-test-<rand>/…), load, run web and pause on Docker's default bridge, push to and pull from a
 * private docker-registry on a free loopback port. Everything created is removed afterwards.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIntoDocker } from '../../cri/images/image-import.js';
import { buildTestImages } from '../../cri/images/test-images.js';
import type { BuiltImage } from '../../cri/images/test-images.js';
import { eventually } from '../helpers/eventually.js';

const run = promisify(execFile);
const docker = async (...args: string[]): Promise<string> => (await run('docker', args, { encoding: 'utf8' })).stdout.trim();

async function dockerSkipReason(): Promise<string | undefined> {
  if (!existsSync('/usr/bin/busybox')) return 'busybox-static is not installed (/usr/bin/busybox)';
  try {
    await docker('version', '--format', '{{.Server.Version}}');
    return undefined;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    return `docker is not reachable: ${(e.stderr?.trim() || e.message).split('\n')[0]}`;
  }
}

const skipReason = await dockerSkipReason();
if (skipReason !== undefined) console.warn(`images.int.test.ts skipped: ${skipReason}`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr !== null ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

describe.skipIf(skipReason !== undefined)('test images on Docker', () => {
  const id = randomBytes(3).toString('hex');
  const repo = `tk-test-${id}`;
  const label = `tk-test=${id}`;
  const dir = mkdtempSync(join(tmpdir(), `${repo}-`));
  const extraRefs: string[] = [];
  let images: BuiltImage[] = [];
  let registry: ChildProcess | undefined;
  const ref = (name: string): string => images.find((i) => i.ref.startsWith(`${repo}/${name}`))!.ref;

  beforeAll(async () => {
    const started = Date.now();
    images = await buildTestImages(join(dir, 'out'), { repo });
    const built = Date.now();
    for (const img of images) expect(await importIntoDocker(img.path)).toEqual([img.ref]);
    console.log(`built ${images.length} images in ${built - started} ms, loaded in ${Date.now() - built} ms`);
  });

  afterAll(async () => {
    const ids = await docker('ps', '-aq', '--filter', `label=${label}`).catch(() => ''); // nothing to remove
    if (ids !== '') await docker('rm', '-f', ...ids.split('\n')).catch(() => '');
    const refs = [...images.map((i) => i.ref), ...extraRefs];
    if (refs.length > 0) await docker('rmi', ...refs).catch(() => ''); // some may already be gone
    if (registry?.pid !== undefined) process.kill(registry.pid, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads images whose IDs are the config digests', async () => {
    for (const img of images) expect(await docker('image', 'inspect', '--format', '{{.Id}}', img.ref)).toBe(img.imageId);
  });

  it('builds the same bytes twice', async () => {
    const again = await buildTestImages(join(dir, 'again'), { repo });
    for (const [i, img] of again.entries()) {
      expect(img.imageId).toBe(images[i]!.imageId);
      expect(readFileSync(img.path).equals(readFileSync(images[i]!.path))).toBe(true);
    }
  });

  it('web answers on the container IP with its hostname, IP and version', async () => {
    const name = `${repo}-web`;
    await docker('run', '-d', '--rm', '--name', name, '--hostname', name, '--label', label, ref('web:2'));
    const ip = await docker('inspect', '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', name);
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const body = await eventually(async () => {
      const res = await fetch(`http://${ip}/`, { signal: AbortSignal.timeout(2000) });
      expect(res.status).toBe(200);
      return res.text();
    }, { timeoutMs: 10_000, intervalMs: 100 });
    expect(body).toContain(`pod=${name}`);
    expect(body).toContain(`ip=${ip}`);
    expect(body).toContain('version=2');
    const t0 = Date.now();
    await docker('stop', '-t', '10', name);
    expect(Date.now() - t0).toBeLessThan(2000); // exits on SIGTERM, no wait for SIGKILL
  });

  it('pause runs no sleep and exits 0 within 1 s of docker stop', async () => {
    const name = `${repo}-pause`;
    await docker('run', '-d', '--name', name, '--label', label, ref('pause:1'));
    await eventually(async () => expect(await docker('inspect', '--format', '{{.State.Running}}', name)).toBe('true'), { timeoutMs: 5000, intervalMs: 100 });
    await new Promise((r) => setTimeout(r, 200)); // let the shell install its trap
    // a pod sharing its PID namespace sees these (critest: `pgrep sleep` after a timed-out exec)
    const procs = await eventually(async () => {
      const rows = (await docker('top', name, '-o', 'pid,stat,comm')).split('\n').slice(1).map((l) => l.trim().split(/\s+/));
      expect(rows).toHaveLength(2);
      return rows;
    }, { timeoutMs: 5000, intervalMs: 100 });
    expect(procs.map((r) => r[2])).toEqual(['sh', 'sh']);
    expect(procs[1]![1]).toMatch(/^T/); // the stopped child the shell waits on
    const t0 = Date.now();
    await docker('stop', '-t', '10', name);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await docker('inspect', '--format', '{{.State.ExitCode}}', name)).toBe('0');
  });

  it('busybox has its applets on PATH and a root user', async () => {
    const out = await docker('run', '--rm', '--label', label, ref('busybox:1'), 'sh', '-c', 'echo "$PATH"; id -un; ls /bin | wc -l; test -d /tmp && echo tmp');
    const [path, user, count, tmp] = out.split('\n');
    expect(path).toBe('/bin:/sbin');
    expect(user).toBe('root');
    expect(Number(count)).toBeGreaterThan(200);
    expect(tmp).toBe('tmp');
  });

  it.skipIf(!existsSync('/usr/bin/docker-registry'))('pushes to a local docker-registry and pulls back', async () => {
    const port = await freePort();
    const cfg = join(dir, 'registry.yml');
    writeFileSync(cfg, [
      'version: 0.1',
      'log: { level: warn }',
      `storage: { filesystem: { rootdirectory: ${join(dir, 'registry')} }, delete: { enabled: true } }`,
      `http: { addr: 127.0.0.1:${port} }`,
      '',
    ].join('\n'));
    const log = openSync(join(dir, 'registry.log'), 'a');
    registry = spawn('/usr/bin/docker-registry', ['serve', cfg], { stdio: ['ignore', log, log] });
    await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/v2/`, { signal: AbortSignal.timeout(1000) });
      expect(res.status).toBe(200);
    }, { timeoutMs: 10_000, intervalMs: 100 }).catch((err: unknown) => {
      throw new Error(`docker-registry did not answer: ${readFileSync(join(dir, 'registry.log'), 'utf8')}`, { cause: err });
    });
    const remote = `127.0.0.1:${port}/${repo}/pulltest:1`;
    extraRefs.push(remote);
    const busybox = images.find((i) => i.ref === ref('busybox:1'))!;
    await docker('tag', busybox.ref, remote);
    await docker('push', remote);
    await docker('rmi', remote);
    await docker('pull', remote);
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', remote)).toBe(busybox.imageId);
  });
});
