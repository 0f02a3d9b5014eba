import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/**
 * Any Kubernetes object as the API server stores it: typed metadata, everything else left open.
 * Printers narrow it to the kubernetes-types shape of the kind they print.
 */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
} & Record<string, unknown>;

export type { ObjectMeta };
