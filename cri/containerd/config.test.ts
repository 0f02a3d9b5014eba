import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCriError } from '../errors.js';
import { CNI_RENDERED_FILE, DISABLED_PLUGINS, renderContainerdConfig } from './config.js';
import { configFilesIn, writeContainerdConfig } from './config-writer.js';

const opts = {
  root: '/var/lib/tk-x/root', state: '/run/tk-x/state', address: '/run/tk-x/containerd.sock',
  cniConfDir: '/etc/tk-x/net.d', cniTemplate: '/etc/tk-x/cni-template.conflist', registryConfigPath: '/etc/tk-x/certs.d',
};

/** The `key = value` lines under each [table] header (a tiny reader of the TOML we write). */
function tables(toml: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>([['', new Map()]]);
  let current = out.get('')!;
  for (const raw of toml.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) { current = new Map(); out.set(header[1]!, current); continue; }
    const kv = /^(\S+) = (.+)$/.exec(line);
    if (!kv) throw new Error(`not a TOML line we write: ${line}`);
    current.set(kv[1]!, kv[2]!);
  }
  return out;
}

describe('renderContainerdConfig', () => {
  const t = tables(renderContainerdConfig(opts));
  const cri = 'plugins."io.containerd.grpc.v1.cri"';

  it('moves every path a second containerd would share under its own root and state (G2)', () => {
    expect(t.get('')!.get('version')).toBe('2');
    expect(t.get('')!.get('root')).toBe('"/var/lib/tk-x/root"');
    expect(t.get('')!.get('state')).toBe('"/run/tk-x/state"');
    expect(t.get('grpc')!.get('address')).toBe('"/run/tk-x/containerd.sock"');
    expect(t.get(`${cri}.containerd.runtimes.runc.options`)!.get('Root')).toBe('"/run/tk-x/state/runc"');
    expect(t.get('plugins."io.containerd.internal.v1.opt"')!.get('path')).toBe('"/var/lib/tk-x/root/opt"');
    expect(t.get('plugins."io.containerd.runtime.v1.linux"')!.get('runtime_root')).toBe('"/run/tk-x/state/runc-v1"');
    expect(t.get(cri)!.get('netns_mounts_under_state_dir')).toBe('true');
  });

  it('sets the CRI plugin up for these hosts (G1, G3, G4, G5) with a random local stream port', () => {
    const c = t.get(cri)!;
    expect(c.get('restrict_oom_score_adj')).toBe('true');
    expect(c.get('sandbox_image')).toBe('"docker.io/tinykube/pause:1"');
    expect(c.get('stream_server_address')).toBe('"127.0.0.1"');
    expect(c.get('stream_server_port')).toBe('"0"');
    expect(t.get(`${cri}.containerd`)!.get('snapshotter')).toBe('"overlayfs"');
    expect(t.get(`${cri}.containerd.runtimes.runc`)!.get('runtime_type')).toBe('"io.containerd.runc.v2"');
    expect(t.get(`${cri}.containerd.runtimes.runc.options`)!.get('SystemdCgroup')).toBe('false');
  });

  it('points CNI at Debian\'s plugins, the instance\'s conf dir and template, and registry hosts.toml', () => {
    const cni = t.get(`${cri}.cni`)!;
    expect(cni.get('bin_dir')).toBe('"/usr/lib/cni"');
    expect(cni.get('conf_dir')).toBe('"/etc/tk-x/net.d"');
    expect(cni.get('conf_template')).toBe('"/etc/tk-x/cni-template.conflist"');
    expect(cni.get('max_conf_num')).toBe('1');
    expect(t.get(`${cri}.registry`)!.get('config_path')).toBe('"/etc/tk-x/certs.d"');
  });

  it('disables snapshotters nothing uses, never the CRI plugin, overlayfs or the v1 runtime the tasks service needs', () => {
    const disabled = t.get('')!.get('disabled_plugins')!;
    for (const p of ['aufs', 'btrfs', 'zfs', 'devmapper']) expect(disabled).toContain(`"io.containerd.snapshotter.v1.${p}"`);
    expect(DISABLED_PLUGINS.some((p) => /cri|overlayfs|runtime/.test(p))).toBe(false);
  });

  it('takes another sandbox image and CNI bin dir, and quotes paths as TOML strings', () => {
    const t2 = tables(renderContainerdConfig({ ...opts, root: '/var/lib/a "b"', sandboxImage: 'docker.io/x/pause:2', cniBinDir: '/opt/cni/bin' }));
    expect(t2.get('')!.get('root')).toBe('"/var/lib/a \\"b\\""');
    expect(t2.get(cri)!.get('sandbox_image')).toBe('"docker.io/x/pause:2"');
    expect(t2.get(`${cri}.cni`)!.get('bin_dir')).toBe('"/opt/cni/bin"');
  });

  it('refuses relative paths', () => {
    let caught: unknown;
    try { renderContainerdConfig({ ...opts, state: 'run/x' }); } catch (e) { caught = e; }
    expect(isCriError(caught, 'InvalidArgument')).toBe(true);
    expect((caught as Error).message).toContain('state');
  });
});

describe('writeContainerdConfig', () => {
  const network = { name: 'tinykube', bridge: 'tkx0', dataDir: '/var/lib/tk-x/cni', firewall: true };

  it('writes config, template and dirs, and the conflist when the podCIDR is given, with no temp files left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tk-ctd-cfg-'));
    try {
      const files = await writeContainerdConfig(dir, { root: '/r', state: '/s', address: '/s/c.sock', network });
      expect(files).toEqual(configFilesIn(dir));
      const config = await readFile(files.configFile, 'utf8');
      expect(config).toContain(`conf_template = "${files.cniTemplate}"`);
      const tpl = JSON.parse(await readFile(files.cniTemplate, 'utf8')) as { plugins: Array<{ type: string; bridge?: string; ipam?: { ranges: unknown } }> };
      expect(tpl.plugins.map((p) => p.type)).toEqual(['bridge', 'portmap', 'firewall']);
      expect(tpl.plugins[0]!.ipam!.ranges).toEqual([[{ subnet: '{{.PodCIDR}}' }]]);
      expect(await readdir(files.cniConfDir)).toEqual([]);
      expect(await readdir(files.registryConfigPath)).toEqual([]);

      await writeContainerdConfig(dir, { root: '/r', state: '/s', address: '/s/c.sock', network, podCidr: '10.244.7.0/24' });
      const conflist = JSON.parse(await readFile(join(files.cniConfDir, CNI_RENDERED_FILE), 'utf8')) as { plugins: Array<{ ipam?: { ranges: unknown } }> };
      expect(conflist.plugins[0]!.ipam!.ranges).toEqual([[{ subnet: '10.244.7.0/24', gateway: '10.244.7.1' }]]);
      expect((await readdir(dir)).sort()).toEqual(['certs.d', 'cni-template.conflist', 'config.toml', 'net.d']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
