/**
 * `tinykube image import` and `image build-test` with --runtime-endpoint containerd://… load images
 * into a private containerd's k8s.io namespace, where its CRI plugin (the real crictl) sees them
 * under their docker.io names; `tinykube doctor` on that endpoint sees the sandbox image arrive.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/control-plane.js';
import { crictlBinary } from '../helpers/cri-tools.js';
import { startPrivateContainerd, TEST_IMAGE_FILES, type PrivateContainerd } from '../helpers/private-containerd.js';

const run = promisify(execFile);

describe('tinykube image --runtime-endpoint containerd://', () => {
  let c: PrivateContainerd;
  let out: string;
  const criImages = async (): Promise<Array<{ repoTags: string[]; id: string }>> =>
    (JSON.parse((await run(crictlBinary()!, ['-r', `unix://${c.address}`, '-t', '10s', 'images', '-o', 'json'])).stdout) as { images: Array<{ repoTags: string[]; id: string }> }).images;

  beforeAll(async () => {
    c = await startPrivateContainerd({ name: 'tk-img-ctd', images: [] });
    out = await mkdtemp(join(tmpdir(), 'tk-img-ctd-'));
  }, 60_000);
  afterAll(async () => {
    await c?.stop();
    await rm(out, { recursive: true, force: true });
  }, 60_000);

  const doctor = async (): Promise<string[]> => {
    const r = await run('node', [CLI, 'doctor', '--runtime-endpoint', c.endpoint]).catch((e: { stdout: string }) => e);
    return r.stdout.split('\n').filter((l) => /^\[\w+\] +(runtime|CRI plugin|CRI status|sandbox image) /.test(l)).map((l) => l.replace(/ {2,}/g, ' '));
  };

  it('import loads an archive into k8s.io and names what it loaded', async () => {
    expect(await criImages()).toEqual([]);
    const before = await doctor();
    expect(before[0]).toMatch(new RegExp(`^\\[ok\\] runtime containerd 1\\.\\S+ at ${c.address}$`));
    expect(before[1]).toMatch(/^\[ok\] CRI plugin CRI v1: containerd 1\.\S+$/);
    expect(before.slice(2)).toEqual([
      '[warn] CRI status runtime ready; no CNI config loaded yet (the agent sends the podCIDR when it starts)',
      `[fail] sandbox image docker.io/tinykube/pause:1 is not in namespace k8s.io: tinykube image build-test --runtime-endpoint ${c.endpoint}`,
    ]);
    const r = await run('node', [CLI, 'image', 'import', TEST_IMAGE_FILES[1]!, '--runtime-endpoint', c.endpoint]);
    expect(r.stdout).toBe('loaded docker.io/tinykube/busybox:1\n');
    const images = await criImages();
    expect(images.flatMap((i) => i.repoTags)).toEqual(['docker.io/tinykube/busybox:1']);
    // the same image ID Docker reports for the same archive (one file, both runtimes: cri-notes §2)
    const docker = (await run('docker', ['image', 'inspect', '-f', '{{.Id}}', 'tinykube/busybox:1'])).stdout.trim();
    expect(images[0]!.id).toBe(docker);
  });

  it('build-test builds the test images and imports every one where CRI sees it', async () => {
    const r = await run('node', [CLI, 'image', 'build-test', '--out', out, '--runtime-endpoint', c.endpoint], { timeout: 120_000 });
    expect(r.stdout).toMatch(/built and imported 5 images/);
    const tags = (await criImages()).flatMap((i) => i.repoTags).sort();
    expect(tags).toEqual(['busybox:1', 'pause:1', 'web:1', 'web:2', 'web:3'].map((t) => `docker.io/tinykube/${t}`));
    expect((await doctor())[3]).toBe('[ok] sandbox image docker.io/tinykube/pause:1 in namespace k8s.io');
  }, 120_000);

  it('a missing archive or a dead endpoint is one error line and exit 1', async () => {
    const missing = await run('node', [CLI, 'image', 'import', join(out, 'nope.tar'), '--runtime-endpoint', c.endpoint]).catch((e: { code: number; stderr: string }) => e);
    expect('code' in missing && missing.code).toBe(1);
    expect((missing as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
    const dead = await run('node', [CLI, 'image', 'import', TEST_IMAGE_FILES[0]!, '--runtime-endpoint', 'containerd:///run/tinykube-test/nothing.sock']).catch((e: { code: number; stderr: string }) => e);
    expect('code' in dead && dead.code).toBe(1);
    expect((dead as { stderr: string }).stderr).toMatch(/nothing\.sock/);
  });
});
