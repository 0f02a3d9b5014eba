/**
 * upstream's printers for the RBAC kinds (printRole, printClusterRole, printRoleBinding,
 * printClusterRoleBinding): roles show their creation time, bindings the role and, wide, the
 * users, groups and service accounts (`namespace:name`) they bind.
 */
import type { RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import { AGE_COLUMN, NAME_COLUMN, column, wide } from './columns.js';
import { sinceTimestamp } from './human-duration.js';
import { definePrinter } from './printer.js';

const CREATED_DOC = 'CreationTimestamp is a timestamp representing the server time when this object was created.';
const ROLE_REF_DOC = 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.';

/** Role and ClusterRole. */
export const rolePrinter = definePrinter<{ metadata?: { name?: string; creationTimestamp?: string } }>([
  NAME_COLUMN,
  column('Created At', 'date', CREATED_DOC),
], (role) => [role.metadata?.name ?? '', role.metadata?.creationTimestamp ?? '']);

/** upstream SubjectsStrings: users, groups, service accounts (with their namespace when set). */
export function subjectsStrings(subjects: readonly Subject[]): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const out = { users: [] as string[], groups: [] as string[], serviceAccounts: [] as string[] };
  for (const s of subjects) {
    if (s.kind === 'User') out.users.push(s.name);
    else if (s.kind === 'Group') out.groups.push(s.name);
    else if (s.kind === 'ServiceAccount') out.serviceAccounts.push(s.namespace ? `${s.namespace}:${s.name}` : s.name);
  }
  return out;
}

const bindingPrinter = (what: string) => definePrinter<RoleBinding>([
  NAME_COLUMN,
  column('Role', 'string', ROLE_REF_DOC),
  AGE_COLUMN,
  wide('Users', 'string', `Users in the ${what}`),
  wide('Groups', 'string', `Groups in the ${what}`),
  wide('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`),
], (b, ctx) => {
  const s = subjectsStrings(b.subjects ?? []);
  return [
    b.metadata?.name ?? '', `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`, sinceTimestamp(b.metadata?.creationTimestamp, ctx.now),
    s.users.join(', '), s.groups.join(', '), s.serviceAccounts.join(', '),
  ];
});

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');
