import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCKER_ENDPOINT } from './defaults.js';
import { recordRuntimeEndpoint, recordedRuntimeEndpoint } from './node-runtime.js';

describe('the runtime endpoint `up` records for `down`', () => {
  it('reads back what was recorded, else Docker\'s endpoint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-node-runtime-'));
    try {
      expect(recordedRuntimeEndpoint(dir)).toBe(DOCKER_ENDPOINT);
      recordRuntimeEndpoint(dir, 'containerd:///run/containerd/containerd.sock');
      expect(recordedRuntimeEndpoint(dir)).toBe('containerd:///run/containerd/containerd.sock');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
