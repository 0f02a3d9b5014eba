/**
 * A private single-member etcd on free ports (Debian's /usr/bin/etcd), for tests that must not
 * share the test etcd on 127.0.0.1:2379 with others: revisions and compaction are etcd-wide. Like
 * the shared one it speaks TLS only and wants a client certificate (its own PKI, `pki`). A test
 * may kill it and start it again on the same data; destroy() ends it and removes its data.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killNow } from './child.js';
import { freePort } from './control-plane.js';
import { createEtcdPki, etcdHealthy } from './etcd-tls.js';
import type { EtcdPki } from './etcd-tls.js';

export const ETCD_BINARY = '/usr/bin/etcd';

export class PrivateEtcd {
  readonly dir = mkdtempSync(join(tmpdir(), 'tk-etcd-'));
  proc: ChildProcess | undefined;
  client = 0;
  peer = 0;
  private certs: EtcdPki | undefined;

  get endpoint(): string { return `127.0.0.1:${this.client}`; }

  /** Its CA and client certificate (after start). */
  get pki(): EtcdPki {
    if (!this.certs) throw new Error('private etcd: not started');
    return this.certs;
  }

  async start(): Promise<void> {
    if (!this.client) [this.client, this.peer] = [await freePort(), await freePort()];
    this.certs ??= await createEtcdPki(join(this.dir, 'pki'));
    const peerUrl = `http://127.0.0.1:${this.peer}`;
    this.proc = spawn('etcd', ['--name', 'p', '--data-dir', join(this.dir, 'data'), '--listen-client-urls', `https://${this.endpoint}`,
      '--advertise-client-urls', `https://${this.endpoint}`, '--cert-file', this.certs.serverCertFile, '--key-file', this.certs.serverKeyFile,
      '--trusted-ca-file', this.certs.caFile, '--client-cert-auth',
      '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl, '--initial-cluster', `p=${peerUrl}`], { stdio: 'ignore' });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (await etcdHealthy(this.endpoint, this.certs)) return;
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
