/**
 * `crictl inspect ID…` / `inspectp ID…` / `inspecti IMAGE…`: {status, …info} per object as JSON
 * (default) or YAML, one object alone or an array for several; `-o table` prints the short text
 * form, `-q` the status only. The verbose info map is flattened beside `status` with each value
 * parsed as JSON when it is JSON, as crictl does (containerd's one key "info" becomes `info`).
 * The pod IP is the runtime's own (PodSandboxStatus.network). IDs are prefixes.
 */
import { outputFormat, parseArgs } from '../args.js';
import { UsageError } from '../../flags.js';
import type { FlagSpec } from '../args.js';
import type { Command, CrictlContext } from '../context.js';
import { containerStatusJson, imageJson, nsToRfc3339Nano, print, sandboxStatusJson } from '../proto-json.js';
import type { JsonObject } from '../proto-json.js';
import { resolveContainer, resolveImage, resolveSandbox } from '../resolve.js';
import { optionalCall } from '../optional-call.js';

const FLAGS: FlagSpec = { output: { kind: 'value', short: 'o' }, quiet: { kind: 'bool', short: 'q' } };

type Kind = 'container' | 'sandbox' | 'image';

/** PURE. crictl's verbose info: every value JSON-parsed when it parses, else kept as a string. */
export function flattenInfo(info: Record<string, string>): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(info).sort()) {
    const v = info[k]!;
    try {
      out[k] = JSON.parse(v) as unknown;
    } catch {
      out[k] = v; // not JSON: crictl shows the text itself
    }
  }
  return out;
}

async function inspectOne(ctx: CrictlContext, kind: Kind, ref: string, verbose: boolean): Promise<{ json: JsonObject; text: string }> {
  const rt = ctx.runtime;
  if (kind === 'sandbox') {
    const id = await resolveSandbox(rt, ref);
    const v = (verbose ? await optionalCall(rt.podSandboxStatusVerbose?.bind(rt, id)) : undefined) ?? { status: await rt.podSandboxStatus(id), info: {} };
    const s = v.status;
    const ip = s.network?.ip ?? '';
    const text = [`ID: ${s.id}`, `Name: ${s.metadata.name}`, `UID: ${s.metadata.uid}`, `Namespace: ${s.metadata.namespace}`,
      `Attempt: ${s.metadata.attempt}`, `Status: ${s.state}`, `Created: ${nsToRfc3339Nano(s.createdAt)}`,
      ...(ip === '' ? [] : [`IP Addresses: ${[ip, ...(s.network?.additionalIps ?? [])].join(', ')}`])].join('\n');
    return { json: { ...sandboxStatusJson(s), ...flattenInfo(v.info) }, text };
  }
  if (kind === 'container') {
    const id = await resolveContainer(rt, ref);
    const v = (verbose ? await optionalCall(rt.containerStatusVerbose?.bind(rt, id)) : undefined) ?? { status: await rt.containerStatus(id), info: {} };
    const c = v.status;
    const text = [`ID: ${c.id}`, `Name: ${c.metadata.name}`, `State: ${c.state}`, `Created: ${nsToRfc3339Nano(c.createdAt)}`,
      ...(c.state === 'CONTAINER_EXITED' ? [`Exit Code: ${c.exitCode}`] : [])].join('\n');
    return { json: { ...containerStatusJson(c), ...flattenInfo(v.info) }, text };
  }
  const img = await resolveImage(rt, ref);
  const v = (verbose ? await optionalCall(rt.imageStatusVerbose?.bind(rt, { image: img.id })) : undefined) ?? { image: img, info: {} };
  const i = v.image ?? img;
  const text = [`ID: ${i.id}`, ...i.repoTags.map((t) => `Tag: ${t}`), ...i.repoDigests.map((d) => `Digest: ${d}`), `Size: ${i.size}`].join('\n');
  return { json: { status: imageJson(i), ...flattenInfo(v.info) }, text };
}

function inspectCommand(kind: Kind): Command {
  return async (ctx, argv) => {
    const p = parseArgs(argv, FLAGS);
    if (p.positionals.length === 0) throw new UsageError(kind === 'image' ? 'image ID cannot be empty' : 'ID cannot be empty');
    const format = outputFormat(p, 'json');
    const results = [];
    for (const ref of p.positionals) results.push(await inspectOne(ctx, kind, ref, !p.has('quiet')));
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
export const inspectImageCommand = inspectCommand('image');
