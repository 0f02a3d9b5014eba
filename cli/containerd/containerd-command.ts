/**
 * `tinykube containerd config`: the one containerd config renderer (cri/containerd/config.ts) for
 * scripts. Writes <dir>/config.toml, <dir>/cni-template.conflist, <dir>/net.d/ and <dir>/certs.d/
 * (each file atomically) and prints the config file's path; --print writes nothing and prints the
 * config.toml instead. The defaults are the host's containerd for tinykube (scripts/lib.sh
 * ensure_containerd): the standard root, state and socket, and the pod network `tinykube up` gives
 * its Docker agent (bridge tk0, host-local under /var/lib/tinykube, no firewall plugin).
 */
import { join } from 'node:path';
import { configFilesIn, writeContainerdConfig, type ContainerdInstanceConfig } from '../../cri/containerd/config-writer.js';
import { renderContainerdConfig } from '../../cri/containerd/config.js';
import { renderConflistTemplate } from '../../cri/cni/conflist.js';
import { isCriError } from '../../cri/errors.js';
import { DEFAULT_DATA_DIR } from '../defaults.js';
import { bool, parseFlags, str, UsageError } from '../flags.js';
import type { IoStreams } from '../io-streams.js';

export const HOST_CONTAINERD_CONFIG_DIR = '/etc/tinykube/containerd';

const USAGE = `usage: tinykube containerd config [--dir ${HOST_CONTAINERD_CONFIG_DIR}] [--root /var/lib/containerd] [--state /run/containerd]
         [--address /run/containerd/containerd.sock] [--bridge tk0] [--cni-data-dir ${DEFAULT_DATA_DIR}/cni/networks]
         [--network-name tinykube] [--firewall] [--pod-cidr CIDR] [--sandbox-image docker.io/tinykube/pause:1] [--print]`;

const VALUES = ['dir', 'root', 'state', 'address', 'bridge', 'cni-data-dir', 'network-name', 'pod-cidr', 'sandbox-image'] as const;

export async function containerdCommand(argv: readonly string[], io: IoStreams): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out.write(`${USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'config') throw new UsageError(`unknown containerd command "${sub}" (${USAGE})`);
  const p = parseFlags(rest, { values: VALUES, booleans: ['firewall', 'print'] });
  if (p.positionals.length > 0) throw new UsageError(`containerd config takes no arguments, got "${p.positionals[0]}"`);
  const dir = str(p, 'dir', HOST_CONTAINERD_CONFIG_DIR);
  const podCidr = str(p, 'pod-cidr');
  const sandboxImage = str(p, 'sandbox-image');
  const c: ContainerdInstanceConfig = {
    root: str(p, 'root', '/var/lib/containerd'),
    state: str(p, 'state', '/run/containerd'),
    address: str(p, 'address', '/run/containerd/containerd.sock'),
    network: {
      name: str(p, 'network-name', 'tinykube'),
      bridge: str(p, 'bridge', 'tk0'),
      dataDir: str(p, 'cni-data-dir', join(DEFAULT_DATA_DIR, 'cni', 'networks')),
      firewall: bool(p, 'firewall'),
    },
    ...(podCidr !== undefined ? { podCidr } : {}),
    ...(sandboxImage !== undefined ? { sandboxImage } : {}),
  };
  try {
    if (bool(p, 'print')) {
      renderConflistTemplate(c.network); // the same checks as when writing it (bridge name)
      io.out.write(renderContainerdConfig({ ...c, ...configFilesIn(dir) }));
      return 0;
    }
    const files = await writeContainerdConfig(dir, c);
    io.out.write(`${files.configFile}\n`);
    return 0;
  } catch (err) {
    if (isCriError(err, 'InvalidArgument')) throw new UsageError(err.message);
    throw err;
  }
}
