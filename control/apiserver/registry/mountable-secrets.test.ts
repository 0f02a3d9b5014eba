import type { Pod, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { enforcesMountableSecrets, mountableSecretsOffence } from './mountable-secrets.js';

const sa = (annotation?: string): ServiceAccount => ({
  metadata: { name: 'strict', ...(annotation !== undefined ? { annotations: { 'kubernetes.io/enforce-mountable-secrets': annotation } } : {}) },
  secrets: [{ name: 'ok' }], imagePullSecrets: [{ name: 'reg' }],
});
const pod = (spec: Partial<Pod['spec']>): Pod => ({ spec: { containers: [{ name: 'c' }], ...spec } });
const tail = 'is not allowed because service account strict does not reference that secret';

describe('enforcesMountableSecrets', () => {
  it('reads the annotation as Go ParseBool does', () => {
    for (const v of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(enforcesMountableSecrets(sa(v))).toBe(true);
    for (const v of ['0', 'false', 'yes', 'on', '']) expect(enforcesMountableSecrets(sa(v))).toBe(false);
    expect(enforcesMountableSecrets(sa())).toBe(false);
  });
});

describe('mountableSecretsOffence', () => {
  it('passes a pod that uses only the account\'s secrets', () => {
    expect(mountableSecretsOffence(sa('true'), pod({
      volumes: [{ name: 'v', secret: { secretName: 'ok' } }, { name: 'e', emptyDir: {} }],
      containers: [{ name: 'c', env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 'ok', key: 'k' } } }], envFrom: [{ secretRef: { name: 'ok' } }] }],
      imagePullSecrets: [{ name: 'reg' }],
    }))).toBeUndefined();
  });

  it('names the first offence in upstream words and order', () => {
    expect(mountableSecretsOffence(sa('true'), pod({ volumes: [{ name: 'v', secret: { secretName: 'bad' } }], initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 'x' } }] }] })))
      .toBe(`volume with secret.secretName="bad" ${tail}`);
    expect(mountableSecretsOffence(sa('true'), pod({ initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 'x' } }] }] })))
      .toBe(`init container i with envFrom referencing secret.secretName="x" ${tail}`);
    expect(mountableSecretsOffence(sa('true'), pod({ containers: [{ name: 'c', env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 'y', key: 'k' } } }] }] })))
      .toBe(`container c with envVar E referencing secret.secretName="y" ${tail}`);
    expect(mountableSecretsOffence(sa('true'), pod({ imagePullSecrets: [{ name: 'reg' }, { name: 'other' }] })))
      .toBe('imagePullSecrets[1].name="other" is not allowed because service account strict does not reference that imagePullSecret');
  });
});
