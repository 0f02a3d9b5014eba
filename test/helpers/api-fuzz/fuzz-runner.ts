/**
 * Runs fuzz cases one at a time against a live API server and checks each answer: never a 5xx,
 * every refusal a well-formed 4xx Status, and a refused write leaves the store as it was (the
 * target object, or the name a create asked for, read before and after). Controllers write too,
 * so a difference is only a failure when sending the same request again reproduces it.
 */
import type { FuzzRequest, Op } from './cases.js';
import { buildCase, needsTarget, opsOf } from './cases.js';
import type { FuzzClient } from './fuzz-client.js';
import type { FuzzKind, Plain } from './kinds.js';
import { FUZZ_KINDS, FUZZ_NAMESPACE, LIMITS_NAMESPACE, collectionPath } from './kinds.js';
import { Rng } from './rng.js';
import { answerProblem, canonical } from './status-shape.js';

export interface FuzzReport {
  cases: number;
  byStatus: Record<string, number>;
  byOp: Record<string, Record<string, number>>;
  failures: string[];
  /** Refused writes whose target changed once but not when sent again (a controller's write in between). */
  controllerNoise: number;
}

export interface FuzzRunnerOptions {
  client: FuzzClient;
  seed: number;
  /** False once the server process has exited. */
  alive(): boolean;
}

const encodable = (n: string): boolean => { try { encodeURIComponent(n); return true; } catch { return false; } }; // a lone surrogate has no URL form
const usableName = (n: string | undefined): n is string => !!n && n.length <= 253 && n !== '.' && n !== '..' && encodable(n);
const show = (b: Buffer | undefined): string => (b === undefined ? '(none)' : `${b.length} bytes: ${JSON.stringify(b.subarray(0, 1500).toString('utf8'))}${b.length > 1500 ? ' …' : ''}`);

/**
 * How a reading differs from the one before: undefined when equal, 'controller' when only the
 * status and resourceVersion moved under a write that was not to the status subresource (the
 * status is the controllers' to write), else the differing fields.
 */
function changedFields(before: string, after: string, path: string): string | undefined {
  if (before === after) return undefined;
  let b: Record<string, unknown>;
  let a: Record<string, unknown>;
  try { b = JSON.parse(before) as Record<string, unknown>; a = JSON.parse(after) as Record<string, unknown>; } catch { return `${before.slice(0, 80)} -> ${after.slice(0, 80)}`; }
  if (!b || !a || typeof b !== 'object' || typeof a !== 'object') return `${before.slice(0, 80)} -> ${after.slice(0, 80)}`;
  const fields = (o: Record<string, unknown>) => ({ ...o, metadata: undefined, ...Object.fromEntries(Object.entries((o['metadata'] ?? {}) as Record<string, unknown>).map(([k, v]) => [`metadata.${k}`, v])) });
  const fb = fields(b);
  const fa = fields(a);
  const keys = [...new Set([...Object.keys(fb), ...Object.keys(fa)])].filter((k) => canonical(fb[k as keyof typeof fb]) !== canonical(fa[k as keyof typeof fa]));
  const statusWrite = /\/status(\?|$)/.test(path);
  return !statusWrite && keys.every((k) => k === 'status' || k === 'metadata.resourceVersion') ? 'controller' : keys.join(', ');
}

export class FuzzRunner {
  readonly report: FuzzReport = { cases: 0, byStatus: {}, byOp: {}, failures: [], controllerNoise: 0 };
  private readonly targets = new Map<string, string>();
  private serial = 0;

  constructor(private readonly opts: FuzzRunnerOptions) {}

  /** The namespaces and one valid object of each stored kind to update and patch. */
  async setup(): Promise<void> {
    for (const ns of [FUZZ_NAMESPACE, LIMITS_NAMESPACE]) {
      const a = await this.opts.client.send('POST', '/api/v1/namespaces', Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })), 'application/json');
      if (a.status !== 201) throw new Error(`create namespace ${ns}: ${a.status} ${a.text}`);
    }
    for (const k of FUZZ_KINDS) if (!k.createOnly) await this.target(k);
  }

  /** The kind's target object as it is now, created anew when it is gone. */
  private async target(k: FuzzKind): Promise<Plain> {
    const have = this.targets.get(k.resource);
    const got = have ? await this.opts.client.getJson(`${collectionPath(k)}/${have}`) : undefined;
    if (got?.object) return got.object;
    const name = `tk-fuzz-${k.resource}-${this.serial++}`;
    const a = await this.opts.client.send('POST', collectionPath(k), Buffer.from(JSON.stringify(k.valid(name))), 'application/json');
    if (a.status !== 201) throw new Error(`create the ${k.resource} target: ${a.status} ${a.text}`);
    this.targets.set(k.resource, name);
    return JSON.parse(a.text) as Plain;
  }

  /** The random case `n` of this seed. */
  async runCase(n: number): Promise<void> {
    const rng = Rng.forCase(this.opts.seed, n);
    const kind = rng.pick(FUZZ_KINDS);
    const op: Op = rng.weighted(opsOf(kind));
    const current = needsTarget(op) ? await this.target(kind) : undefined;
    const req = buildCase({ rng, kind, op, name: `fz-${n}-${kind.resource.slice(0, 20)}`, current });
    // the target as just read is the state a refused write must leave
    await this.check(`case ${n}`, req, op, undefined, current && req.effect.type === 'write' ? canonical(current) : undefined);
    if ((op === 'binding' || op === 'eviction') && this.lastStatus < 300) this.targets.delete(kind.resource);
  }

  private lastStatus = 0;

  /** Send one request, check the answer and, when it is refused, that the store did not change. */
  async check(id: string, req: FuzzRequest, group: string, expect?: number, known?: string): Promise<void> {
    const r = this.report;
    r.cases++;
    const before = known ?? await this.snapshot(req);
    const started = Date.now();
    const a = await this.opts.client.send(req.method, req.path, req.body, req.contentType);
    this.noteSlow(Date.now() - started, `${id} ${req.label} ${req.method} ${req.path.slice(0, 100)} (${req.body?.length ?? 0} bytes) -> ${a.status}`);
    this.lastStatus = a.status;
    r.byStatus[a.status] = (r.byStatus[a.status] ?? 0) + 1;
    const ops = (r.byOp[group] ??= {});
    const cls = `${Math.floor(a.status / 100)}xx`;
    ops[cls] = (ops[cls] ?? 0) + 1;
    const problems: string[] = [];
    const shape = answerProblem(a.status, a.text);
    if (shape) problems.push(shape);
    if (expect !== undefined && a.status !== expect) problems.push(`expected ${expect}, got ${a.status}: ${a.text.slice(0, 300)}`);
    if (a.status >= 300 && a.status < 500) {
      const diff = changedFields(before, await this.snapshot(req), req.path);
      if (diff === 'controller') r.controllerNoise++;
      else if (diff) {
        // a controller's write in between, or ours: the same request again on a fresh reading tells
        const again = await this.snapshot(req);
        const b = await this.opts.client.send(req.method, req.path, req.body, req.contentType);
        const diff2 = changedFields(again, await this.snapshot(req), req.path);
        if (b.status >= 300 && diff2 && diff2 !== 'controller') {
          problems.push(`refused (${a.status}, then ${b.status}) but the store changed (${diff2}): ${req.effect.type === 'write' ? req.effect.objectPath : JSON.stringify(req.effect)}`);
        } else r.controllerNoise++;
      }
    }
    if (!this.opts.alive()) problems.push('the server process exited');
    if (problems.length > 0) {
      r.failures.push([`${id} (seed ${this.opts.seed}) ${req.label}: ${problems.join('; ')}`,
        `  request: ${req.method} ${req.path.slice(0, 300)}  Content-Type: ${JSON.stringify(req.contentType)}`,
        `  body: ${show(req.body)}`, `  answer: ${a.status} ${a.text.slice(0, 500)}`].join('\n'));
    }
  }

  /** The slowest requests of the run, slowest first. */
  readonly slowest: Array<{ ms: number; what: string }> = [];

  private noteSlow(ms: number, what: string): void {
    this.slowest.push({ ms, what });
    this.slowest.sort((x, y) => y.ms - x.ms);
    this.slowest.length = Math.min(this.slowest.length, 5);
  }

  /** What a refused request must leave alone, as text to compare. */
  private async snapshot(req: FuzzRequest): Promise<string> {
    const e = req.effect;
    if (e.type === 'none') return '';
    if (e.type === 'write') return this.read(e.objectPath);
    if (usableName(e.name)) return this.read(`${e.collection}/${encodeURIComponent(e.name)}`);
    // no name to look up: the objects in the collection nobody owns (controllers create only owned ones here)
    const list = await this.opts.client.getJson(e.collection);
    const items = (list.object?.['items'] ?? []) as Array<{ metadata?: { name?: string; ownerReferences?: unknown[] } }>;
    return items.filter((i) => !i.metadata?.ownerReferences?.length).map((i) => i.metadata?.name).sort().join(',');
  }

  private async read(path: string): Promise<string> {
    const g = await this.opts.client.getJson(path);
    return g.object ? canonical(g.object) : `status ${g.status}`;
  }
}
