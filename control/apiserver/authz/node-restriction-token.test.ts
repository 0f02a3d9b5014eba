import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { isApiError } from '../../api/status.js';
import { admitTokenRequest, withTokenRequestRestriction } from './node-restriction-token.js';
import type { ObjectLookup } from './object-lookup.js';

const pods: Pod[] = [
  { metadata: { namespace: 'team', name: 'mine', uid: 'u1' }, spec: { nodeName: 'n1', serviceAccountName: 'sa', containers: [] } },
  { metadata: { namespace: 'team', name: 'theirs', uid: 'u2' }, spec: { nodeName: 'n2', serviceAccountName: 'sa', containers: [] } },
];
const lookup: ObjectLookup = {
  pods: async (ns) => pods.filter((p) => p.metadata?.namespace === ns),
  pod: async (ns, name) => pods.find((p) => p.metadata?.namespace === ns && p.metadata.name === name),
  node: async () => undefined,
};
const tr = (ref?: Record<string, string>) => ({ spec: { ...(ref ? { boundObjectRef: ref } : {}) } });
const bound = (name: string, uid: string) => tr({ kind: 'Pod', apiVersion: 'v1', name, uid });
const message = async (p: Promise<unknown>) => { const e = await p; return isApiError(e) ? `${e.code} ${e.message}` : e; };

describe('NodeRestriction of TokenRequests', () => {
  it('lets a node have a token bound to its own pod', async () => {
    expect(await admitTokenRequest('n1', 'team', 'sa', bound('mine', 'u1'), lookup)).toBeUndefined();
  });

  it('refuses tokens not bound to a pod, without a uid, for a recreated pod, or for a pod on another node', async () => {
    const pre = '403 serviceaccounts "sa" is forbidden: ';
    expect(await message(admitTokenRequest('n1', 'team', 'sa', tr(), lookup))).toBe(`${pre}node requested token not bound to a pod`);
    expect(await message(admitTokenRequest('n1', 'team', 'sa', tr({ kind: 'Secret', apiVersion: 'v1', name: 'mine', uid: 'u1' }), lookup))).toBe(`${pre}node requested token not bound to a pod`);
    expect(await message(admitTokenRequest('n1', 'team', 'sa', tr({ kind: 'Pod', apiVersion: 'v1', name: 'mine' }), lookup))).toBe(`${pre}node requested token with a pod binding without a uid`);
    expect(await message(admitTokenRequest('n1', 'team', 'sa', bound('mine', 'old'), lookup)))
      .toBe(`${pre}the UID in the bound object reference (old) does not match the UID in record. The object might have been deleted and then recreated`);
    expect(await message(admitTokenRequest('n1', 'team', 'sa', bound('theirs', 'u2'), lookup))).toBe(`${pre}node requested token bound to a pod scheduled on a different node`);
    expect(await message(admitTokenRequest('n1', 'team', 'sa', bound('gone', 'u9'), lookup))).toBe('404 pods "gone" not found');
  });

  it('wraps only the token handler, and only for nodes', async () => {
    const calls: string[] = [];
    const handler = async (req: { user: { name: string; groups: string[] }; namespace?: string; name?: string; body: KubeObject }) => { calls.push(req.user.name); return req.body; };
    const wrapped = withTokenRequestRestriction({ '/serviceaccounts/token': handler, 'x/other': handler }, lookup)!;
    const node = { name: 'system:node:n1', groups: ['system:nodes'] };
    const req = (user: typeof node, body: unknown) => ({ user, namespace: 'team', name: 'sa', body: body as KubeObject });
    await wrapped['/serviceaccounts/token']!(req(node, bound('mine', 'u1')));
    await expect(wrapped['/serviceaccounts/token']!(req(node, bound('theirs', 'u2')))).rejects.toMatchObject({ code: 403 });
    await wrapped['/serviceaccounts/token']!(req({ name: 'jane', groups: [] }, tr()));
    await wrapped['x/other']!(req(node, tr()));
    expect(calls).toEqual(['system:node:n1', 'jane', 'system:node:n1']);
    expect(withTokenRequestRestriction(undefined, lookup)).toBeUndefined();
  });
});
