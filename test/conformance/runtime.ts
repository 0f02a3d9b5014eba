/**
 * describeRuntimeConformance: the one suite every CRI runtime backend must pass, as containerd
 * documents the contract (the FakeRuntime in the unit project, DockerRuntime in integration; the
 * containerd backend and the CRI socket run it next). Call it from a test file with a factory that
 * builds the backend; the suite labels everything it creates `test-run=<id>`, removes its
 * sandboxes at the end, then calls the target's cleanup().
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { containerCases } from './runtime-container-cases.js';
import { imageCases } from './runtime-image-cases.js';
import { newRuntimeRun, type RuntimeTarget } from './runtime-cases.js';
import { sandboxCases } from './runtime-sandbox-cases.js';
import { securityCases } from './runtime-security-cases.js';
import { streamCases } from './runtime-stream-cases.js';

export type { RuntimeTarget };

export function describeRuntimeConformance(name: string, factory: () => Promise<RuntimeTarget>): void {
  describe(`Runtime conformance: ${name}`, () => {
    let current: RuntimeTarget | undefined;
    const run = newRuntimeRun(() => {
      if (!current) throw new Error('runtime not built');
      return current;
    });
    beforeAll(async () => { current = await factory(); }, 60_000);
    afterAll(async () => {
      if (!current) return;
      try {
        for (const sb of await current.runtime.listPodSandbox({ labelSelector: run.selector() })) {
          await current.runtime.removePodSandbox(sb.id);
        }
      } finally {
        await current.cleanup();
      }
    }, 60_000);
    describe('sandboxes', () => sandboxCases(run));
    describe('containers', () => containerCases(run));
    describe('exec, logs and events', () => streamCases(run));
    describe('images', () => imageCases(run));
    describe('security context', () => securityCases(run));
  });
}
