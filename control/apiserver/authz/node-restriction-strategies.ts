/**
 * NodeRestriction wired into the per-kind strategies: the admission interface carries no user,
 * the strategy context does, and prepareForCreate / prepareForUpdate / prepareForSubresourceUpdate
 * run where upstream's admission runs (after defaulting, before validation). Writes known by URL
 * alone (a delete, another node's name) are refused earlier, by the Node authorizer.
 */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ApiError } from '../../api/status.js';
import { nodeIdentity } from './node-identity.js';
import type { ObjectLookup } from './object-lookup.js';
import { admitLeaseCreate, admitNode, admitPodCreate, admitPodStatus } from './node-restriction.js';
import { defaultStrategy } from '../registry/strategy.js';
import type { Strategy, StrategyContext } from '../registry/strategy.js';

/** The requesting node's name, undefined for anyone else (and for the server's own writes). */
const requestingNode = (ctx: StrategyContext): string | undefined => (ctx.user ? nodeIdentity(ctx.user) : undefined);

function refuse(err: ApiError | undefined): void {
  if (err) throw err;
}

/** A strategy that runs `inner` (all of it, `this` intact) with some hooks preceded by checks. */
function layered(inner: Strategy, hooks: Pick<Strategy, 'prepareForCreate' | 'prepareForUpdate' | 'prepareForSubresourceUpdate'>): Strategy {
  const s = Object.create(inner) as Strategy;
  return Object.assign(s, hooks);
}

function nodeStrategy(inner: Strategy): Strategy {
  return layered(inner, {
    async prepareForCreate(obj, ctx) {
      const node = requestingNode(ctx);
      if (node !== undefined) refuse(admitNode(node, obj.metadata?.name ?? '', obj as Node));
      await inner.prepareForCreate?.(obj, ctx);
    },
    async prepareForUpdate(obj, old, ctx) {
      const node = requestingNode(ctx);
      if (node !== undefined) refuse(admitNode(node, old.metadata?.name ?? '', obj as Node, old as Node));
      await inner.prepareForUpdate?.(obj, old, ctx);
    },
    prepareForSubresourceUpdate(sub, obj, old, ctx) {
      const node = requestingNode(ctx);
      if (node !== undefined) refuse(admitNode(node, old.metadata?.name ?? '', obj as Node, old as Node));
      inner.prepareForSubresourceUpdate?.(sub, obj, old, ctx);
    },
  });
}

function podStrategy(inner: Strategy, lookup: ObjectLookup): Strategy {
  return layered(inner, {
    async prepareForCreate(obj, ctx) {
      const node = requestingNode(ctx);
      if (node !== undefined) {
        const owned = (obj.metadata?.ownerReferences ?? []).length > 0;
        refuse(admitPodCreate(node, obj as Pod, owned ? await lookup.node(node) : undefined));
      }
      await inner.prepareForCreate?.(obj, ctx);
    },
    prepareForSubresourceUpdate(sub, obj, old, ctx) {
      const node = requestingNode(ctx);
      if (node !== undefined) refuse(admitPodStatus(node, old as Pod));
      inner.prepareForSubresourceUpdate?.(sub, obj, old, ctx);
    },
  });
}

function leaseStrategy(inner: Strategy): Strategy {
  return layered(inner, {
    async prepareForCreate(obj: KubeObject, ctx) {
      const node = requestingNode(ctx);
      if (node !== undefined) refuse(admitLeaseCreate(node, obj as Lease));
      await inner.prepareForCreate?.(obj, ctx);
    },
  });
}

/** The strategies by kind with NodeRestriction layered onto Node, Pod and Lease. */
export function withNodeRestriction(strategies: Record<string, Strategy>, lookup: ObjectLookup): Record<string, Strategy> {
  const of = (kind: string): Strategy => strategies[kind] ?? defaultStrategy(kind);
  return { ...strategies, Node: nodeStrategy(of('Node')), Pod: podStrategy(of('Pod'), lookup), Lease: leaseStrategy(of('Lease')) };
}
