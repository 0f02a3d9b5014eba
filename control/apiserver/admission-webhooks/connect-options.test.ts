import { describe, expect, it } from 'vitest';
import { connectOptions } from './connect-options.js';

describe('connectOptions', () => {
  it('reads exec, attach and portforward queries as upstream options kinds', () => {
    expect(connectOptions('exec', new URLSearchParams('command=sh&command=-c&stdin=true&stdout=1&tty=false&container=c1'))).toEqual({
      apiVersion: 'v1', kind: 'PodExecOptions', stdin: true, stdout: true, tty: false, container: 'c1', command: ['sh', '-c'],
    });
    expect(connectOptions('attach', new URLSearchParams('stdin=true&container=container1'))).toEqual({ apiVersion: 'v1', kind: 'PodAttachOptions', stdin: true, container: 'container1' });
    expect(connectOptions('portforward', new URLSearchParams('ports=80,443&ports=x'))).toEqual({ apiVersion: 'v1', kind: 'PodPortForwardOptions', ports: [80, 443] });
  });
});
