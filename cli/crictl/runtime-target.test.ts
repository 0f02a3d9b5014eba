import { describe, expect, it } from 'vitest';
import { CriError } from '../../cri/errors.js';
import { UsageError } from '../flags.js';
import { openRuntime } from './runtime-target.js';

describe('crictl runtime endpoint', () => {
  it('rejects garbage as usage and containerd as not supported yet', () => {
    expect(() => openRuntime({ endpoint: 'tcp://x' })).toThrow(UsageError);
    expect(() => openRuntime({ endpoint: 'containerd:///run/containerd/containerd.sock' })).toThrow(CriError);
    expect(() => openRuntime({ endpoint: 'containerd:///run/containerd/containerd.sock' })).toThrow(/not supported yet/);
  });
});
