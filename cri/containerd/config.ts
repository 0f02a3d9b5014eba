/**
 * The one renderer of a containerd 1.6 config.toml (version 2) for tinykube (PURE). Every path a
 * second containerd would otherwise share with dockerd's or the distribution's one is moved under
 * its own root or state (docs/cri-notes.md G2): runc root, netns mounts, the opt plugin. The CRI
 * plugin keeps what these hosts need: restrict_oom_score_adj (no CAP_SYS_RESOURCE, G1), cgroupfs
 * (no systemd, G3), overlayfs (G4), our sandbox image (G5), and a CNI config rendered by containerd
 * itself from `cniTemplate` when the agent sends the podCIDR (UpdateRuntimeConfig).
 */
import { join } from 'node:path';
import { CriError } from '../errors.js';

/** The pause image every tinykube node runs as its sandbox (built by `tinykube image build-test`). */
export const SANDBOX_IMAGE = 'docker.io/tinykube/pause:1';
/** Debian's containernetworking-plugins. */
export const CNI_BIN_DIR = '/usr/lib/cni';
/** The file containerd writes when it renders conf_template (lexically first in conf_dir wins, G7). */
export const CNI_RENDERED_FILE = '10-containerd-net.conflist';

/** Plugins nothing here uses: other snapshotters (G4), tracing. (The v1 runtime stays: 1.6's tasks service needs it.) */
export const DISABLED_PLUGINS: readonly string[] = [
  'io.containerd.snapshotter.v1.aufs',
  'io.containerd.snapshotter.v1.btrfs',
  'io.containerd.snapshotter.v1.devmapper',
  'io.containerd.snapshotter.v1.zfs',
  'io.containerd.tracing.processor.v1.otlp',
  'io.containerd.internal.v1.tracing',
];

export interface ContainerdConfigOptions {
  /** Persistent data (content store, snapshots, metadata). */
  root: string;
  /** Runtime state (shim bundles, runc root, netns mounts). */
  state: string;
  /** The gRPC unix socket path. */
  address: string;
  /** Where containerd reads (and renders) the CNI conflist. */
  cniConfDir: string;
  /** The conflist template file containerd renders with {{.PodCIDR}} on UpdateRuntimeConfig. */
  cniTemplate: string;
  /** hosts.toml directory (registry mirrors); plain HTTP to 127.0.0.1:5000 works without one. */
  registryConfigPath: string;
  /** Default SANDBOX_IMAGE. */
  sandboxImage?: string;
  /** Default CNI_BIN_DIR. */
  cniBinDir?: string;
}

/** A TOML basic string (JSON's escapes are TOML's for everything a path holds). */
function q(s: string): string {
  return JSON.stringify(s);
}

const CRI = '[plugins."io.containerd.grpc.v1.cri"';

/**
 * PURE. The config.toml text. Throws CriError('InvalidArgument') when a path is not absolute:
 * containerd would resolve a relative one against its working directory.
 */
export function renderContainerdConfig(o: ContainerdConfigOptions): string {
  for (const [name, path] of Object.entries({ root: o.root, state: o.state, address: o.address, cniConfDir: o.cniConfDir,
    cniTemplate: o.cniTemplate, registryConfigPath: o.registryConfigPath, cniBinDir: o.cniBinDir ?? CNI_BIN_DIR })) {
    if (!path.startsWith('/') || path.includes('\n')) throw new CriError('InvalidArgument', `containerd config: ${name} must be an absolute path, got ${JSON.stringify(path)}`);
  }
  const lines = [
    '# Rendered by tinykube (cri/containerd/config.ts); edits are overwritten.',
    'version = 2',
    `root = ${q(o.root)}`,
    `state = ${q(o.state)}`,
    `disabled_plugins = [${DISABLED_PLUGINS.map(q).join(', ')}]`,
    '',
    '[grpc]',
    `  address = ${q(o.address)}`,
    '',
    '[plugins]',
    '  [plugins."io.containerd.internal.v1.opt"]',
    `    path = ${q(join(o.root, 'opt'))}`,
    '  [plugins."io.containerd.runtime.v1.linux"]',
    `    runtime_root = ${q(join(o.state, 'runc-v1'))}`,
    `  ${CRI}]`,
    `    sandbox_image = ${q(o.sandboxImage ?? SANDBOX_IMAGE)}`,
    '    restrict_oom_score_adj = true',
    '    netns_mounts_under_state_dir = true',
    '    stream_server_address = "127.0.0.1"',
    '    stream_server_port = "0"',
    '    systemd_cgroup = false',
    '    max_container_log_line_size = 16384',
    `    ${CRI}.containerd]`,
    '      snapshotter = "overlayfs"',
    '      default_runtime_name = "runc"',
    `      ${CRI}.containerd.runtimes.runc]`,
    '        runtime_type = "io.containerd.runc.v2"',
    `        ${CRI}.containerd.runtimes.runc.options]`,
    '          SystemdCgroup = false',
    `          Root = ${q(join(o.state, 'runc'))}`,
    `    ${CRI}.cni]`,
    `      bin_dir = ${q(o.cniBinDir ?? CNI_BIN_DIR)}`,
    `      conf_dir = ${q(o.cniConfDir)}`,
    `      conf_template = ${q(o.cniTemplate)}`,
    '      max_conf_num = 1',
    `    ${CRI}.registry]`,
    `      config_path = ${q(o.registryConfigPath)}`,
  ];
  return `${lines.join('\n')}\n`;
}
