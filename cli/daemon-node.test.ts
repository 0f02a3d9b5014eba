import { describe, expect, it } from 'vitest';
import { AGENT_NODE_FLAGS, DAEMON_NODE_FLAGS, daemonEnv } from './daemon-node.js';

describe('daemonEnv', () => {
  it('caps malloc arenas unless set and drops the extra CA bundle, leaving the rest', () => {
    expect(daemonEnv({ PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' })).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '2' });
    expect(daemonEnv({ MALLOC_ARENA_MAX: '4' })).toEqual({ MALLOC_ARENA_MAX: '4' });
  });
  it('gives agents the daemon flags plus --optimize-for-size', () => {
    expect(AGENT_NODE_FLAGS).toEqual([...DAEMON_NODE_FLAGS, '--optimize-for-size']);
  });
});
