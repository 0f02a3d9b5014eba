#!/usr/bin/env node
/**
 * Build-time generator: OpenAPI v3 component schemas for every kind tinykube serves, derived from the
 * `kubernetes-types` declarations (interfaces + JSDoc) with the TypeScript compiler API.
 *
 *   node scripts/gen-openapi.mjs            # writes control/apiserver/openapi/generated/schemas.json
 *   node scripts/gen-openapi.mjs --check    # exits 1 if the committed file is stale
 *
 * TypeScript cannot tell int32 from int64 nor string from base64 bytes, and carries no patch-strategy
 * tags, so those facts come from the small tables below. Output is deterministic (sorted, compact).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES_DIR = join(ROOT, 'node_modules', 'kubernetes-types');
export const OUTPUT = join(ROOT, 'control', 'apiserver', 'openapi', 'generated', 'schemas.json');

const gv = (group, version) => ({ group, version });
const CORE = gv('', 'v1');
const APPS = gv('apps', 'v1');
const BATCH = gv('batch', 'v1');
const COORD = gv('coordination.k8s.io', 'v1');
const DISCO = gv('discovery.k8s.io', 'v1');
const POLICY = gv('policy', 'v1');
const AUTOSCALING = gv('autoscaling', 'v1');
const CERTIFICATES = gv('certificates.k8s.io', 'v1');
const RBAC = gv('rbac.authorization.k8s.io', 'v1');
const AUTHN = gv('authentication.k8s.io', 'v1');
const AUTHZ = gv('authorization.k8s.io', 'v1');
const NETWORKING = gv('networking.k8s.io', 'v1');
const NODE = gv('node.k8s.io', 'v1');
const EVENTS = gv('events.k8s.io', 'v1');
const STORAGE = gv('storage.k8s.io', 'v1');
const ADMISSIONREG = gv('admissionregistration.k8s.io', 'v1');

/** Root kinds: [module under kubernetes-types, interface, group-version or undefined, has a List kind]. */
const KINDS = [
  ['core/v1', 'Pod', CORE, true], ['core/v1', 'Service', CORE, true], ['core/v1', 'ReplicationController', CORE, true],
  ['core/v1', 'Namespace', CORE, true], ['core/v1', 'Node', CORE, true], ['core/v1', 'Endpoints', CORE, true],
  ['core/v1', 'Event', CORE, true], ['core/v1', 'ConfigMap', CORE, true], ['core/v1', 'Secret', CORE, true],
  ['core/v1', 'Binding', CORE, false], ['core/v1', 'ServiceAccount', CORE, true],
  ['core/v1', 'ResourceQuota', CORE, true], ['core/v1', 'LimitRange', CORE, true],
  ['rbac/v1', 'ClusterRoleBinding', RBAC, true], ['rbac/v1', 'ClusterRole', RBAC, true],
  ['rbac/v1', 'RoleBinding', RBAC, true], ['rbac/v1', 'Role', RBAC, true],
  ['authentication/v1', 'TokenRequest', AUTHN, false], ['authentication/v1', 'TokenReview', AUTHN, false],
  ['authentication/v1', 'SelfSubjectReview', AUTHN, false],
  ['authorization/v1', 'LocalSubjectAccessReview', AUTHZ, false], ['authorization/v1', 'SelfSubjectAccessReview', AUTHZ, false],
  ['authorization/v1', 'SelfSubjectRulesReview', AUTHZ, false], ['authorization/v1', 'SubjectAccessReview', AUTHZ, false],
  ['apps/v1', 'Deployment', APPS, true], ['apps/v1', 'ReplicaSet', APPS, true], ['apps/v1', 'DaemonSet', APPS, true],
  ['batch/v1', 'Job', BATCH, true], ['batch/v1', 'CronJob', BATCH, true],
  ['coordination/v1', 'Lease', COORD, true],
  ['discovery/v1', 'EndpointSlice', DISCO, true],
  ['certificates/v1', 'CertificateSigningRequest', CERTIFICATES, true],
  ['policy/v1', 'Eviction', POLICY, false],
  ['autoscaling/v1', 'Scale', AUTOSCALING, false],
  ['core/v1', 'PodTemplate', CORE, true],
  ['networking/v1', 'Ingress', NETWORKING, true], ['networking/v1', 'IngressClass', NETWORKING, true],
  ['node/v1', 'RuntimeClass', NODE, true],
  ['events/v1', 'Event', EVENTS, true],
  ['core/v1', 'PersistentVolume', CORE, true], ['core/v1', 'PersistentVolumeClaim', CORE, true],
  ['apps/v1', 'StatefulSet', APPS, true], ['apps/v1', 'ControllerRevision', APPS, true],
  ['policy/v1', 'PodDisruptionBudget', POLICY, true],
  ['storage/v1', 'StorageClass', STORAGE, true],
  ['admissionregistration/v1', 'ValidatingWebhookConfiguration', ADMISSIONREG, true],
  ['admissionregistration/v1', 'MutatingWebhookConfiguration', ADMISSIONREG, true],
  ['meta/v1', 'Status', CORE, false],
  ['meta/v1', 'DeleteOptions', undefined, false],
];
/** DeleteOptions is accepted by every group-version, as upstream registers it. */
const DELETE_OPTIONS_GVS = [CORE, APPS, AUTOSCALING, BATCH, CERTIFICATES, COORD, DISCO, POLICY, RBAC, NETWORKING, NODE, EVENTS, STORAGE, ADMISSIONREG];

/** Integer fields that are int64 in Go (every other integer is int32), by field name. */
const INT64_FIELDS = new Set([
  'activeDeadlineSeconds', 'deletionGracePeriodSeconds', 'expirationSeconds', 'fsGroup', 'generation',
  'gracePeriodSeconds', 'observedGeneration', 'remainingItemCount', 'revision', 'runAsGroup', 'runAsUser',
  'seconds', 'sizeBytes', 'startingDeadlineSeconds', 'supplementalGroups', 'terminationGracePeriodSeconds',
  'tolerationSeconds',
]);
/** Fields named like an int64 field that are int32 in their type. */
const INT32_EXCEPTIONS = new Set(['CertificateSigningRequestSpec.expirationSeconds']);
/** Map values that are []byte in Go (base64 strings on the wire), by Type.field. */
const BYTE_FIELDS = new Set(['Secret.data', 'ConfigMap.binaryData']);
/** Plain fields that are []byte in Go (one base64 string on the wire), by Type.field. */
const BYTE_STRING_FIELDS = new Set(['CertificateSigningRequestSpec.request', 'CertificateSigningRequestStatus.certificate', 'WebhookClientConfig.caBundle']);
/** Fields kubernetes-types leaves out (members of an embedded Go struct), by type then field. */
const EXTRA_FIELDS = {
  RuleWithOperations: {
    resources: { description: "Resources is a list of resources this rule applies to. '*' means all resources, 'pods/*' all subresources of pods, '*/scale' every scale subresource.", type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic' },
    scope: { description: 'scope specifies the scope of this rule: "Cluster", "Namespaced" or "*". Default is "*".', type: 'string' },
  },
};

const merge = (key, strategy = 'merge') => ({ 'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': strategy });
const listMap = (...keys) => ({ 'x-kubernetes-list-map-keys': keys, 'x-kubernetes-list-type': 'map' });
const ATOMIC_LIST = { 'x-kubernetes-list-type': 'atomic' };
const ATOMIC_MAP = { 'x-kubernetes-map-type': 'atomic' };
const CONTAINER_LISTS = {
  env: merge('name'), ports: { ...listMap('containerPort', 'protocol'), ...merge('containerPort') },
  volumeMounts: merge('mountPath'), volumeDevices: merge('devicePath'), resizePolicy: ATOMIC_LIST,
};
const CONDITIONS = { conditions: merge('type') };

/** Strategic-merge-patch and list/map-type extensions of the well-known fields, by type then field. */
const FIELD_EXTENSIONS = {
  ObjectMeta: { finalizers: { 'x-kubernetes-patch-strategy': 'merge' }, ownerReferences: merge('uid') },
  PodSpec: {
    containers: merge('name'), initContainers: merge('name'), ephemeralContainers: merge('name'),
    volumes: merge('name', 'merge,retainKeys'), imagePullSecrets: merge('name'), hostAliases: merge('ip'),
    resourceClaims: { ...listMap('name'), ...merge('name', 'merge,retainKeys') },
    schedulingGates: { ...listMap('name'), ...merge('name') },
    topologySpreadConstraints: { ...listMap('topologyKey', 'whenUnsatisfiable'), ...merge('topologyKey') },
    nodeSelector: ATOMIC_MAP,
  },
  Container: CONTAINER_LISTS,
  EphemeralContainer: CONTAINER_LISTS,
  ResourceRequirements: { claims: listMap('name') },
  PodAffinityTerm: { matchLabelKeys: ATOMIC_LIST, mismatchLabelKeys: ATOMIC_LIST },
  TopologySpreadConstraint: { matchLabelKeys: ATOMIC_LIST },
  PodStatus: { ...CONDITIONS, podIPs: merge('ip') },
  ServiceSpec: {
    ports: { ...listMap('port', 'protocol'), ...merge('port') },
    clusterIPs: ATOMIC_LIST, ipFamilies: ATOMIC_LIST, selector: ATOMIC_MAP,
  },
  ServiceStatus: { conditions: { ...listMap('type'), ...merge('type') } },
  LoadBalancerIngress: { ports: ATOMIC_LIST },
  NodeSpec: { podCIDRs: { 'x-kubernetes-patch-strategy': 'merge' } },
  NodeStatus: { ...CONDITIONS, addresses: merge('type') },
  NamespaceStatus: CONDITIONS,
  ReplicationControllerSpec: { selector: ATOMIC_MAP },
  ReplicationControllerStatus: CONDITIONS,
  DeploymentSpec: { strategy: { 'x-kubernetes-patch-strategy': 'retainKeys' } },
  DeploymentStatus: CONDITIONS,
  ReplicaSetStatus: CONDITIONS,
  DaemonSetStatus: CONDITIONS,
  StatefulSetStatus: CONDITIONS,
  PodDisruptionBudgetStatus: { conditions: { ...listMap('type'), ...merge('type') } },
  PersistentVolumeSpec: { claimRef: { 'x-kubernetes-map-type': 'granular' } },
  PersistentVolumeClaimStatus: { ...CONDITIONS, allocatedResourceStatuses: { 'x-kubernetes-map-type': 'granular' } },
  StorageClass: { allowedTopologies: ATOMIC_LIST },
  JobStatus: { conditions: { ...ATOMIC_LIST, ...merge('type') } },
  EndpointSlice: { endpoints: ATOMIC_LIST, ports: ATOMIC_LIST },
  CertificateSigningRequestSpec: { groups: ATOMIC_LIST, request: ATOMIC_LIST, usages: ATOMIC_LIST },
  CertificateSigningRequestStatus: { certificate: ATOMIC_LIST, conditions: listMap('type') },
  ServiceAccount: { secrets: merge('name') },
  Role: { rules: ATOMIC_LIST }, ClusterRole: { rules: ATOMIC_LIST },
  RoleBinding: { subjects: ATOMIC_LIST }, ClusterRoleBinding: { subjects: ATOMIC_LIST },
  AggregationRule: { clusterRoleSelectors: ATOMIC_LIST },
  PolicyRule: { apiGroups: ATOMIC_LIST, nonResourceURLs: ATOMIC_LIST, resourceNames: ATOMIC_LIST, resources: ATOMIC_LIST, verbs: ATOMIC_LIST },
  TokenReviewSpec: { audiences: ATOMIC_LIST }, TokenReviewStatus: { audiences: ATOMIC_LIST },
  IngressSpec: { rules: ATOMIC_LIST, tls: ATOMIC_LIST }, HTTPIngressRuleValue: { paths: ATOMIC_LIST },
  IngressTLS: { hosts: ATOMIC_LIST }, IngressLoadBalancerStatus: { ingress: ATOMIC_LIST }, IngressLoadBalancerIngress: { ports: ATOMIC_LIST },
  Scheduling: { nodeSelector: ATOMIC_MAP, tolerations: ATOMIC_LIST },
};
/** Structs that are replaced as a whole by server-side apply. */
const ATOMIC_TYPES = new Set([
  'ConfigMapKeySelector', 'EndpointAddress', 'EndpointPort', 'LabelSelector', 'LocalObjectReference', 'NodeSelector',
  'NodeSelectorTerm', 'ObjectFieldSelector', 'ObjectReference', 'OwnerReference', 'ResourceFieldSelector',
  'SecretKeySelector', 'SecretReference', 'TypedLocalObjectReference', 'RoleRef',
  'ScopeSelector',
]);

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const INT_OR_STRING_SCHEMA = {
  description: 'IntOrString holds either an int32 or a string; JSON carries whichever of the two was set.',
  format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }],
};

/** Upstream schema-name prefix for a kubernetes-types module path. */
function namespaceOf(module) {
  if (module === 'meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  if (module === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (module === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  return `io.k8s.api.${module.replace('/', '.')}`;
}

/** The text of the JSDoc block right before a node, without comment markers. */
function jsDocOf(node, text) {
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const last = ranges.filter((r) => text.startsWith('/**', r.pos)).pop();
  if (!last) return undefined;
  const body = text.slice(last.pos + 3, last.end - 2);
  const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, '').replace(/\s+$/, ''));
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.map((l, i) => (i === 0 ? l.trim() : l)).join('\n') || undefined;
}

function loadModules() {
  const cache = new Map();
  return function load(module) {
    let m = cache.get(module);
    if (m) return m;
    const file = join(TYPES_DIR, `${module}.d.ts`);
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    m = { module, text, decls: new Map(), imports: new Map() };
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st)) {
        const from = posix.normalize(posix.join(posix.dirname(module), st.moduleSpecifier.text));
        for (const el of st.importClause?.namedBindings?.elements ?? []) m.imports.set(el.name.text, from);
      } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
        m.decls.set(st.name.text, st);
      }
    }
    cache.set(module, m);
    return m;
  };
}

/** Generates every schema reachable from KINDS: name -> schema, keys sorted. */
export function generateSchemas() {
  const load = loadModules();
  const out = new Map();
  const queue = [];
  const gvks = new Map();
  const refTo = (module, name) => {
    const full = `${namespaceOf(module)}.${name}`;
    if (!out.has(full) && !queue.some((q) => q.full === full)) queue.push({ module, name, full });
    return full;
  };
  for (const [module, name, gvOf, hasList] of KINDS) {
    const full = refTo(module, name);
    if (gvOf) gvks.set(full, [{ ...gvOf, kind: name }]);
    if (hasList) gvks.set(refTo(module, `${name}List`), [{ ...gvOf, kind: `${name}List` }]);
  }
  gvks.set(`${namespaceOf('meta/v1')}.DeleteOptions`, DELETE_OPTIONS_GVS.map((g) => ({ ...g, kind: 'DeleteOptions' })));

  while (queue.length) {
    const { module, name, full } = queue.shift();
    const m = load(module);
    const decl = m.decls.get(name);
    if (!decl) throw new Error(`gen-openapi: ${module}.${name} not found`);
    out.set(full, schemaOfDecl(m, decl, gvks.get(full)));
  }
  out.set(INT_OR_STRING, INT_OR_STRING_SCHEMA);
  return Object.fromEntries([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

  function schemaOfDecl(m, decl, gvk) {
    const description = jsDocOf(decl, m.text);
    if (ts.isTypeAliasDeclaration(decl)) {
      if (decl.name.text === 'Time' || decl.name.text === 'MicroTime') return { description, type: 'string', format: 'date-time' };
      if (decl.name.text === 'Quantity') return { description, oneOf: [{ type: 'string' }, { type: 'number' }] };
      throw new Error(`gen-openapi: unsupported alias ${m.module}.${decl.name.text}`);
    }
    const owner = decl.name.text;
    const properties = {};
    const required = [];
    for (const member of decl.members) {
      if (!ts.isPropertySignature(member)) throw new Error(`gen-openapi: unsupported member in ${owner}`);
      const field = member.name.text;
      const schema = typeSchema(m, member.type, owner, field);
      const doc = jsDocOf(member, m.text);
      const prop = schema.$ref && doc ? { description: doc, allOf: [schema] } : { ...(doc ? { description: doc } : {}), ...schema };
      properties[field] = { ...prop, ...FIELD_EXTENSIONS[owner]?.[field] };
      if (!member.questionToken) required.push(field);
    }
    for (const [field, prop] of Object.entries(EXTRA_FIELDS[owner] ?? {})) properties[field] = prop;
    const schema = { description, type: 'object' };
    if (Object.keys(properties).length) schema.properties = properties;
    if (required.length) schema.required = required;
    if (gvk) schema['x-kubernetes-group-version-kind'] = gvk;
    if (ATOMIC_TYPES.has(owner)) Object.assign(schema, ATOMIC_MAP);
    return schema;
  }

  function typeSchema(m, node, owner, field) {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return BYTE_STRING_FIELDS.has(`${owner}.${field}`) ? { type: 'string', format: 'byte' } : { type: 'string' };
      case ts.SyntaxKind.BooleanKeyword: return { type: 'boolean' };
      case ts.SyntaxKind.NumberKeyword:
        return { type: 'integer', format: INT64_FIELDS.has(field) && !INT32_EXCEPTIONS.has(`${owner}.${field}`) ? 'int64' : 'int32' };
      case ts.SyntaxKind.LiteralType:
        if (ts.isStringLiteral(node.literal)) return { type: 'string' };
        break;
      case ts.SyntaxKind.ArrayType: return { type: 'array', items: typeSchema(m, node.elementType, owner, field) };
      case ts.SyntaxKind.UnionType: {
        const kinds = node.types.map((t) => t.kind).sort();
        if (kinds.length === 2 && kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) {
          return { $ref: `#/components/schemas/${INT_OR_STRING}` };
        }
        break;
      }
      case ts.SyntaxKind.TypeLiteral: {
        const idx = node.members.length === 1 && ts.isIndexSignatureDeclaration(node.members[0]) ? node.members[0] : undefined;
        if (!idx) break;
        const value = typeSchema(m, idx.type, owner, field);
        if (BYTE_FIELDS.has(`${owner}.${field}`)) value.format = 'byte';
        return { type: 'object', additionalProperties: value };
      }
      case ts.SyntaxKind.TypeReference: {
        const name = node.typeName.getText();
        if (name === 'Array' && node.typeArguments?.length === 1) {
          return { type: 'array', items: typeSchema(m, node.typeArguments[0], owner, field) };
        }
        const module = m.decls.has(name) ? m.module : m.imports.get(name);
        if (!module) throw new Error(`gen-openapi: cannot resolve ${name} in ${m.module}`);
        return { $ref: `#/components/schemas/${refTo(module, name)}` };
      }
      default: break;
    }
    throw new Error(`gen-openapi: unsupported type ${ts.SyntaxKind[node.kind]} at ${owner}.${field}`);
  }
}

/** The generated file's exact content. */
export function renderSchemas() {
  return `${JSON.stringify(generateSchemas())}\n`;
}

function main(argv) {
  const content = renderSchemas();
  if (argv.includes('--check')) {
    const current = readFileSync(OUTPUT, 'utf8');
    if (current !== content) {
      process.stderr.write(`${OUTPUT} is stale; run node scripts/gen-openapi.mjs\n`);
      process.exit(1);
    }
    return;
  }
  mkdirSync(dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, content);
  process.stdout.write(`wrote ${Object.keys(JSON.parse(content)).length} schemas (${content.length} bytes) to ${OUTPUT}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
