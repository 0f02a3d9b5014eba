/**
 * One single-layer image as a tar that is at the same time an OCI image layout (oci-layout,
 * index.json, blobs/sha256/…) and a docker-archive (manifest.json pointing at the same blobs), so
 * `docker load` (which reads only manifest.json) and `ctr images import` both accept it, and the
 * image ID (the config digest) is the same in both runtimes.
 */
import { createHash } from 'node:crypto';
import { FIXED_MTIME, writeTar } from './tar-writer.js';
import type { TarEntry } from './tar-writer.js';
import { splitRegistry } from './reference.js';

/** The runtime part of an OCI image config (`config` in the config blob). */
export interface ImageRunConfig {
  Env?: string[];
  Entrypoint?: string[];
  Cmd?: string[];
  WorkingDir?: string;
  /** The image's USER: "uid", "name", "uid:gid" or "name:gid". */
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Labels?: Record<string, string>;
}

export interface ImageArchiveOptions {
  /** Short references such as "tinykube/web:1" (docker's RepoTags; containerd gets docker.io/… names). */
  repoTags: readonly string[];
  /** The root filesystem, the image's only layer. */
  layer: readonly TarEntry[];
  config: ImageRunConfig;
}

export interface ImageArchive {
  /** The tar itself. */
  tar: Buffer;
  /** "sha256:<hex>" of the config blob: docker's image ID. */
  imageId: string;
  /** "sha256:<hex>" of the OCI manifest blob. */
  manifestDigest: string;
  /** "sha256:<hex>" of the uncompressed layer (its diff ID). */
  layerDigest: string;
  layerSize: number;
}

export const MEDIA_TYPES = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
  index: 'application/vnd.oci.image.index.v1+json',
} as const;

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

export function goArch(nodeArch: string = process.arch): string {
  switch (nodeArch) {
    case 'x64': return 'amd64';
    case 'ia32': return '386';
    case 'ppc64': return 'ppc64le';
    default: return nodeArch; // arm, arm64, s390x, riscv64, mips64le… already match
  }
}

/** "tinykube/web:1" -> "docker.io/tinykube/web:1"; names with a registry host stay as they are. */
export function fullyQualified(ref: string): string {
  const { host, rest } = splitRegistry(ref);
  return `${host}/${rest}`;
}

function tagOf(ref: string): string {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? ref.slice(colon + 1) : 'latest';
}

/** PURE (apart from process.arch for the default platform). Builds the archive in memory. */
export function buildImageArchive(opts: ImageArchiveOptions, arch: string = goArch()): ImageArchive {
  if (opts.repoTags.length === 0) throw new Error('image archive: at least one repo tag is needed');
  const layer = writeTar(opts.layer);
  const layerHex = sha256(layer);
  const created = new Date(FIXED_MTIME * 1000).toISOString();
  const config = json({
    architecture: arch,
    os: 'linux',
    created,
    config: opts.config,
    rootfs: { type: 'layers', diff_ids: [`sha256:${layerHex}`] },
    history: [{ created, created_by: 'tinykube image build', comment: 'busybox-static rootfs' }],
  });
  const configHex = sha256(config);
  const manifest = json({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.manifest,
    config: { mediaType: MEDIA_TYPES.config, digest: `sha256:${configHex}`, size: config.length },
    layers: [{ mediaType: MEDIA_TYPES.layer, digest: `sha256:${layerHex}`, size: layer.length }],
  });
  const manifestHex = sha256(manifest);
  const index = json({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.index,
    manifests: opts.repoTags.map((ref) => ({
      mediaType: MEDIA_TYPES.manifest,
      digest: `sha256:${manifestHex}`,
      size: manifest.length,
      platform: { architecture: arch, os: 'linux' },
      annotations: {
        'io.containerd.image.name': fullyQualified(ref),
        'org.opencontainers.image.ref.name': tagOf(ref),
      },
    })),
  });
  const dockerManifest = json([{
    Config: `blobs/sha256/${configHex}`,
    RepoTags: [...opts.repoTags],
    Layers: [`blobs/sha256/${layerHex}`],
  }]);
  const tar = writeTar([
    { type: 'file', path: 'oci-layout', data: json({ imageLayoutVersion: '1.0.0' }) },
    { type: 'dir', path: 'blobs' },
    { type: 'dir', path: 'blobs/sha256' },
    { type: 'file', path: `blobs/sha256/${layerHex}`, data: layer },
    { type: 'file', path: `blobs/sha256/${configHex}`, data: config },
    { type: 'file', path: `blobs/sha256/${manifestHex}`, data: manifest },
    { type: 'file', path: 'index.json', data: index },
    { type: 'file', path: 'manifest.json', data: dockerManifest },
  ]);
  return {
    tar,
    imageId: `sha256:${configHex}`,
    manifestDigest: `sha256:${manifestHex}`,
    layerDigest: `sha256:${layerHex}`,
    layerSize: layer.length,
  };
}
