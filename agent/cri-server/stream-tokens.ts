/**
 * The streaming server's request cache (upstream's requestCache): Exec/Attach/PortForward store
 * their request under a random, single-use token that expires after a minute; the URL handed to
 * the client carries the token, and the streaming server consumes it on the first connection.
 * At most MAX_IN_FLIGHT unexpired tokens exist at once.
 */
import { randomBytes } from 'node:crypto';

export type StreamRequest =
  | { kind: 'exec'; containerId: string; cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }
  | { kind: 'attach'; containerId: string; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }
  | { kind: 'portForward'; podSandboxId: string; ports: number[] };

/** Upstream's defaults: one minute, 1000 requests in flight. */
export const TOKEN_TTL_MS = 60_000;
export const MAX_IN_FLIGHT = 1000;

/** Too many unexpired tokens (gRPC RESOURCE_EXHAUSTED at the edge). */
export class TooManyInFlightError extends Error {
  constructor() {
    super('maximum number of in-flight requests exceeded');
    this.name = 'TooManyInFlightError';
  }
}

export interface StreamTokensOptions { ttlMs?: number; maxInFlight?: number; now?: () => number }

export class StreamTokens {
  readonly #entries = new Map<string, { request: StreamRequest; expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(opts: StreamTokensOptions = {}) {
    this.#ttlMs = opts.ttlMs ?? TOKEN_TTL_MS;
    this.#max = opts.maxInFlight ?? MAX_IN_FLIGHT;
    this.#now = opts.now ?? Date.now;
  }

  /** A fresh token (128 random bits, URL-safe) for `request`. */
  insert(request: StreamRequest): string {
    this.#evictExpired();
    if (this.#entries.size >= this.#max) throw new TooManyInFlightError();
    const token = randomBytes(16).toString('base64url');
    this.#entries.set(token, { request: structuredClone(request), expiresAt: this.#now() + this.#ttlMs });
    return token;
  }

  /** The request of an unexpired token, which is gone afterwards; undefined for an unknown, used or expired one. */
  consume(token: string): StreamRequest | undefined {
    const e = this.#entries.get(token);
    if (!e) return undefined;
    this.#entries.delete(token);
    return e.expiresAt > this.#now() ? e.request : undefined;
  }

  get size(): number { this.#evictExpired(); return this.#entries.size; }

  // Entries are in insertion order and share one TTL, so the expired ones are at the front.
  #evictExpired(): void {
    const now = this.#now();
    for (const [token, e] of this.#entries) {
      if (e.expiresAt > now) break;
      this.#entries.delete(token);
    }
  }
}
