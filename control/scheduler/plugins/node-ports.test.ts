import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { cycleState, makeNode, makePod, nodeInfo } from '../testing/fixtures.js';
import { ERR_REASON_PORTS, nodePortsPlugin } from './node-ports.js';

const withPort = (name: string, port: number, hostIP?: string, protocol?: string): Pod =>
  makePod(name, { containers: [{ name: 'c', ports: [{ containerPort: port, hostPort: port, ...(hostIP ? { hostIP } : {}), ...(protocol ? { protocol } : {}) }] }] });

describe('NodePorts', () => {
  it.each<[string, Pod, Pod[], boolean]>([
    ['no host ports', makePod('p'), [withPort('a', 80)], true],
    ['free port', withPort('p', 81), [withPort('a', 80)], true],
    ['same port, same protocol', withPort('p', 80), [withPort('a', 80)], false],
    ['same port, other protocol', withPort('p', 80, undefined, 'UDP'), [withPort('a', 80)], true],
    ['same port, different specific IPs', withPort('p', 80, '10.0.0.1'), [withPort('a', 80, '10.0.0.2')], true],
    ['specific IP vs wildcard', withPort('p', 80, '10.0.0.1'), [withPort('a', 80)], false],
    ['wildcard vs specific IP', withPort('p', 80), [withPort('a', 80, '10.0.0.2')], false],
  ])('%s', (_n, pod, existing, fits) => {
    const st = nodePortsPlugin.filter(cycleState(pod), pod, nodeInfo(makeNode('n'), existing));
    expect(st === undefined).toBe(fits);
    if (st) expect(st).toMatchObject({ code: 'Unschedulable', reasons: [ERR_REASON_PORTS] });
  });

  it('frees the port when the pod leaves', () => {
    const ni = nodeInfo(makeNode('n'), [withPort('a', 80)]);
    ni.removePod('default/a');
    const pod = withPort('p', 80);
    expect(nodePortsPlugin.filter(cycleState(pod), pod, ni)).toBeUndefined();
  });
});
