/**
 * Version, Status, UpdateRuntimeConfig and the GetContainerEvents stream. Status tells the truth
 * as the node knows it: RuntimeReady when the runtime answers Version (a backend with its own
 * status() reports both conditions itself), NetworkReady from the node (its pod network is
 * configured once it has its podCIDR).
 */
import type { ServerWritableStream, UntypedHandleCall } from '@grpc/grpc-js';
import { conditionToWire, containerEventToWire, containerStatusToWire } from '../../cri/grpc/convert.js';
import type { Maybe } from '../../cri/grpc/wire.js';
import type { RuntimeCondition, RuntimeStatus } from '../../cri/types.js';
import type { HandlerContext } from './context.js';
import { statusOf, unary } from './unary.js';

/** The kubelet-facing API version VersionResponse.version carries (what every CRI runtime answers). */
export const KUBELET_API_VERSION = '0.1.0';

async function nodeStatus(ctx: HandlerContext, verbose: boolean): Promise<RuntimeStatus> {
  if (ctx.runtime.status) return ctx.runtime.status({ verbose });
  const info: Record<string, string> = {};
  let runtime: RuntimeCondition = { type: 'RuntimeReady', status: true, reason: '', message: '' };
  try {
    const v = await ctx.runtime.version();
    if (verbose) info['version'] = JSON.stringify(v);
  } catch (err) {
    runtime = { type: 'RuntimeReady', status: false, reason: 'RuntimeNotReady', message: `runtime is not reachable: ${err instanceof Error ? err.message : String(err)}` };
  }
  const n = ctx.networkStatus();
  const network: RuntimeCondition = { type: 'NetworkReady', status: n.ready, reason: n.ready ? '' : n.reason ?? 'NetworkPluginNotReady', message: n.ready ? '' : n.message ?? '' };
  return { conditions: [runtime, network], info };
}

export function runtimeInfoHandlers(ctx: HandlerContext): Record<string, UntypedHandleCall> {
  const { runtime, log } = ctx;
  const getContainerEvents = (call: ServerWritableStream<unknown, unknown>): void => {
    const ac = new AbortController();
    call.once('cancelled', () => ac.abort());
    (async () => {
      for await (const e of runtime.events(ac.signal)) {
        const sandbox = e.podSandboxId === undefined ? undefined : await runtime.podSandboxStatus(e.podSandboxId).catch(() => undefined);
        const w = containerEventToWire(e, ctx.nowNs(), sandbox);
        // the container's own status when it still exists (a best effort: it may be gone already)
        const status = e.type === 'deleted' ? undefined : await runtime.containerStatus(e.containerId).catch(() => undefined);
        if (status) w.containers_statuses = [containerStatusToWire(status)];
        if (ac.signal.aborted) break;
        call.write(w);
      }
      if (!ac.signal.aborted) call.end();
    })().catch((err: unknown) => call.emit('error', statusOf(err, 'GetContainerEvents', log)));
  };
  return {
    Version: unary('Version', log, async () => {
      const v = await runtime.version();
      return { version: KUBELET_API_VERSION, runtime_name: v.runtimeName, runtime_version: v.runtimeVersion, runtime_api_version: v.runtimeApiVersion };
    }),
    Status: unary('Status', log, async (r: { verbose?: boolean }) => {
      const s = await nodeStatus(ctx, r.verbose === true);
      return { status: { conditions: s.conditions.map(conditionToWire) }, info: s.info };
    }),
    UpdateRuntimeConfig: unary('UpdateRuntimeConfig', log, async (r: { runtime_config?: Maybe<{ network_config?: Maybe<{ pod_cidr?: string }> }> }) => {
      const podCidr = r.runtime_config?.network_config?.pod_cidr ?? '';
      await runtime.updateRuntimeConfig(podCidr === '' ? {} : { networkConfig: { podCidr } });
      return {};
    }),
    GetContainerEvents: getContainerEvents as UntypedHandleCall,
  };
}
