/**
 * RuntimeService pod sandbox RPCs: wire request → contract call → wire response. Stop and remove
 * are idempotent (the contract's promise); a missing sandbox's status is NOT_FOUND. Pod stats
 * from the backend, else summed from its containers' (pod-stats.ts).
 */
import type { UntypedHandleCall } from '@grpc/grpc-js';
import { CriError } from '../../cri/errors.js';
import {
  i64, podSandboxConfigFromWire, podSandboxFilterFromWire, podSandboxStatsFilterFromWire, podSandboxStatsToWire,
  podSandboxStatusToWire, podSandboxToWire,
} from '../../cri/grpc/convert.js';
import type { Maybe, WPodSandboxConfig, WPodSandboxFilter, WPodSandboxStatsFilter } from '../../cri/grpc/wire.js';
import type { PodSandboxStatus } from '../../cri/types.js';
import { requireId } from './context.js';
import { listPodSandboxStats, podSandboxStats } from './pod-stats.js';
import type { HandlerContext } from './context.js';
import { unary } from './unary.js';

interface SandboxIdRequest { pod_sandbox_id?: string; verbose?: boolean }

export function sandboxHandlers(ctx: HandlerContext): Record<string, UntypedHandleCall> {
  const { runtime, log } = ctx;
  return {
    RunPodSandbox: unary('RunPodSandbox', log, async (r: { config?: Maybe<WPodSandboxConfig>; runtime_handler?: string }) => {
      if (!r.config) throw new CriError('InvalidArgument', 'missing required config');
      // the contract has one runtime per backend (no RuntimeClass handlers)
      if (r.runtime_handler) throw new CriError('InvalidArgument', `runtime handler "${r.runtime_handler}" is not supported`);
      return { pod_sandbox_id: await runtime.runPodSandbox(podSandboxConfigFromWire(r.config)) };
    }),
    StopPodSandbox: unary('StopPodSandbox', log, async (r: SandboxIdRequest) => {
      await runtime.stopPodSandbox(requireId(r.pod_sandbox_id, 'pod_sandbox_id'));
      return {};
    }),
    RemovePodSandbox: unary('RemovePodSandbox', log, async (r: SandboxIdRequest) => {
      await runtime.removePodSandbox(requireId(r.pod_sandbox_id, 'pod_sandbox_id'));
      return {};
    }),
    PodSandboxStatus: unary('PodSandboxStatus', log, async (r: SandboxIdRequest) => {
      const id = requireId(r.pod_sandbox_id, 'pod_sandbox_id');
      let status: PodSandboxStatus;
      let info: Record<string, string> = {};
      if (r.verbose === true && runtime.podSandboxStatusVerbose) ({ status, info } = await runtime.podSandboxStatusVerbose(id));
      else status = await runtime.podSandboxStatus(id);
      return { status: podSandboxStatusToWire(status), info, containers_statuses: [], timestamp: i64(ctx.nowNs()) };
    }),
    ListPodSandbox: unary('ListPodSandbox', log, async (r: { filter?: Maybe<WPodSandboxFilter> }) => {
      const items = await runtime.listPodSandbox(podSandboxFilterFromWire(r.filter));
      return { items: items.map(podSandboxToWire) };
    }),
    PodSandboxStats: unary('PodSandboxStats', log, async (r: SandboxIdRequest) => {
      const id = requireId(r.pod_sandbox_id, 'pod_sandbox_id');
      return { stats: podSandboxStatsToWire(await podSandboxStats(runtime, id)) };
    }),
    ListPodSandboxStats: unary('ListPodSandboxStats', log, async (r: { filter?: Maybe<WPodSandboxStatsFilter> }) => {
      return { stats: (await listPodSandboxStats(runtime, podSandboxStatsFilterFromWire(r.filter))).map(podSandboxStatsToWire) };
    }),
  };
}
