/**
 * upstream's bootstrap ClusterRoleBindings, plus kubeadm's: bootstrap tokens may ask for node
 * certificates and have them approved, nodes may renew their own, and system:anonymous may read
 * kube-public/cluster-info (kubeadm's kubeadm:bootstrap-signer-clusterinfo Role and RoleBinding).
 */
import type { PolicyRule, Subject } from 'kubernetes-types/rbac/v1.js';
import { rule } from './rules.js';

const G = 'rbac.authorization.k8s.io';
export const group = (name: string): Subject => ({ apiGroup: G, kind: 'Group', name });
export const user = (name: string): Subject => ({ apiGroup: G, kind: 'User', name });

export interface BootstrapBinding { name: string; namespace?: string; roleKind: 'Role' | 'ClusterRole'; role: string; subjects: Subject[]; autoupdate: boolean }
export interface BootstrapRole { name: string; namespace: string; rules: PolicyRule[] }

const crb = (name: string, role: string, subjects: Subject[], autoupdate = true): BootstrapBinding =>
  ({ name, roleKind: 'ClusterRole', role, subjects, autoupdate });

export const CLUSTER_ROLE_BINDINGS: readonly BootstrapBinding[] = [
  crb('cluster-admin', 'cluster-admin', [group('system:masters')]),
  crb('system:monitoring', 'system:monitoring', [group('system:monitoring')]),
  crb('system:discovery', 'system:discovery', [group('system:authenticated')]),
  crb('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
  crb('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
  crb('system:node-proxier', 'system:node-proxier', [user('system:kube-proxy')]),
  crb('system:kube-controller-manager', 'system:kube-controller-manager', [user('system:kube-controller-manager')]),
  crb('system:kube-scheduler', 'system:kube-scheduler', [user('system:kube-scheduler')]),
  crb('system:node', 'system:node', []),
  crb('system:controller:statefulset-controller', 'system:controller:statefulset-controller', [{ kind: 'ServiceAccount', name: 'statefulset-controller', namespace: 'kube-system' }]),
  crb('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
  // kubeadm's (not auto-updated): bootstrap tokens get node client certificates, approved; nodes renew their own
  crb('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', [group('system:bootstrappers')], false),
  crb('kubeadm:node-autoapprove-bootstrap', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', [group('system:bootstrappers')], false),
  crb('kubeadm:node-autoapprove-certificate-rotation', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [group('system:nodes')], false),
];

const CLUSTER_INFO = 'kubeadm:bootstrap-signer-clusterinfo';

export const NAMESPACED_ROLES: readonly BootstrapRole[] = [
  { name: CLUSTER_INFO, namespace: 'kube-public', rules: [rule(['get'], [''], ['configmaps'], ['cluster-info'])] },
];

export const ROLE_BINDINGS: readonly BootstrapBinding[] = [
  { name: CLUSTER_INFO, namespace: 'kube-public', roleKind: 'Role', role: CLUSTER_INFO, subjects: [user('system:anonymous')], autoupdate: false },
];
