/**
 * doctor's checks of a containerd runtime endpoint (PURE given the probe): it answers on its socket
 * (ctr), its CRI plugin is loaded (a config it refuses leaves containerd serving the rest) and answers
 * CRI v1 Version and Status (NetworkReady: a CNI config is loaded, which the agent's podCIDR brings),
 * and the sandbox image is in namespace k8s.io (else every RunPodSandbox tries a registry, G5).
 */
import { isExecError } from '../../lib/exec/exec-error.js';
import { SANDBOX_IMAGE } from '../../cri/containerd/config.js';
import type { CheckResult, Probe } from './types.js';

const result = (name: string, verdict: CheckResult['verdict'], detail: string): CheckResult => ({ name, verdict, detail });

/** ctr's stdout, or the one-line reason it failed. */
async function ctr(p: Probe, address: string, args: readonly string[]): Promise<{ stdout: string } | { error: string }> {
  try {
    return { stdout: (await p.exec.run('ctr', ['--connect-timeout', '3s', '--address', address, ...args])).stdout };
  } catch (err) {
    if (isExecError(err) && err.code === 'NotFound') return { error: 'ctr is not installed (apt-get install containerd)' };
    const text = isExecError(err) && err.stderr.trim() !== '' ? err.stderr.trim() : err instanceof Error ? err.message : String(err);
    return { error: text.split('\n')[0]!.replace(/^ctr: /, '') };
  }
}

export async function checkContainerd(p: Probe, address: string, sandboxImage: string = SANDBOX_IMAGE): Promise<CheckResult[]> {
  if (!(await p.exists(address))) return [result('runtime', 'fail', `no socket ${address}: start containerd (scripts/lib.sh ensure_containerd)`)];
  const v = await ctr(p, address, ['version']);
  if ('error' in v) return [result('runtime', 'fail', `containerd at ${address} does not answer: ${v.error}`)];
  const version = /Server:\s*\n\s*Version:\s*(\S+)/.exec(v.stdout)?.[1] ?? 'unknown version';
  const out = [result('runtime', 'ok', `containerd ${version} at ${address}`)];
  const plugins = await ctr(p, address, ['plugins', 'ls']);
  const cri = 'error' in plugins ? undefined : plugins.stdout.split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[0] === 'io.containerd.grpc.v1' && f[1] === 'cri');
  if ('error' in plugins) out.push(result('CRI plugin', 'fail', `cannot list containerd's plugins: ${plugins.error}`));
  else if (cri === undefined) out.push(result('CRI plugin', 'fail', 'not in this containerd (disabled in its config? tinykube containerd config writes one with it)'));
  else if (cri.at(-1) !== 'ok') out.push(result('CRI plugin', 'fail', `${cri.at(-1) ?? '?'}: containerd refused its config (see containerd's log)`));
  else {
    const a = await p.cri(address);
    if ('error' in a) out.push(result('CRI plugin', 'fail', `loaded, but CRI v1 does not answer: ${a.error}`));
    else {
      out.push(result('CRI plugin', 'ok', `CRI ${a.apiVersion}: ${a.runtimeName} ${a.runtimeVersion}`));
      const down = Object.entries(a.conditions).filter(([type, up]) => !up && type !== 'NetworkReady').map(([type]) => type);
      if (down.length > 0) out.push(result('CRI status', 'fail', `not ready: ${down.join(', ')}`));
      else if (a.conditions['NetworkReady'] === false) out.push(result('CRI status', 'warn', 'runtime ready; no CNI config loaded yet (the agent sends the podCIDR when it starts)'));
      else out.push(result('CRI status', 'ok', 'runtime and network ready'));
    }
  }
  const images = await ctr(p, address, ['-n', 'k8s.io', 'images', 'ls', '-q', `name==${sandboxImage}`]);
  if ('error' in images) out.push(result('sandbox image', 'fail', `cannot list images in k8s.io: ${images.error}`));
  else if (images.stdout.split('\n').includes(sandboxImage)) out.push(result('sandbox image', 'ok', `${sandboxImage} in namespace k8s.io`));
  else {
    out.push(result('sandbox image', 'fail', `${sandboxImage} is not in namespace k8s.io: tinykube image build-test --runtime-endpoint containerd://${address}`));
  }
  return out;
}
