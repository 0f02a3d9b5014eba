/** TCP probe: success when a connection opens within the timeout (kubelet's probe/tcp). */
import { connect } from 'node:net';
import type { ProbeResult } from './types.js';

export function tcpProbe(host: string, port: number, timeoutSeconds: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const timer = setTimeout(() => { sock.destroy(); resolve({ ok: false, output: `dial tcp ${host}:${port}: i/o timeout` }); }, timeoutSeconds * 1000);
    sock.once('connect', () => { clearTimeout(timer); sock.destroy(); resolve({ ok: true, output: '' }); });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ ok: false, output: err.code === 'ECONNREFUSED' ? `dial tcp ${host}:${port}: connect: connection refused` : `dial tcp ${host}:${port}: ${err.message}` });
    });
  });
}
