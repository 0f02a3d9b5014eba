/**
 * Waiting for a node started by `up` or `join`: until its Node reports Ready with a heartbeat from
 * this start (a Node object may be left from an earlier run), dots on `err` meanwhile.
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../control/api/object.js';
import { findResource } from '../control/api/resources.js';
import { RestClient } from '../control/client/rest-client.js';
import { HttpsTransport } from '../control/client/transport.js';
import type { HttpsTransportOptions } from '../control/client/transport.js';

const NODES = findResource('', 'v1', 'nodes')!;
export const NODE_READY_TIMEOUT_MS = 90_000;

export interface NodeReadyWait {
  transport: HttpsTransportOptions;
  nodeName: string;
  /** When the agent was started (ms): an older heartbeat does not count. */
  startedAt: number;
  /** The agent died: stop waiting. */
  exited(): boolean;
  /** For the error messages. */
  logFile: string;
  err: NodeJS.WritableStream;
  /** Runs once the node is Ready, with a client on the same credentials. */
  onReady?(client: RestClient): Promise<void>;
}

export async function waitNodeReady(o: NodeReadyWait): Promise<void> {
  const transport = new HttpsTransport(o.transport);
  const client = new RestClient(transport);
  const fresh = (t: string | undefined) => t !== undefined && Date.parse(t) >= o.startedAt - 1000;
  try {
    const deadline = Date.now() + NODE_READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (o.exited()) throw new Error(`the node agent exited during start: see ${o.logFile}`);
      const node = await client.get<Node & KubeObject>(NODES, undefined, o.nodeName).catch(() => undefined); // not registered (or reachable) yet: poll again
      if (node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True' && fresh(c.lastHeartbeatTime))) {
        await o.onReady?.(client);
        return;
      }
      o.err.write('.');
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`node ${o.nodeName} not Ready after ${NODE_READY_TIMEOUT_MS / 1000}s: see ${o.logFile}`);
  } finally {
    transport.close();
  }
}
