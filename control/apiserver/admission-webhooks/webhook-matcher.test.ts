import { describe, expect, it } from 'vitest';
import { findResource } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { WebhookAttributes } from './webhook-attributes.js';
import { isExempt, namespaceMatches, objectMatches, ruleMatches } from './webhook-matcher.js';

const ri = (g: string, v: string, r: string) => findResource(g, v, r) as ResourceInfo;
const PODS = ri('', 'v1', 'pods');
const attrs = (extra: Partial<WebhookAttributes> = {}): WebhookAttributes =>
  ({ operation: 'CREATE', ri: PODS, subresource: '', namespace: 'ns', name: 'p', dryRun: false, ...extra });
const rule = (extra: Record<string, unknown> = {}) => ({ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], ...extra });

describe('ruleMatches', () => {
  it.each([
    ['exact', rule(), attrs(), true],
    ['other operation', rule(), attrs({ operation: 'UPDATE' }), false],
    ['operation *', rule({ operations: ['*'] }), attrs({ operation: 'DELETE' }), true],
    ['other group', rule({ apiGroups: ['apps'] }), attrs(), false],
    ['group and version *', rule({ apiGroups: ['*'], apiVersions: ['*'] }), attrs(), true],
    ['main resource rule, subresource request', rule(), attrs({ subresource: 'status' }), false],
    ['pods/attach', rule({ operations: ['CONNECT'], resources: ['pods/attach'] }), attrs({ operation: 'CONNECT', subresource: 'attach' }), true],
    ['pods/*', rule({ resources: ['pods/*'] }), attrs({ subresource: 'status' }), true],
    ['pods/* covers the main resource too (upstream splitResource: "*" matches "")', rule({ resources: ['pods/*'] }), attrs(), true],
    ['*/*', rule({ resources: ['*/*'] }), attrs({ subresource: 'status' }), true],
    ['*', rule({ resources: ['*'] }), attrs(), true],
    ['scope Namespaced', rule({ scope: 'Namespaced' }), attrs(), true],
    ['scope Cluster, namespaced object', rule({ scope: 'Cluster' }), attrs(), false],
    ['scope Cluster, a Namespace', rule({ resources: ['namespaces'], scope: 'Cluster' }), attrs({ ri: ri('', 'v1', 'namespaces'), namespace: 'ns' }), true],
    ['scope Namespaced, a Namespace', rule({ resources: ['namespaces'], scope: 'Namespaced' }), attrs({ ri: ri('', 'v1', 'namespaces'), namespace: 'ns' }), false],
  ])('%s', (_n, r, a, want) => {
    expect(ruleMatches(r, a)).toBe(want);
  });
});

describe('selectors', () => {
  const labels = async (ns: string): Promise<Record<string, string> | undefined> => (ns === 'team' ? { team: 'a' } : ns === 'none' ? undefined : {});
  it('namespaceSelector reads the namespace labels; cluster-scoped objects always match; a Namespace matches on its own labels', async () => {
    const sel = { matchLabels: { team: 'a' } };
    expect(await namespaceMatches(sel, attrs({ namespace: 'team' }), labels)).toBe(true);
    expect(await namespaceMatches(sel, attrs({ namespace: 'other' }), labels)).toBe(false);
    expect(await namespaceMatches(sel, attrs({ namespace: 'none' }), labels)).toBe(false);
    expect(await namespaceMatches(sel, attrs({ ri: ri('', 'v1', 'nodes'), namespace: undefined }), labels)).toBe(true);
    const ns = { metadata: { name: 'x', labels: { team: 'a' } } };
    expect(await namespaceMatches(sel, attrs({ ri: ri('', 'v1', 'namespaces'), namespace: undefined, object: ns }), labels)).toBe(true);
    expect(await namespaceMatches({}, attrs({ namespace: 'other' }), labels)).toBe(true);
  });

  it('objectSelector matches the new or the old object', () => {
    const sel = { matchExpressions: [{ key: 'hook', operator: 'Exists' }] };
    expect(objectMatches(sel, attrs({ object: { metadata: { labels: { hook: '' } } } }))).toBe(true);
    expect(objectMatches(sel, attrs({ object: { metadata: {} }, oldObject: { metadata: { labels: { hook: 'x' } } } }))).toBe(true);
    expect(objectMatches(sel, attrs({ object: { metadata: {} } }))).toBe(false);
    expect(objectMatches(undefined, attrs())).toBe(true);
  });

  it('webhook configurations are exempt', () => {
    expect(isExempt(attrs({ ri: ri('admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations') }))).toBe(true);
    expect(isExempt(attrs())).toBe(false);
  });
});
