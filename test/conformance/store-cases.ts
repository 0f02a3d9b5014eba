/** Shared types and helpers of the store conformance cases. */
import { expect } from 'vitest';
import { isStoreError } from '../../control/store/types.js';
import type { KeyValue, Store, StoreErrorCode, WatchEvent } from '../../control/store/types.js';

/** A store under test; backends that can drop history on demand expose compact() for the compaction cases. */
export type ConformanceStore = Store & { compact?(rev: number): Promise<void> };
export type StoreRef = () => ConformanceStore;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const enc = (s: string): Uint8Array => encoder.encode(s);
export const dec = (v: Uint8Array): string => decoder.decode(v);

/** Asserts the promise rejects with a StoreError of `code`, and returns it. */
export async function expectStoreError(p: Promise<unknown>, code: StoreErrorCode): Promise<{ current?: KeyValue }> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected StoreError ${code}`).toBeDefined();
  if (!isStoreError(caught, code)) throw new Error(`expected StoreError ${code}, got ${String(caught)}`, { cause: caught });
  return caught;
}

/** A compact, comparable view of an event. */
export function summary(ev: WatchEvent): string {
  const prev = ev.prev ? ` prev=${dec(ev.prev.value)}@${ev.prev.modRevision}` : '';
  return `${ev.type} ${ev.kv.key}=${dec(ev.kv.value)}@${ev.kv.modRevision}/${ev.kv.createRevision}${prev}`;
}

/** Asserts revisions are consecutive starting at `first`. */
export function expectConsecutive(events: readonly WatchEvent[], first: number): void {
  const revs = events.map((e) => e.kv.modRevision);
  expect(revs).toEqual(Array.from({ length: events.length }, (_, i) => first + i));
}
