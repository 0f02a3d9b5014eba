/**
 * Writes one containerd instance's configuration into a directory, each file atomically (a temp
 * file, then rename: containerd reloads CNI files as they change and a half-written one fails, G7):
 *   <dir>/config.toml              renderContainerdConfig
 *   <dir>/cni-template.conflist    renderConflistTemplate (containerd renders it into net.d/)
 *   <dir>/net.d/                   conf_dir
 *   <dir>/certs.d/                 registry config_path (hosts.toml per registry)
 * and, when the podCIDR is known up front, net.d/10-containerd-net.conflist already rendered
 * (containerd then skips its template: a loaded CNI config wins).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderConflist, renderConflistTemplate, type ConflistTemplate } from '../cni/conflist.js';
import { CNI_RENDERED_FILE, renderContainerdConfig, type ContainerdConfigOptions } from './config.js';

export interface ContainerdInstanceConfig extends Pick<ContainerdConfigOptions, 'root' | 'state' | 'address' | 'sandboxImage' | 'cniBinDir'> {
  /** The pod network (bridge, host-local dataDir, firewall), as the Docker runtime gets it. */
  network: ConflistTemplate;
  /** Render the conflist now instead of waiting for UpdateRuntimeConfig. */
  podCidr?: string;
}

export interface ContainerdConfigFiles {
  configFile: string;
  cniTemplate: string;
  cniConfDir: string;
  registryConfigPath: string;
}

/** Where the files of an instance configured in `dir` live. PURE. */
export function configFilesIn(dir: string): ContainerdConfigFiles {
  return {
    configFile: join(dir, 'config.toml'),
    cniTemplate: join(dir, 'cni-template.conflist'),
    cniConfDir: join(dir, 'net.d'),
    registryConfigPath: join(dir, 'certs.d'),
  };
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode: 0o644 });
  await rename(tmp, path);
}

/** Renders and writes the instance's files into `dir` (created 0755). Returns their paths. */
export async function writeContainerdConfig(dir: string, c: ContainerdInstanceConfig): Promise<ContainerdConfigFiles> {
  const files = configFilesIn(dir);
  const config = renderContainerdConfig({ ...c, ...files });
  const template = `${JSON.stringify(renderConflistTemplate(c.network), null, 2)}\n`;
  const conflist = c.podCidr === undefined ? undefined : `${JSON.stringify(renderConflist({ ...c.network, subnet: c.podCidr }), null, 2)}\n`;
  await mkdir(files.cniConfDir, { recursive: true, mode: 0o755 });
  await mkdir(files.registryConfigPath, { recursive: true, mode: 0o755 });
  await writeAtomic(files.cniTemplate, template);
  if (conflist !== undefined) await writeAtomic(join(files.cniConfDir, CNI_RENDERED_FILE), conflist);
  await writeAtomic(files.configFile, config);
  return files;
}
