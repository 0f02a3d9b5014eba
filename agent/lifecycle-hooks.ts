/**
 * Container lifecycle hooks (kubelet's lifecycle handler runner): an exec handler runs in the
 * container (runtime.execSync), an httpGet handler is a GET from the node to the handler's host
 * (default: the pod IP) and port (a number or the name of a container port), over plain HTTP as
 * the 1.20 kubelet does. The result is
 * undefined on success, else the failure as upstream's events word it.
 */
import { request } from 'node:http';
import type { Container, LifecycleHandler } from 'kubernetes-types/core/v1.js';
import type { RuntimeService } from '../cri/types.js';

export interface HookTarget {
  runtime: Pick<RuntimeService, 'execSync'>;
  containerId: string;
  spec: Container;
  /** "name_namespace(uid)", for the messages. */
  podDesc: string;
  podIP: string;
  /** 0: no deadline (postStart); the grace period for preStop. */
  timeoutSeconds: number;
}

function httpGet(url: string, timeoutSeconds: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', headers: { 'User-Agent': 'kube-lifecycle/1.20', Accept: '*/*' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(undefined));
      res.on('error', (err) => resolve(err.message));
    });
    if (timeoutSeconds > 0) req.setTimeout(timeoutSeconds * 1000, () => req.destroy(new Error('context deadline exceeded')));
    req.on('error', (err) => resolve(`Get "${url}": ${err.message}`));
    req.end();
  });
}

/** Runs a hook; undefined when it succeeded, else why it failed. */
export async function runHook(h: LifecycleHandler, t: HookTarget): Promise<string | undefined> {
  if (h.exec) {
    const cmd = h.exec.command ?? [];
    const what = `Exec lifecycle hook (${JSON.stringify(cmd)}) for Container "${t.spec.name}" in Pod "${t.podDesc}" failed`;
    try {
      const r = await t.runtime.execSync(t.containerId, cmd, t.timeoutSeconds);
      if (r.exitCode === 0) return undefined;
      return `${what} - error: command '${cmd.join(' ')}' exited with ${r.exitCode}: ${r.stderr.toString('utf8')}, message: ${JSON.stringify(r.stdout.toString('utf8'))}`;
    } catch (err) {
      return `${what} - error: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  if (h.httpGet) {
    const g = h.httpGet;
    const port = typeof g.port === 'number' ? g.port : Number(t.spec.ports?.find((p) => p.name === g.port)?.containerPort ?? g.port);
    const host = g.host || t.podIP;
    const path = g.path ?? '';
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${path.startsWith('/') ? path : `/${path}`}`;
    const err = await httpGet(url, t.timeoutSeconds);
    return err === undefined ? undefined : `Http lifecycle hook (${path}) for Container "${t.spec.name}" in Pod "${t.podDesc}" failed - error: ${err}`;
  }
  return undefined; // tcpSocket: upstream does not run it either
}
