import { describe, expect, it } from 'vitest';
import { parseCtrImportOutput } from './image-import.js';

describe('parseCtrImportOutput', () => {
  it('reads the refs ctr images import unpacked', () => {
    const out = 'unpacking docker.io/tinykube/busybox:1 (sha256:2c04e027d5d829041474b27f128e8139e6bca90a8b38a5a04b6bd638aa4ce7d2)...done\n'
      + 'unpacking docker.io/tinykube/web:1 (sha256:0123456789abcdef)...done\n';
    expect(parseCtrImportOutput(out)).toEqual(['docker.io/tinykube/busybox:1', 'docker.io/tinykube/web:1']);
  });

  it('ignores anything else and is empty when nothing was named', () => {
    expect(parseCtrImportOutput('')).toEqual([]);
    expect(parseCtrImportOutput('some warning\nunpacking \n')).toEqual([]);
  });
});
