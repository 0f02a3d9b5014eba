/**
 * scripts/lib.sh ensure_containerd: the host's containerd for tinykube on /run/containerd/containerd.sock
 * (scripts/test starts it before the suite). Calling it again changes nothing: same process, the config
 * the one renderer gives (`tinykube containerd config --print`), CRI loaded, the test images in k8s.io,
 * and dockerd still on a containerd of its own.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../helpers/control-plane.js';

const run = promisify(execFile);
const SOCK = '/run/containerd/containerd.sock';

describe('ensure_containerd (scripts/lib.sh)', () => {
  it('is idempotent and leaves dockerd its own containerd', async () => {
    const ensure = (): Promise<{ stdout: string; stderr: string }> => run('bash', ['-c', `source ${ROOT}/scripts/lib.sh && ensure_containerd`], { timeout: 120_000 });
    await ensure();
    const pid = readFileSync('/run/tinykube/containerd.pid', 'utf8').trim();
    const again = await ensure();
    expect(again.stderr).toBe(''); // nothing started, restarted or imported
    expect(readFileSync('/run/tinykube/containerd.pid', 'utf8').trim()).toBe(pid);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toEqual(['containerd', '--config', '/etc/tinykube/containerd/config.toml', '']);

    const print = (await run('node', [CLI, 'containerd', 'config', '--print'])).stdout;
    expect(readFileSync('/etc/tinykube/containerd/config.toml', 'utf8')).toBe(print);
    expect((await run('ctr', ['--address', SOCK, 'plugins', 'ls'])).stdout).toMatch(/^io\.containerd\.grpc\.v1 +cri .* ok *$/m);
    const images = (await run('ctr', ['--address', SOCK, '-n', 'k8s.io', 'images', 'ls', '-q'])).stdout.split('\n');
    for (const img of ['pause:1', 'busybox:1', 'web:1', 'web:2', 'web:3']) expect(images).toContain(`docker.io/tinykube/${img}`);

    // dockerd runs its containers on a containerd of its own, not on this socket
    const dockerd = (await run('pgrep', ['-xo', 'dockerd'])).stdout.trim();
    const args = readFileSync(`/proc/${dockerd}/cmdline`, 'utf8').split('\0');
    const flag = args.indexOf('--containerd');
    if (flag >= 0) {
      // started by ensure_dockerd after our containerd: pointed at the one ensure_docker_containerd runs
      expect(args[flag + 1]).toBe('/var/run/docker/containerd/containerd.sock');
    } else {
      // dockerd's own child containerd (ps exits 1 when a process has no children)
      const children = (await run('ps', ['-o', 'args=', '--ppid', dockerd]).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }))).stdout;
      expect(children).toMatch(/containerd --config \/var\/run\/docker\/containerd\/containerd\.toml/);
    }
    expect((await run('ctr', ['--address', SOCK, 'namespaces', 'ls', '-q'])).stdout.split('\n')).not.toContain('moby');
  }, 240_000);
});
