/**
 * Starts one container of a pod (kubelet's kuberuntime startContainer): image per pull policy,
 * env and config, create, start, with upstream events (Created, Started, Failed). A failure is
 * returned as the waiting reason/message to report (never thrown), with when to try again.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { Logger } from 'pino';
import type { KubeObject } from '../control/api/object.js';
import type { PodSandboxConfig, Runtime } from '../cri/types.js';
import { ContainerConfigError, resolveEnv } from './env.js';
import type { EnvContext, PodRefs } from './env.js';
import type { ImagePuller, PodEventSink } from './image-puller.js';
import type { ContainerNote } from './pod-status.js';
import { runHook } from './lifecycle-hooks.js';
import { makeContainerConfig } from './sandbox-config.js';
import { effectiveSecurityContext, verifyRunAsNonRoot } from './security-context.js';
import type { ImageUser } from './security-context.js';
import { podServiceEnv } from './service-env.js';
import type { ServiceLister } from './service-env.js';
import { CONFIG_SOURCE_ANNOTATION } from './labels.js';
import { createTerminationMessageFile, terminationMessageFile } from './termination-message.js';
import { etcHostsPath, volumeHostPaths } from './volume-paths.js';
import { prepareSubPaths } from './volume-subpath.js';

export interface StartContext {
  pod: Pod;
  sandboxId: string;
  sandboxConfig: PodSandboxConfig;
  refs: PodRefs;
  env: EnvContext;
}

export type StartOutcome = { ok: true; containerId: string } | { ok: false; note: ContainerNote; retryInMs: number };

/** How soon a start that failed for a config/runtime error is tried again. */
export const START_RETRY_MS = 2000;

export class ContainerStarter {
  constructor(private readonly o: {
    runtime: Runtime; puller: ImagePuller; events: PodEventSink; dataDir: string; nodeMemoryBytes: number; signal?: AbortSignal;
    /** Where a refusal's detail goes (the subPath a container tried; never in the event). */
    log?: Logger;
    /** The services for the pod's environment (service-env.ts); without it, none. */
    services?: ServiceLister;
  }) {}

  async start(ctx: StartContext, c: Container, attempt: number): Promise<StartOutcome> {
    const { pod } = ctx;
    const obj = pod as KubeObject;
    const pulled = await this.o.puller.ensure(pod, c, this.o.signal);
    if (!pulled.ok) return { ok: false, note: { reason: pulled.reason, message: pulled.message }, retryInMs: pulled.retryInMs ?? START_RETRY_MS };
    const volumePaths = volumeHostPaths(pod, this.o.dataDir, ctx.refs.claims);
    let envs;
    let subPaths;
    let imageUser;
    try {
      envs = resolveEnv(pod, c, ctx.refs, ctx.env, this.serviceEnv(pod));
      subPaths = await prepareSubPaths(c, volumePaths, envs);
      imageUser = await this.nonRootImageUser(pod, c, pulled.imageRef);
    } catch (err) {
      if (!(err instanceof ContainerConfigError)) throw err;
      // the event keeps host paths from the user (upstream); the log has the detail
      if (err.cause !== undefined) this.o.log?.error({ err: err.cause, pod: `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`, container: c.name }, err.message);
      this.o.events.event(obj, 'Warning', 'Failed', `Error: ${err.message}`);
      return { ok: false, note: { reason: err.reason, message: err.message }, retryInMs: START_RETRY_MS };
    }
    const uid = pod.metadata?.uid ?? '';
    const messageFile = c.terminationMessagePath ? terminationMessageFile(this.o.dataDir, uid, c.name, attempt) : undefined;
    if (messageFile !== undefined) await createTerminationMessageFile(messageFile);
    const cfg = makeContainerConfig(pod, c, {
      attempt, envs, volumePaths, subPaths, etcHostsPath: etcHostsPath(this.o.dataDir, uid),
      nodeMemoryBytes: this.o.nodeMemoryBytes, imageUser, ...(messageFile === undefined ? {} : { terminationMessageFile: messageFile }),
    });
    if (ctx.sandboxConfig.logDirectory) await mkdir(join(ctx.sandboxConfig.logDirectory, c.name), { recursive: true });
    let id: string;
    try {
      id = await this.o.runtime.createContainer(ctx.sandboxId, cfg, ctx.sandboxConfig);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.o.events.event(obj, 'Warning', 'Failed', `Error: ${message}`);
      return { ok: false, note: { reason: 'CreateContainerError', message }, retryInMs: START_RETRY_MS };
    }
    this.o.events.event(obj, 'Normal', 'Created', `Created container: ${c.name}`);
    try {
      await this.o.runtime.startContainer(id);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.o.events.event(obj, 'Warning', 'Failed', `Error: ${message}`);
      return { ok: false, note: { reason: 'RunContainerError', message }, retryInMs: START_RETRY_MS };
    }
    this.o.events.event(obj, 'Normal', 'Started', `Started container ${c.name}`);
    const postStart = c.lifecycle?.postStart;
    if (postStart) {
      const md = pod.metadata ?? {};
      const podDesc = `${md.name ?? ''}_${md.namespace ?? 'default'}(${uid})`;
      const failed = await runHook(postStart, { runtime: this.o.runtime, containerId: id, spec: c, podDesc, podIP: ctx.env.podIP, timeoutSeconds: 0 });
      if (failed !== undefined) {
        // as the kubelet: the container is killed and started again by its restart policy
        this.o.events.event(obj, 'Warning', 'FailedPostStartHook', failed);
        await this.o.runtime.stopContainer(id, pod.spec?.terminationGracePeriodSeconds ?? 30);
        return { ok: false, note: { reason: 'PostStartHookError', message: failed }, retryInMs: START_RETRY_MS };
      }
    }
    return { ok: true, containerId: id };
  }

  /**
   * The pod's service variables. Like the kubelet, a pod from the API waits for the services to
   * be listed once (else it would miss KUBERNETES_SERVICE_HOST); a static pod does not.
   */
  private serviceEnv(pod: Pod): Map<string, string> {
    const lister = this.o.services;
    if (!lister) return new Map();
    const fromApi = (pod.metadata?.annotations?.[CONFIG_SOURCE_ANNOTATION] ?? 'api') === 'api';
    if (fromApi && !lister.hasSynced()) throw new ContainerConfigError('services have not yet been read at least once, cannot construct envvars');
    return podServiceEnv(pod, lister.list());
  }

  /**
   * The image's USER (kubelet's getImageUser: an image without one, or one the runtime cannot
   * tell about, runs as root), checked against runAsNonRoot: ContainerConfigError when it fails.
   */
  private async nonRootImageUser(pod: Pod, c: Container, imageRef: string): Promise<ImageUser | undefined> {
    const sc = effectiveSecurityContext(pod, c);
    // Only runAsNonRoot and a runAsGroup without runAsUser need the image's USER; otherwise the
    // runtime applies it by itself, and a start saves an imageStatus round trip.
    if (sc.runAsNonRoot !== true && !(sc.runAsUser == null && sc.runAsGroup != null)) return undefined;
    let image;
    try {
      image = await this.o.runtime.imageStatus({ image: imageRef });
    } catch (err) {
      throw new ContainerConfigError(`failed to get image user for ${imageRef}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const user: ImageUser = image?.uid !== undefined ? { uid: image.uid } : image?.username ? { username: image.username } : { uid: 0 };
    const refused = verifyRunAsNonRoot(pod, c, user);
    if (refused !== undefined) throw new ContainerConfigError(refused);
    return user;
  }
}
