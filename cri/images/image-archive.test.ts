import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImageArchive, fullyQualified, goArch, MEDIA_TYPES } from './image-archive.js';

const dir = mkdtempSync(join(tmpdir(), 'tk-img-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const readJson = (p: string): Record<string, unknown> => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;

describe('buildImageArchive', () => {
  const archive = buildImageArchive({
    repoTags: ['tk-test/web:2'],
    layer: [
      { type: 'dir', path: 'bin' },
      { type: 'file', path: 'bin/busybox', data: Buffer.from('not really busybox'), mode: 0o755 },
      { type: 'symlink', path: 'bin/sh', target: 'busybox' },
    ],
    config: { Env: ['PATH=/bin'], Cmd: ['sh'], ExposedPorts: { '80/tcp': {} } },
  }, 'amd64');
  const out = join(dir, 'x');
  mkdirSync(out);
  writeFileSync(join(dir, 'x.tar'), archive.tar);
  execFileSync('tar', ['-xf', join(dir, 'x.tar'), '-C', out]);

  it('holds an OCI layout and a docker manifest.json', () => {
    const names = execFileSync('tar', ['-tf', join(dir, 'x.tar')], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toEqual(expect.arrayContaining(['oci-layout', 'index.json', 'manifest.json', 'blobs/sha256/']));
    expect(readJson(join(out, 'oci-layout'))).toEqual({ imageLayoutVersion: '1.0.0' });
    expect(readdirSync(join(out, 'blobs/sha256'))).toHaveLength(3);
  });

  it('names every blob by its digest and links them consistently', () => {
    for (const f of readdirSync(join(out, 'blobs/sha256'))) {
      expect(sha(readFileSync(join(out, 'blobs/sha256', f)))).toBe(`sha256:${f}`);
    }
    const [docker] = readJson(join(out, 'manifest.json')) as unknown as Array<{ Config: string; RepoTags: string[]; Layers: string[] }>;
    expect(docker?.RepoTags).toEqual(['tk-test/web:2']);
    expect(docker?.Config).toBe(`blobs/sha256/${archive.imageId.slice(7)}`);
    expect(docker?.Layers).toEqual([`blobs/sha256/${archive.layerDigest.slice(7)}`]);

    const config = readJson(join(out, docker!.Config));
    expect(config).toMatchObject({
      architecture: 'amd64', os: 'linux', created: '2024-01-01T00:00:00.000Z',
      config: { Env: ['PATH=/bin'], Cmd: ['sh'], ExposedPorts: { '80/tcp': {} } },
      rootfs: { type: 'layers', diff_ids: [archive.layerDigest] },
    });

    const index = readJson(join(out, 'index.json')) as { manifests: Array<{ digest: string; size: number; mediaType: string; annotations: Record<string, string> }> };
    expect(index.manifests).toHaveLength(1);
    const m = index.manifests[0]!;
    expect(m.digest).toBe(archive.manifestDigest);
    expect(m.mediaType).toBe(MEDIA_TYPES.manifest);
    expect(m.annotations).toEqual({ 'io.containerd.image.name': 'docker.io/tk-test/web:2', 'org.opencontainers.image.ref.name': '2' });
    const manifestBlob = readFileSync(join(out, 'blobs/sha256', m.digest.slice(7)));
    expect(m.size).toBe(manifestBlob.length);
    const manifest = JSON.parse(manifestBlob.toString('utf8')) as { config: { digest: string }; layers: Array<{ digest: string; size: number; mediaType: string }> };
    expect(manifest.config.digest).toBe(archive.imageId);
    expect(manifest.layers).toEqual([{ mediaType: MEDIA_TYPES.layer, digest: archive.layerDigest, size: archive.layerSize }]);
  });

  it('has a layer the system tar can list', () => {
    const layer = join(out, 'blobs/sha256', archive.layerDigest.slice(7));
    const listing = execFileSync('tar', ['-tvf', layer], { encoding: 'utf8' });
    expect(listing).toContain('bin/sh -> busybox');
  });

  it('is deterministic (stable image ID)', () => {
    const again = buildImageArchive({
      repoTags: ['tk-test/web:2'],
      layer: [
        { type: 'dir', path: 'bin' },
        { type: 'file', path: 'bin/busybox', data: Buffer.from('not really busybox'), mode: 0o755 },
        { type: 'symlink', path: 'bin/sh', target: 'busybox' },
      ],
      config: { Env: ['PATH=/bin'], Cmd: ['sh'], ExposedPorts: { '80/tcp': {} } },
    }, 'amd64');
    expect(again.imageId).toBe(archive.imageId);
    expect(again.tar.equals(archive.tar)).toBe(true);
  });

  it('needs a tag', () => {
    expect(() => buildImageArchive({ repoTags: [], layer: [], config: {} })).toThrow(/repo tag/);
  });
});

describe('names', () => {
  it.each([
    ['tinykube/web:1', 'docker.io/tinykube/web:1'],
    ['busybox:1', 'docker.io/library/busybox:1'],
    ['127.0.0.1:5000/tinykube/pulltest:1', '127.0.0.1:5000/tinykube/pulltest:1'],
    ['localhost/x:1', 'localhost/x:1'],
  ])('fullyQualified(%s) = %s', (ref, want) => expect(fullyQualified(ref)).toBe(want));

  it('maps node arches to Go arches', () => {
    expect(goArch('x64')).toBe('amd64');
    expect(goArch('arm64')).toBe('arm64');
  });
});
