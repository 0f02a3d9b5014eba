/** `crictl version` (Version / RuntimeName / RuntimeVersion / RuntimeApiVersion) and `crictl info` (CRI Status: conditions and verbose info, JSON). */
import { outputFormat, parseArgs } from '../args.js';
import { UsageError } from '../../flags.js';
import type { Command } from '../context.js';
import { print } from '../proto-json.js';
import { flattenInfo } from './inspect.js';
import { optionalCall } from '../optional-call.js';

/** The CRI API version crictl itself reports as "Version". */
export const CRI_CLIENT_VERSION = '0.1.0';

export const versionCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, {});
  if (p.positionals.length > 0) throw new UsageError('version takes no arguments');
  const v = await ctx.runtime.version();
  ctx.io.out.write(`Version:  ${CRI_CLIENT_VERSION}\nRuntimeName:  ${v.runtimeName}\nRuntimeVersion:  ${v.runtimeVersion}\nRuntimeApiVersion:  ${v.runtimeApiVersion}\n`);
  return 0;
};

export const infoCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, { output: { kind: 'value', short: 'o' }, quiet: { kind: 'bool', short: 'q' } });
  const format = outputFormat(p, 'json');
  if (format === 'table') throw new UsageError('info supports -o json or yaml');
  const rt = ctx.runtime;
  const st = await optionalCall(rt.status?.bind(rt, { verbose: !p.has('quiet') }));
  if (st !== undefined) {
    // CRI Status: the runtime's conditions, its verbose info flattened beside them (as crictl prints it)
    const status = { conditions: st.conditions };
    ctx.io.out.write(print(p.has('quiet') ? { status } : { status, ...flattenInfo(st.info) }, format));
    return 0;
  }
  let runtimeReady = { status: true, reason: '', message: '' };
  let version = '';
  try {
    const v = await rt.version();
    version = `${v.runtimeName} ${v.runtimeVersion}`;
  } catch (e) {
    runtimeReady = { status: false, reason: 'RuntimeUnreachable', message: e instanceof Error ? e.message : String(e) };
  }
  const status = {
    conditions: [
      { type: 'RuntimeReady', ...runtimeReady },
      // without CRI Status: the network is taken as ready whenever the runtime is
      { type: 'NetworkReady', ...(runtimeReady.status ? runtimeReady : { status: false, reason: 'NetworkPluginNotReady', message: 'runtime not ready' }) },
    ],
  };
  ctx.io.out.write(print(p.has('quiet') ? { status } : { status, info: { runtime: version } }, format));
  return runtimeReady.status ? 0 : 1;
};
