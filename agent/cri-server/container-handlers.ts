/**
 * RuntimeService container RPCs: lifecycle, lists and statuses, ExecSync, stats, and the extras
 * (resource updates, log reopening) when the backend has them. Stop and remove are idempotent
 * (the contract's promise); a missing container's status is NOT_FOUND; an ExecSync that runs out
 * of time is DEADLINE_EXCEEDED (containerd's way).
 */
import type { UntypedHandleCall } from '@grpc/grpc-js';
import { CriError } from '../../cri/errors.js';
import {
  containerConfigFromWire, containerFilterFromWire, containerStatsFilterFromWire, containerStatsToWire, containerStatusToWire,
  containerToWire, num, podSandboxConfigFromWire, resourcesFromWire,
} from '../../cri/grpc/convert.js';
import type { Int64, Maybe, WContainerConfig, WContainerFilter, WContainerStatsFilter, WLinuxContainerResources, WPodSandboxConfig } from '../../cri/grpc/wire.js';
import type { ContainerStatus } from '../../cri/types.js';
import { requireId } from './context.js';
import { listContainerStats } from './pod-stats.js';
import type { HandlerContext } from './context.js';
import { unary } from './unary.js';

interface ContainerIdRequest { container_id?: string; verbose?: boolean }

export function containerHandlers(ctx: HandlerContext): Record<string, UntypedHandleCall> {
  const { runtime, log } = ctx;
  return {
    CreateContainer: unary('CreateContainer', log, async (r: {
      pod_sandbox_id?: string; config?: Maybe<WContainerConfig>; sandbox_config?: Maybe<WPodSandboxConfig>;
    }) => {
      const sandboxId = requireId(r.pod_sandbox_id, 'pod_sandbox_id');
      if (!r.config) throw new CriError('InvalidArgument', 'missing required config');
      const id = await runtime.createContainer(sandboxId, containerConfigFromWire(r.config), podSandboxConfigFromWire(r.sandbox_config));
      return { container_id: id };
    }),
    StartContainer: unary('StartContainer', log, async (r: ContainerIdRequest) => {
      await runtime.startContainer(requireId(r.container_id, 'container_id'));
      return {};
    }),
    StopContainer: unary('StopContainer', log, async (r: { container_id?: string; timeout?: Int64 }) => {
      await runtime.stopContainer(requireId(r.container_id, 'container_id'), num(r.timeout));
      return {};
    }),
    RemoveContainer: unary('RemoveContainer', log, async (r: ContainerIdRequest) => {
      await runtime.removeContainer(requireId(r.container_id, 'container_id'));
      return {};
    }),
    ListContainers: unary('ListContainers', log, async (r: { filter?: Maybe<WContainerFilter> }) => {
      const containers = await runtime.listContainers(containerFilterFromWire(r.filter));
      return { containers: containers.map(containerToWire) };
    }),
    ContainerStatus: unary('ContainerStatus', log, async (r: ContainerIdRequest) => {
      const id = requireId(r.container_id, 'container_id');
      let status: ContainerStatus;
      let info: Record<string, string> = {};
      if (r.verbose === true && runtime.containerStatusVerbose) ({ status, info } = await runtime.containerStatusVerbose(id));
      else status = await runtime.containerStatus(id);
      return { status: containerStatusToWire(status), info };
    }),
    ExecSync: unary('ExecSync', log, async (r: { container_id?: string; cmd?: string[]; timeout?: Int64 }) => {
      const id = requireId(r.container_id, 'container_id');
      if (!r.cmd || r.cmd.length === 0) throw new CriError('InvalidArgument', 'missing required cmd');
      const res = await runtime.execSync(id, r.cmd, num(r.timeout));
      return { stdout: res.stdout, stderr: res.stderr, exit_code: res.exitCode };
    }),
    ContainerStats: unary('ContainerStats', log, async (r: ContainerIdRequest) => {
      const id = requireId(r.container_id, 'container_id');
      if (!runtime.containerStats) throw new CriError('Unimplemented', 'ContainerStats is not implemented: the runtime does not measure containers');
      return { stats: containerStatsToWire(await runtime.containerStats(id)) };
    }),
    ListContainerStats: unary('ListContainerStats', log, async (r: { filter?: Maybe<WContainerStatsFilter> }) => {
      const stats = await listContainerStats(runtime, containerStatsFilterFromWire(r.filter));
      return { stats: stats.map(containerStatsToWire) };
    }),
    UpdateContainerResources: unary('UpdateContainerResources', log, async (r: { container_id?: string; linux?: Maybe<WLinuxContainerResources> }) => {
      const id = requireId(r.container_id, 'container_id');
      if (!runtime.updateContainerResources) throw new CriError('Unimplemented', 'UpdateContainerResources is not implemented by this runtime');
      await runtime.updateContainerResources(id, resourcesFromWire(r.linux) ?? {});
      return {};
    }),
    ReopenContainerLog: unary('ReopenContainerLog', log, async (r: ContainerIdRequest) => {
      const id = requireId(r.container_id, 'container_id');
      if (!runtime.reopenContainerLog) throw new CriError('Unimplemented', 'ReopenContainerLog is not implemented: this runtime keeps container logs itself');
      await runtime.reopenContainerLog(id);
      return {};
    }),
  };
}
