/**
 * What a dynamic admission webhook is told about a request (upstream's admission.Attributes as the
 * webhook dispatchers read them).
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';

export const WEBHOOK_OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const;
export type WebhookOperation = typeof WEBHOOK_OPERATIONS[number];

/** Who made the request (the registry's RequestUser has this shape). */
export interface WebhookUser { name: string; uid?: string; groups: string[]; extra?: Record<string, string[]> }

export interface WebhookAttributes {
  operation: WebhookOperation;
  ri: ResourceInfo;
  /** '' for the main resource, else `status`, `attach`, … */
  subresource: string;
  namespace?: string;
  name: string;
  /** The new object (CREATE, UPDATE, CONNECT options); undefined for DELETE. */
  object?: KubeObject;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: KubeObject;
  dryRun: boolean;
  user?: WebhookUser;
  /** CreateOptions / UpdateOptions / DeleteOptions as sent to the webhook. */
  options?: Record<string, unknown>;
}

/** The group-version-kind a subresource speaks (pods/attach → PodAttachOptions), the resource's own otherwise. */
export function requestKind(ri: ResourceInfo, subresource: string): { group: string; version: string; kind: string } {
  const sub = subresource ? ri.subresources?.find((s) => s.name === subresource) : undefined;
  return { group: sub?.group ?? ri.group, version: sub?.version ?? ri.version, kind: sub?.kind ?? ri.kind };
}
