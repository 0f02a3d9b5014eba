/** An in-memory ServiceAccountTokenGetter (the fake beside storeTokenGetter). */
import type { Node, Pod, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { ServiceAccountTokenGetter } from './token-getter.js';

export class FakeTokenGetter implements ServiceAccountTokenGetter {
  readonly serviceAccounts = new Map<string, ServiceAccount>();
  readonly secrets = new Map<string, Secret>();
  readonly pods = new Map<string, Pod>();
  readonly nodes = new Map<string, Node>();

  /** Adds (or replaces) an object under namespace/name (name for nodes). */
  put(o: ServiceAccount | Secret | Pod | Node): void {
    const key = o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name ?? ''}` : o.metadata?.name ?? '';
    const map = { ServiceAccount: this.serviceAccounts, Secret: this.secrets, Pod: this.pods, Node: this.nodes }[o.kind as 'Pod'] as Map<string, typeof o>;
    map.set(key, o);
  }

  serviceAccount = async (ns: string, name: string) => this.serviceAccounts.get(`${ns}/${name}`);
  secret = async (ns: string, name: string) => this.secrets.get(`${ns}/${name}`);
  pod = async (ns: string, name: string) => this.pods.get(`${ns}/${name}`);
  node = async (name: string) => this.nodes.get(name);
}
