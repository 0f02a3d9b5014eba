import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testStreams } from '../testing/test-streams.js';
import { UsageError } from '../flags.js';
import { containerdCommand } from './containerd-command.js';

describe('tinykube containerd config', () => {
  it('prints usage without a subcommand and refuses unknown ones, flags, arguments and bad values', async () => {
    const { out, streams } = testStreams();
    expect(await containerdCommand([], streams)).toBe(2);
    expect(out()).toContain('containerd config');
    await expect(containerdCommand(['frob'], streams)).rejects.toThrow(UsageError);
    await expect(containerdCommand(['config', '--nope'], streams)).rejects.toThrow(UsageError);
    await expect(containerdCommand(['config', 'x'], streams)).rejects.toThrow(UsageError);
    await expect(containerdCommand(['config', '--print', '--root', 'relative'], streams)).rejects.toThrow(/root must be an absolute path/);
    await expect(containerdCommand(['config', '--print', '--bridge', 'much-too-long-bridge'], streams)).rejects.toThrow(UsageError);
  });

  it('--print gives the host instance by default: standard root, state and socket under tinykube\'s config dir', async () => {
    const { out, streams } = testStreams();
    expect(await containerdCommand(['config', '--print'], streams)).toBe(0);
    expect(out()).toContain('root = "/var/lib/containerd"');
    expect(out()).toContain('state = "/run/containerd"');
    expect(out()).toContain('address = "/run/containerd/containerd.sock"');
    expect(out()).toContain('conf_template = "/etc/tinykube/containerd/cni-template.conflist"');
  });

  it('writes the config dir with the network `tinykube up` gives Docker pods, and prints the config path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tk-ctd-cli-'));
    try {
      const { out, streams } = testStreams();
      expect(await containerdCommand(['config', '--dir', dir, '--root', '/r', '--state', '/s', '--address', '/s/c.sock', '--bridge', 'tkq0',
        '--cni-data-dir', '/d/cni', '--firewall'], streams)).toBe(0);
      expect(out()).toBe(`${dir}/config.toml\n`);
      expect(await readFile(`${dir}/config.toml`, 'utf8')).toContain('Root = "/s/runc"');
      const tpl = JSON.parse(await readFile(`${dir}/cni-template.conflist`, 'utf8')) as { name: string; plugins: Array<{ type: string; bridge?: string; ipam?: { dataDir: string } }> };
      expect(tpl.name).toBe('tinykube');
      expect(tpl.plugins.map((p) => p.type)).toEqual(['bridge', 'portmap', 'firewall']);
      expect(tpl.plugins[0]!.bridge).toBe('tkq0');
      expect(tpl.plugins[0]!.ipam!.dataDir).toBe('/d/cni');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
