/**
 * Which runtime crictl talks to: `--runtime-endpoint` picks the backend once (docker:// or a
 * unix:// path to dockerd; containerd is not supported yet), `--node` the runtime scope (default
 * ALL_SCOPES: every tinykube pod on this machine).
 *
 * The Docker runtime gets a scratch state dir that never holds sandbox records, so stopp/rmp stop
 * and remove containers only and never run CNI: the pod network belongs to the agent, whose CNI
 * config (and, for cluster nodes, network namespace) crictl does not have. The agent releases it
 * when it replaces the sandbox.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CriError } from '../../cri/errors.js';
import { DockerRuntime } from '../../cri/docker/docker-runtime.js';
import { ALL_SCOPES } from '../../cri/docker/labels.js';
import type { ContainerStatsService, Runtime } from '../../cri/types.js';
import { runtimeEndpointFlag } from '../flags.js';


export type CrictlRuntime = Runtime & Partial<ContainerStatsService>;

export function openRuntime(opts: { endpoint: string; node?: string }): CrictlRuntime {
  const ep = runtimeEndpointFlag(opts.endpoint);
  if (ep.kind === 'containerd') throw new CriError('Unavailable', `runtime endpoint ${opts.endpoint}: containerd is not supported yet`);
  return new DockerRuntime({
    socketPath: ep.socketPath,
    scope: opts.node ?? ALL_SCOPES,
    stateDir: join(tmpdir(), 'tinykube-crictl-none'),
    // Never invoked: no sandbox record exists in the scratch state dir, so no CNI DEL runs.
    cni: { conflist: { cniVersion: '1.0.0', name: 'crictl-none', plugins: [{ type: 'none' }] } },
  });
}
