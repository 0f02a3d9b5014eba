/**
 * describeStoreConformance: the one suite every Store backend must pass (memory and sqlite in the
 * unit project, etcd in integration). Call it from a test file with a factory that opens a fresh,
 * empty store; the suite closes it after each test.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { ConformanceStore, StoreRef } from './store-cases.js';
import { crudCases } from './store-crud-cases.js';
import { listCases } from './store-list-cases.js';
import { watchCases } from './store-watch-cases.js';
import { compactionCases } from './store-compaction-cases.js';

export type { ConformanceStore };

export function describeStoreConformance(name: string, factory: () => Promise<ConformanceStore>): void {
  describe(`Store conformance: ${name}`, () => {
    let current: ConformanceStore | undefined;
    const ref: StoreRef = () => {
      if (!current) throw new Error('store not open');
      return current;
    };
    beforeEach(async () => { current = await factory(); });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });
    describe('get/create/update/delete', () => crudCases(ref));
    describe('list', () => listCases(ref));
    describe('watch', () => watchCases(ref));
    describe('compaction', () => compactionCases(ref));
  });
}
