import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { podReferences } from './pod-references.js';

describe('podReferences', () => {
  it('finds secrets, configmaps and claims in env, envFrom, volumes, projections and pull secrets', () => {
    const pod: Pod = {
      metadata: { name: 'web' },
      spec: {
        serviceAccountName: 'runner',
        imagePullSecrets: [{ name: 'pull' }],
        initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 'init-env' } }] }],
        containers: [{
          name: 'c',
          envFrom: [{ configMapRef: { name: 'cm-from' } }],
          env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'sec-key', key: 'k' } } }, { name: 'B', valueFrom: { configMapKeyRef: { name: 'cm-key', key: 'k' } } }, { name: 'C', value: 'x' }],
        }],
        ephemeralContainers: [{ name: 'e', env: [{ name: 'D', valueFrom: { secretKeyRef: { name: 'debug', key: 'k' } } }] }],
        volumes: [
          { name: 'v1', secret: { secretName: 'sec-vol' } },
          { name: 'v2', configMap: { name: 'cm-vol' } },
          { name: 'v3', projected: { sources: [{ secret: { name: 'proj-sec' } }, { configMap: { name: 'proj-cm' } }] } },
          { name: 'v4', persistentVolumeClaim: { claimName: 'data' } },
          { name: 'v5', csi: { driver: 'd', nodePublishSecretRef: { name: 'csi' } } },
          { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } },
          { name: 'v6', emptyDir: {} },
        ],
      },
    };
    const refs = podReferences(pod);
    expect([...refs.secrets].sort()).toEqual(['csi', 'debug', 'init-env', 'proj-sec', 'pull', 'sec-key', 'sec-vol']);
    expect([...refs.configMaps].sort()).toEqual(['cm-from', 'cm-key', 'cm-vol', 'proj-cm']);
    expect([...refs.persistentVolumeClaims].sort()).toEqual(['data', 'web-scratch']);
    expect([...refs.serviceAccounts]).toEqual(['runner']);
  });

  it('a pod without a spec refers to nothing', () => {
    expect(podReferences({}).secrets.size).toBe(0);
    expect(podReferences({ spec: { containers: [] } }).serviceAccounts.size).toBe(0);
  });
});
