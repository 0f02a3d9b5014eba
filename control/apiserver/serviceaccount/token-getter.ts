/**
 * What ServiceAccount token checks read (upstream ServiceAccountTokenGetter): the ServiceAccount,
 * and the Secret, Pod or Node a token is bound to. Read from the API server's object store, one
 * keyed get each, only for requests that carry a ServiceAccount token.
 */
import type { Node, Pod, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { findResource } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { ObjectStore } from '../registry/object-store.js';

export interface ServiceAccountTokenGetter {
  /** Each undefined when there is none. */
  serviceAccount(namespace: string, name: string): Promise<ServiceAccount | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  pod(namespace: string, name: string): Promise<Pod | undefined>;
  node(name: string): Promise<Node | undefined>;
}

const core = (resource: string): ResourceInfo => findResource('', 'v1', resource) as ResourceInfo;
const SERVICE_ACCOUNTS = core('serviceaccounts');
const SECRETS = core('secrets');
const PODS = core('pods');
const NODES = core('nodes');

/** Reads straight from the object store. */
export function storeTokenGetter(objects: ObjectStore): ServiceAccountTokenGetter {
  return {
    serviceAccount: async (ns, name) => (await objects.tryGet(SERVICE_ACCOUNTS, ns, name)) as ServiceAccount | undefined,
    secret: async (ns, name) => (await objects.tryGet(SECRETS, ns, name)) as Secret | undefined,
    pod: async (ns, name) => (await objects.tryGet(PODS, ns, name)) as Pod | undefined,
    node: async (name) => (await objects.tryGet(NODES, undefined, name)) as Node | undefined,
  };
}
