/**
 * Every controller the controller manager runs, in start order (data; upstream's
 * NewControllerDescriptors). The control plane decides what else runs beside them (the scheduler).
 */
import { createEndpointsController } from './endpoints/endpoints-controller.js';
import { createEndpointSliceController } from './endpointslice/endpointslice-controller.js';
import type { RunnableFactory } from '../controller-manager/runnable.js';
import { createBootstrapSignerController } from './bootstrap-signer/bootstrap-signer-controller.js';
import { createTokenCleanerController } from './bootstrap-signer/token-cleaner-controller.js';
import { createCronJobController } from './cronjob/cronjob-controller.js';
import { createDaemonSetController } from './daemonset/daemonset-controller.js';
import { createStatefulSetController } from './statefulset/statefulset-controller.js';
import { createDeploymentController } from './deployment/deployment-controller.js';
import { createReplicaSetController, createReplicationControllerController } from './replicaset/replicaset-controller.js';
import { createJobController } from './job/job-controller.js';
import { createNodeIpamController } from './node-ipam/node-ipam-controller.js';
import { createNodeLifecycleController } from './node-lifecycle/node-lifecycle-controller.js';
import { createPodGcController } from './podgc/podgc-controller.js';
import { createServiceLbController } from './service-lb/service-lb-controller.js';
import { createCsrApproverController } from './csr-approver/csr-approver-controller.js';
import { createCsrSignerController } from './csr-signer/csr-signer-controller.js';
import { createServiceAccountController } from './serviceaccount/serviceaccount-controller.js';
import { createRootCaPublisherController } from './root-ca-publisher/root-ca-publisher-controller.js';
import { createTokensController } from './serviceaccount-token/tokens-controller.js';
import { createClusterRoleAggregationController } from './clusterrole-aggregation/clusterrole-aggregation-controller.js';
import { createResourceQuotaController } from './resourcequota/resourcequota-controller.js';
import { createDisruptionController } from './disruption/disruption-controller.js';
import { createPersistentVolumeController } from './persistentvolume/persistentvolume-controller.js';

export const CONTROLLERS: readonly RunnableFactory[] = [
  { name: 'nodeipam', create: createNodeIpamController },
  { name: 'nodelifecycle', create: createNodeLifecycleController },
  { name: 'endpoints', create: createEndpointsController },
  { name: 'endpointslice', create: createEndpointSliceController },
  { name: 'podgc', create: (ctx) => createPodGcController(ctx) },
  { name: 'replicaset', create: createReplicaSetController },
  { name: 'replicationcontroller', create: createReplicationControllerController },
  { name: 'deployment', create: createDeploymentController },
  { name: 'daemonset', create: createDaemonSetController },
  { name: 'statefulset', create: createStatefulSetController },
  { name: 'job', create: (ctx) => createJobController(ctx) },
  { name: 'cronjob', create: (ctx) => createCronJobController(ctx) },
  { name: 'service-lb', create: createServiceLbController },
  { name: 'bootstrapsigner', create: createBootstrapSignerController },
  { name: 'tokencleaner', create: createTokenCleanerController },
  { name: 'csrapproving', create: createCsrApproverController },
  { name: 'csrsigning', create: createCsrSignerController },
  { name: 'serviceaccount', create: (ctx) => createServiceAccountController(ctx) },
  { name: 'root-ca-cert-publisher', create: createRootCaPublisherController },
  { name: 'serviceaccount-token', create: createTokensController },
  { name: 'clusterrole-aggregation', create: createClusterRoleAggregationController },
  { name: 'resourcequota', create: createResourceQuotaController },
  { name: 'disruption', create: createDisruptionController },
  { name: 'persistentvolume-binder', create: createPersistentVolumeController },
];
