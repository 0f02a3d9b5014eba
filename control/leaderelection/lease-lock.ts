/**
 * Where the election record lives: a coordination.k8s.io/v1 Lease read and written through the API
 * (ApiLeaseLock), or in memory (FakeLeaseLock, for unit tests). Writes are compare-and-swap on the
 * resourceVersion last read; a lost race is a LeaseConflictError, never a silent overwrite.
 */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { findResource } from '../api/resources.js';
import type { ResourceInfo } from '../api/resources.js';
import { ApiError } from '../api/status.js';
import type { RestClient } from '../client/rest-client.js';

/** The election record, as Lease.spec keeps it. holderIdentity '' means "free". */
export interface LeaderRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime?: Date;
  renewTime?: Date;
  leaseTransitions: number;
}

export interface ObservedRecord { record: LeaderRecord; resourceVersion: string }

export interface LeaseLock {
  /** "namespace/name", for logs. */
  readonly description: string;
  /** The current record; undefined when the Lease does not exist. */
  get(): Promise<ObservedRecord | undefined>;
  /** Creates the Lease; LeaseConflictError when it already exists. */
  create(record: LeaderRecord): Promise<ObservedRecord>;
  /** Replaces the record if the Lease is still at `resourceVersion`; LeaseConflictError otherwise. */
  update(record: LeaderRecord, resourceVersion: string): Promise<ObservedRecord>;
}

export class LeaseConflictError extends Error {
  readonly code = 'LeaseConflict';
  constructor(message: string, opts?: ErrorOptions) { super(message, opts); this.name = 'LeaseConflictError'; }
}

/** metav1.MicroTime: RFC3339 with microseconds (JS keeps milliseconds; the rest is zeros). */
export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function parseTime(s: string | undefined): Date | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t);
}

export function recordFromLease(lease: Lease): LeaderRecord {
  const s = lease.spec ?? {};
  const acquireTime = parseTime(s.acquireTime);
  const renewTime = parseTime(s.renewTime);
  return {
    holderIdentity: s.holderIdentity ?? '', leaseDurationSeconds: s.leaseDurationSeconds ?? 0, leaseTransitions: s.leaseTransitions ?? 0,
    ...(acquireTime ? { acquireTime } : {}), ...(renewTime ? { renewTime } : {}),
  };
}

export function leaseSpec(r: LeaderRecord): NonNullable<Lease['spec']> {
  return {
    holderIdentity: r.holderIdentity, leaseDurationSeconds: r.leaseDurationSeconds, leaseTransitions: r.leaseTransitions,
    ...(r.acquireTime ? { acquireTime: microTime(r.acquireTime) } : {}),
    ...(r.renewTime ? { renewTime: microTime(r.renewTime) } : {}),
  };
}

const LEASES: ResourceInfo = findResource('coordination.k8s.io', 'v1', 'leases')!;

/** A Lease in the API, through a RestClient (the control plane's loopback client). */
export class ApiLeaseLock implements LeaseLock {
  constructor(private readonly client: RestClient, private readonly namespace: string, private readonly name: string) {}

  get description(): string { return `${this.namespace}/${this.name}`; }

  async get(): Promise<ObservedRecord | undefined> {
    try {
      return observed(await this.client.get<Lease & { [k: string]: unknown }>(LEASES, this.namespace, this.name));
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return undefined;
      throw err;
    }
  }

  async create(record: LeaderRecord): Promise<ObservedRecord> {
    const obj = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { namespace: this.namespace, name: this.name }, spec: leaseSpec(record) };
    return observed(await conflictAware(this.client.create<Lease & { [k: string]: unknown }>(LEASES, this.namespace, obj)));
  }

  async update(record: LeaderRecord, resourceVersion: string): Promise<ObservedRecord> {
    const obj = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { namespace: this.namespace, name: this.name, resourceVersion }, spec: leaseSpec(record) };
    return observed(await conflictAware(this.client.update<Lease & { [k: string]: unknown }>(LEASES, obj)));
  }
}

function observed(lease: Lease): ObservedRecord {
  return { record: recordFromLease(lease), resourceVersion: lease.metadata?.resourceVersion ?? '' };
}

async function conflictAware<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof ApiError && err.code === 409) throw new LeaseConflictError(err.message, { cause: err });
    throw err;
  }
}

/** In memory, same contract (resourceVersion bumps on every write). `fail` makes every call reject. */
export class FakeLeaseLock implements LeaseLock {
  readonly description = 'fake/lease';
  current: ObservedRecord | undefined;
  fail = false;
  private rv = 0;

  get(): Promise<ObservedRecord | undefined> {
    if (this.fail) return Promise.reject(new Error('fake lock: unavailable'));
    return Promise.resolve(this.current && { record: { ...this.current.record }, resourceVersion: this.current.resourceVersion });
  }

  create(record: LeaderRecord): Promise<ObservedRecord> {
    if (this.fail) return Promise.reject(new Error('fake lock: unavailable'));
    if (this.current) return Promise.reject(new LeaseConflictError('already exists'));
    return Promise.resolve(this.write(record));
  }

  update(record: LeaderRecord, resourceVersion: string): Promise<ObservedRecord> {
    if (this.fail) return Promise.reject(new Error('fake lock: unavailable'));
    if (this.current?.resourceVersion !== resourceVersion) return Promise.reject(new LeaseConflictError('modified'));
    return Promise.resolve(this.write(record));
  }

  private write(record: LeaderRecord): ObservedRecord {
    this.current = { record: { ...record }, resourceVersion: String(++this.rv) };
    return { record: { ...record }, resourceVersion: this.current.resourceVersion };
  }
}
