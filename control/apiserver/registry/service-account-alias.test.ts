import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { syncObjectServiceAccountAlias, syncServiceAccountAlias } from './service-account-alias.js';

describe('syncServiceAccountAlias', () => {
  it('fills the name from the alias, and the alias from the name (the name wins)', () => {
    const a = { containers: [], serviceAccount: 'old' };
    syncServiceAccountAlias(a);
    expect(a).toEqual({ containers: [], serviceAccount: 'old', serviceAccountName: 'old' });
    const b = { containers: [], serviceAccount: 'old', serviceAccountName: 'new' };
    syncServiceAccountAlias(b);
    expect(b).toEqual({ containers: [], serviceAccount: 'new', serviceAccountName: 'new' });
    const c = { containers: [], serviceAccountName: 'x' };
    syncServiceAccountAlias(c);
    expect(c.serviceAccountName).toBe('x');
    expect((c as { serviceAccount?: string }).serviceAccount).toBe('x');
    const d = { containers: [], serviceAccount: '' };
    syncServiceAccountAlias(d);
    expect(d).toEqual({ containers: [] });
  });

  it('finds the pod spec of templates and CronJobs, and leaves other kinds alone', () => {
    const deploy = { kind: 'Deployment', spec: { template: { spec: { serviceAccount: 'a' } } } } as KubeObject;
    syncObjectServiceAccountAlias('Deployment', deploy);
    expect((deploy['spec'] as { template: { spec: unknown } }).template.spec).toEqual({ serviceAccount: 'a', serviceAccountName: 'a' });
    const cj = { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { serviceAccount: 'b' } } } } } } as KubeObject;
    syncObjectServiceAccountAlias('CronJob', cj);
    expect(JSON.stringify(cj)).toContain('"serviceAccountName":"b"');
    const cm = { kind: 'ConfigMap', spec: { serviceAccount: 'c' } } as KubeObject;
    syncObjectServiceAccountAlias('ConfigMap', cm);
    expect(cm['spec']).toEqual({ serviceAccount: 'c' });
  });
});
