/**
 * `crictl inspect ID…` / `inspectp ID…`: {status, info} per object as JSON (default) or YAML, one
 * object alone or an array for several; `-o table` prints the short text form. IDs are prefixes.
 */
import { outputFormat, parseArgs } from '../args.js';
import { UsageError } from '../../flags.js';
import type { FlagSpec } from '../args.js';
import type { Command, CrictlContext } from '../context.js';
import { containerStatusJson, nsToRfc3339Nano, print, sandboxStatusJson } from '../proto-json.js';
import type { JsonObject } from '../proto-json.js';
import { resolveContainer, resolveSandbox } from '../resolve.js';
import { containerStateName } from './ps.js';
import { stateName } from './pods.js';

const FLAGS: FlagSpec = { output: { kind: 'value', short: 'o' }, quiet: { kind: 'bool', short: 'q' } };

async function inspectOne(ctx: CrictlContext, kind: 'container' | 'sandbox', prefix: string): Promise<{ json: JsonObject; text: string }> {
  const rt = ctx.runtime;
  if (kind === 'sandbox') {
    const id = await resolveSandbox(rt, prefix);
    const st = await rt.podSandboxStatus(id);
    const ip = st.network?.ip ?? await ctx.podIp(id);
    const s = ip === undefined ? st : { ...st, network: { ip } };
    const text = [`ID: ${s.id}`, `Name: ${s.metadata.name}`, `UID: ${s.metadata.uid}`, `Namespace: ${s.metadata.namespace}`,
      `Attempt: ${s.metadata.attempt}`, `Status: ${s.state}`, `Created: ${nsToRfc3339Nano(s.createdAt)}`,
      ...(ip === undefined ? [] : [`IP Addresses: ${ip}`])].join('\n');
    return { json: sandboxStatusJson(s, { runtimeType: 'docker', state: stateName(s.state) }), text };
  }
  const id = await resolveContainer(rt, prefix);
  const c = await rt.containerStatus(id);
  const text = [`ID: ${c.id}`, `Name: ${c.metadata.name}`, `Attempt: ${c.metadata.attempt}`, `State: ${c.state}`,
    `Created: ${nsToRfc3339Nano(c.createdAt)}`, ...(c.state === 'CONTAINER_EXITED' ? [`Exit Code: ${c.exitCode}`] : [])].join('\n');
  return { json: containerStatusJson(c, { runtimeType: 'docker', sandboxID: c.podSandboxId, state: containerStateName(c.state) }), text };
}

function inspectCommand(kind: 'container' | 'sandbox'): Command {
  return async (ctx, argv) => {
    const p = parseArgs(argv, FLAGS);
    if (p.positionals.length === 0) throw new UsageError('ID cannot be empty');
    const format = outputFormat(p, 'json');
    const results = [];
    for (const prefix of p.positionals) results.push(await inspectOne(ctx, kind, prefix));
    if (format === 'table') {
      ctx.io.out.write(results.map((r) => `${r.text}\n`).join(''));
      return 0;
    }
    const jsons = results.map((r) => p.has('quiet') ? { status: r.json.status } : r.json);
    ctx.io.out.write(print(jsons.length === 1 ? jsons[0] : jsons, format));
    return 0;
  };
}

export const inspectContainerCommand = inspectCommand('container');
export const inspectSandboxCommand = inspectCommand('sandbox');
