/**
 * Stopping and removing: `stop [-t S] ID…`, `rm [-f] [-a] ID…` (a running container needs -f),
 * `stopp ID…`, `rmp [-f] [-a] ID…` (a ready sandbox needs -f). IDs are prefixes; the runtime's
 * stop/remove are idempotent. stopp/rmp leave the pod network to the agent (see runtime-target.ts).
 */
import { intFlag, parseArgs } from '../args.js';
import { UsageError } from '../../flags.js';
import type { FlagSpec } from '../args.js';
import type { Command } from '../context.js';
import { CriError, isNotFound } from '../../../cri/errors.js';
import { resolveContainer, resolveSandbox } from '../resolve.js';

/** Full IDs of objects already gone pass through: the runtime's stop/remove are idempotent. */
const PASS = { passFullId: true };

/** NotFound → undefined (removed meanwhile: removal is then a no-op); anything else is rethrown. */
function gone(e: unknown): undefined {
  if (isNotFound(e)) return undefined;
  throw e;
}

export const stopCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, { timeout: { kind: 'value', short: 't' } });
  if (p.positionals.length === 0) throw new UsageError('ID cannot be empty');
  const timeout = intFlag(p, 'timeout', 0);
  for (const prefix of p.positionals) {
    await ctx.runtime.stopContainer(await resolveContainer(ctx.runtime, prefix, PASS), timeout);
    ctx.io.out.write(`${prefix}\n`);
  }
  return 0;
};

const RM_FLAGS: FlagSpec = { force: { kind: 'bool', short: 'f' }, all: { kind: 'bool', short: 'a' } };

export const rmCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, RM_FLAGS);
  const rt = ctx.runtime;
  const ids = p.has('all') ? (await rt.listContainers()).map((c) => c.id) : p.positionals;
  if (ids.length === 0 && !p.has('all')) throw new UsageError('ID cannot be empty');
  for (const prefix of ids) {
    const id = await resolveContainer(rt, prefix, PASS);
    const st = await rt.containerStatus(id).catch(gone);
    if (st?.state === 'CONTAINER_RUNNING') {
      if (!p.has('force')) throw new CriError('InvalidArgument', `container "${prefix}" is running, please stop it first`);
      await rt.stopContainer(id, 0);
    }
    await rt.removeContainer(id);
    ctx.io.out.write(`${prefix}\n`);
  }
  return 0;
};

export const stoppCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, {});
  if (p.positionals.length === 0) throw new UsageError('ID cannot be empty');
  for (const prefix of p.positionals) {
    await ctx.runtime.stopPodSandbox(await resolveSandbox(ctx.runtime, prefix, PASS));
    ctx.io.out.write(`Stopped sandbox ${prefix}\n`);
  }
  return 0;
};

export const rmpCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, RM_FLAGS);
  const rt = ctx.runtime;
  const ids = p.has('all') ? (await rt.listPodSandbox()).map((s) => s.id) : p.positionals;
  if (ids.length === 0 && !p.has('all')) throw new UsageError('ID cannot be empty');
  for (const prefix of ids) {
    const id = await resolveSandbox(rt, prefix, PASS);
    const st = await rt.podSandboxStatus(id).catch(gone);
    if (st?.state === 'SANDBOX_READY') {
      if (!p.has('force')) throw new CriError('InvalidArgument', `pod sandbox "${prefix}" is running, please use -f to force removal`);
      await rt.stopPodSandbox(id);
    }
    await rt.removePodSandbox(id);
    ctx.io.out.write(`Removed sandbox ${prefix}\n`);
  }
  return 0;
};
