/** What every Docker-backend operation needs, built once by DockerRuntime. */
import type { DockerEngine } from './engine/client.js';
import type { Logger } from 'pino';
import type { CniNetwork } from '../cni/cni-network.js';
import type { SandboxStore } from './sandbox-store.js';
import type { CriLogCopies } from './cri-log-copies.js';

export interface DockerContext {
  docker: DockerEngine;
  /** The pod network; replaced by updateRuntimeConfig, so read it at each use. */
  cni: CniNetwork;
  store: SandboxStore;
  /** Where netns pins live (<stateDir>/netns). */
  netnsDir: string;
  pauseImage: string;
  /** Value of the scope label; lists and events only see objects of this scope. */
  scope: string;
  /** The CRI log files this runtime writes, one copy per started container with a log path. */
  logs: CriLogCopies;
  log?: Logger;
}
