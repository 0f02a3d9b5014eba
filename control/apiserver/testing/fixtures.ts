/** Small objects the API tests create. Each call returns a fresh object. */
import type { KubeObject } from '../../api/object.js';

export function pod(name: string, extra: { labels?: Record<string, string>; nodeName?: string; image?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { ...(extra.nodeName ? { nodeName: extra.nodeName } : {}), containers: [{ name: 'c', image: extra.image ?? 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
  };
}

export function deployment(name: string, replicas = 3): KubeObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels },
    spec: {
      replicas, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
    },
  };
}

export function replicaSet(name: string, replicas = 2, labels: Record<string, string> = { app: name }): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, labels },
    spec: {
      replicas, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
    },
  };
}

export function replicationController(name: string, replicas = 2): KubeObject {
  const labels = { app: name };
  return {
    apiVersion: 'v1', kind: 'ReplicationController', metadata: { name },
    spec: { replicas, selector: labels, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } },
  };
}

export function service(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } };
}

export function configMap(name: string, labels?: Record<string, string>, data: Record<string, string> = { k: 'v' }): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data };
}

export const PODS = '/api/v1/namespaces/default/pods';
export const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
export const REPLICASETS = '/apis/apps/v1/namespaces/default/replicasets';
export const RCS = '/api/v1/namespaces/default/replicationcontrollers';
export const SERVICES = '/api/v1/namespaces/default/services';
export const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
