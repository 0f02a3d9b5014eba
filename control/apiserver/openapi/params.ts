/**
 * OpenAPI v3 parameter objects for the query and path parameters the apiserver honours.
 * kubectl's field-validation check looks for `fieldValidation` among a PATCH operation's parameters.
 */

export interface Parameter {
  name: string;
  in: 'query' | 'path';
  description: string;
  required?: boolean;
  schema: { type: 'string' | 'boolean' | 'integer'; uniqueItems: true };
}

const q = (name: string, type: Parameter['schema']['type'], description: string): Parameter =>
  ({ name, in: 'query', description, schema: { type, uniqueItems: true } });

export const PARAM = {
  pretty: q('pretty', 'string', "If 'true', the response is indented."),
  dryRun: q('dryRun', 'string', 'When set to All, the request is validated and admitted but nothing is persisted.'),
  fieldManager: q('fieldManager', 'string',
    'Name of the actor making the change, recorded in managedFields. Required for apply patches.'),
  fieldValidation: q('fieldValidation', 'string',
    'How to treat unknown or duplicate fields in the body: Ignore drops them, Warn drops them with a warning header, '
    + 'Strict rejects the request with 400 BadRequest listing every such field.'),
  force: q('force', 'boolean', 'For apply patches only: take ownership of fields other managers own.'),
  labelSelector: q('labelSelector', 'string', 'Only return objects whose labels match this selector.'),
  fieldSelector: q('fieldSelector', 'string', 'Only return objects whose fields match this selector.'),
  limit: q('limit', 'integer', 'The most items to return in one page; the list metadata carries a continue token for the next page.'),
  continue: q('continue', 'string', 'The continue token of the previous page.'),
  resourceVersion: q('resourceVersion', 'string', 'Serve the list or watch at (or from) this resource version.'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'How resourceVersion is applied to a list: Exact or NotOlderThan.'),
  watch: q('watch', 'boolean', 'Stream add, update and delete events instead of returning a list.'),
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'Allow BOOKMARK events in a watch.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'End a list or watch call after this many seconds.'),
  sendInitialEvents: q('sendInitialEvents', 'boolean', 'Start a watch with synthetic ADDED events for the current state.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'Seconds before the object is deleted; 0 deletes at once.'),
  propagationPolicy: q('propagationPolicy', 'string', 'Garbage collection of dependents: Orphan, Background or Foreground.'),
} as const satisfies Record<string, Parameter>;

export const pathParam = (name: string, description: string): Parameter =>
  ({ name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true } });

export const WRITE_PARAMS: readonly Parameter[] = [PARAM.dryRun, PARAM.fieldManager, PARAM.fieldValidation];
export const PATCH_PARAMS: readonly Parameter[] = [...WRITE_PARAMS, PARAM.force];
export const LIST_PARAMS: readonly Parameter[] = [
  PARAM.allowWatchBookmarks, PARAM.continue, PARAM.fieldSelector, PARAM.labelSelector, PARAM.limit,
  PARAM.resourceVersion, PARAM.resourceVersionMatch, PARAM.sendInitialEvents, PARAM.timeoutSeconds, PARAM.watch,
];
export const DELETE_PARAMS: readonly Parameter[] = [PARAM.dryRun, PARAM.gracePeriodSeconds, PARAM.propagationPolicy];
