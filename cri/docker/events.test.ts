import { describe, expect, it } from 'vitest';
import { toRuntimeEvent } from './events.js';
import { ALL_SCOPES } from './labels.js';

describe('toRuntimeEvent', () => {
  const attrs = { 'io.tinykube.runtime-scope': 's', 'io.kubernetes.docker.type': 'container', 'io.kubernetes.sandbox.id': 'sb', 'io.kubernetes.pod.uid': 'u' };
  it('maps our container events', () => {
    expect(toRuntimeEvent({ Type: 'container', Action: 'die', Actor: { ID: 'c', Attributes: attrs } }, 's'))
      .toEqual({ containerId: 'c', type: 'stopped', podSandboxId: 'sb', podUid: 'u' });
    expect(toRuntimeEvent({ Type: 'container', Action: 'start', Actor: { ID: 'p', Attributes: { ...attrs, 'io.kubernetes.docker.type': 'podsandbox' } } }, 's'))
      .toMatchObject({ containerId: 'p', podSandboxId: 'p', type: 'started' });
  });
  it('ignores other scopes, actions and objects', () => {
    expect(toRuntimeEvent({ Type: 'container', Action: 'die', Actor: { ID: 'c', Attributes: attrs } }, 'other')).toBeUndefined();
    expect(toRuntimeEvent({ Type: 'container', Action: 'exec_start', Actor: { ID: 'c', Attributes: attrs } }, 's')).toBeUndefined();
    expect(toRuntimeEvent({ Type: 'network', Action: 'connect' }, 's')).toBeUndefined();
  });
  it('ALL_SCOPES sees every scope, but only scoped (tinykube) objects', () => {
    expect(toRuntimeEvent({ Type: 'container', Action: 'die', Actor: { ID: 'c', Attributes: attrs } }, ALL_SCOPES)).toMatchObject({ containerId: 'c' });
    const { 'io.tinykube.runtime-scope': _s, ...unscoped } = attrs;
    expect(toRuntimeEvent({ Type: 'container', Action: 'die', Actor: { ID: 'c', Attributes: unscoped } }, ALL_SCOPES)).toBeUndefined();
  });
});
