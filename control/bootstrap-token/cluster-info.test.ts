import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseClusterInfoKubeconfig, renderClusterInfoKubeconfig } from './cluster-info.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('cluster-info kubeconfig', () => {
  it('renders kubeadm’s shape: one unnamed cluster, no users, no contexts', () => {
    const text = renderClusterInfoKubeconfig({ server: 'https://10.0.0.1:6443', caCertPem: CA });
    expect(parse(text)).toEqual({
      apiVersion: 'v1', kind: 'Config', 'current-context': '', contexts: null, users: null, preferences: {},
      clusters: [{ name: '', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': Buffer.from(CA).toString('base64') } }],
    });
    expect(renderClusterInfoKubeconfig({ server: 'https://10.0.0.1:6443', caCertPem: CA })).toBe(text);
  });

  it('reads back the server and CA; anything else is undefined', () => {
    const text = renderClusterInfoKubeconfig({ server: 'https://h:1', caCertPem: CA });
    expect(parseClusterInfoKubeconfig(text)).toEqual({ server: 'https://h:1', caCertPem: CA });
    expect(parseClusterInfoKubeconfig('')).toBeUndefined();
    expect(parseClusterInfoKubeconfig('{')).toBeUndefined();
    expect(parseClusterInfoKubeconfig('clusters: [{cluster: {server: x}}]')).toBeUndefined();
  });
});
