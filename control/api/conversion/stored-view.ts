/**
 * A resource served through a second group-version over the objects of another (upstream serves
 * one internal type through several external versions). The API server stores and handles the
 * internal resource's objects; only the HTTP edge converts (bodies in, objects and lists out,
 * field selector labels) and runs the validation that depends on the version asked for.
 */
import type { ResourceInfo } from '../resources.js';
import { findResource } from '../resources.js';
import { EVENTS_V1_VIEW } from './events.js';
import type { StoredView } from './view.js';

export type { StoredView } from './view.js';

const VIEWS: readonly StoredView[] = [EVENTS_V1_VIEW];

/** The view a resource is served through, with the internal resource it stores, or undefined. */
export function storedViewOf(ri: ResourceInfo): { view: StoredView; internal: ResourceInfo } | undefined {
  const view = VIEWS.find((v) => v.external.group === ri.group && v.external.version === ri.version && v.external.resource === ri.resource);
  if (!view) return undefined;
  const internal = findResource(view.internal.group, view.internal.version, view.internal.resource);
  return internal ? { view, internal } : undefined;
}
