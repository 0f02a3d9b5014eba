/**
 * Picks the runtime backend once, by endpoint scheme (kine-style):
 * `docker:///var/run/docker.sock` → DockerRuntime; `containerd://…` → not implemented yet.
 */
import type { Logger } from 'pino';
import type { CniNetworkOptions } from './cni/cni-network.js';
import { DockerRuntime } from './docker/docker-runtime.js';
import { CriError } from './errors.js';
import type { Runtime } from './types.js';

export interface RuntimeOptions {
  cni: CniNetworkOptions;
  stateDir: string;
  pauseImage?: string;
  scope?: string;
  log?: Logger;
}

export function createRuntime(endpoint: string, opts: RuntimeOptions): Runtime {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/.exec(endpoint);
  const scheme = m?.[1];
  const path = m?.[2] ?? '';
  if (scheme === 'docker') {
    if (!path.startsWith('/')) throw new CriError('InvalidArgument', `runtime endpoint ${endpoint}: want docker:///path/to/docker.sock`);
    return new DockerRuntime({ ...opts, socketPath: path });
  }
  if (scheme === 'containerd') throw new CriError('Unavailable', 'containerd runtime: not implemented yet');
  throw new CriError('InvalidArgument', `runtime endpoint ${endpoint}: unknown scheme (want docker:// or containerd://)`);
}
