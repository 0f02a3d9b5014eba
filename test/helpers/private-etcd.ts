/**
 * A private single-member etcd on free ports (Debian's /usr/bin/etcd), for tests that must not
 * share the test etcd on 127.0.0.1:2379 with others: revisions and compaction are etcd-wide. A test
 * may kill it and start it again on the same data; destroy() ends it and removes its data.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killNow } from './child.js';
import { freePort } from './control-plane.js';

export const ETCD_BINARY = '/usr/bin/etcd';

export class PrivateEtcd {
  readonly dir = mkdtempSync(join(tmpdir(), 'tk-etcd-'));
  proc: ChildProcess | undefined;
  client = 0;
  peer = 0;

  get endpoint(): string { return `127.0.0.1:${this.client}`; }

  async start(): Promise<void> {
    if (!this.client) [this.client, this.peer] = [await freePort(), await freePort()];
    const peerUrl = `http://127.0.0.1:${this.peer}`;
    this.proc = spawn('etcd', ['--name', 'p', '--data-dir', join(this.dir, 'data'), '--listen-client-urls', `http://${this.endpoint}`,
      '--advertise-client-urls', `http://${this.endpoint}`, '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl,
      '--initial-cluster', `p=${peerUrl}`], { stdio: 'ignore' });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`http://${this.endpoint}/health`, { signal: AbortSignal.timeout(500) });
        if (((await res.json()) as { health?: string }).health === 'true') return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('private etcd did not get ready');
  }

  kill(): Promise<void> { return killNow(this.proc); }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

