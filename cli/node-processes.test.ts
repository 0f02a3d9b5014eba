import { describe, expect, it } from 'vitest';
import { roleOf } from './node-processes.js';

const NODE = '/usr/bin/node';
const MAIN = '/work/main/dist/cli/main.js';

describe('roleOf: which data dir a command line serves', () => {
  it.each([
    ['the control plane up starts', [NODE, '--max-semi-space-size=1', MAIN, 'server', '--data-dir', '/d', '--listen', '0.0.0.0:6443'], '/d', 'server'],
    ['the agent up starts', [NODE, MAIN, 'agent', '--kubeconfig', '/d/admin.kubeconfig', '--data-dir', '/d'], '/d', 'agent'],
    ['--data-dir=D spelling', [NODE, MAIN, 'agent', '--data-dir=/d'], '/d', 'agent'],
    ['a join in the foreground runs the agent', [NODE, MAIN, 'join', 'https://h:6443', '--foreground', '--data-dir', '/d'], '/d', 'agent'],
    ['a join that only bootstraps is not an agent', [NODE, MAIN, 'join', 'https://h:6443', '--data-dir', '/d'], '/d', undefined],
    ['the default data dir', [NODE, MAIN, 'server'], '/var/lib/tinykube', 'server'],
    ['another data dir', [NODE, MAIN, 'server', '--data-dir', '/d2'], '/d', undefined],
    ['a data dir that only starts the same', [NODE, MAIN, 'server', '--data-dir', '/dd'], '/d', undefined],
    ['a relative data dir, from the process\'s cwd', [NODE, MAIN, 'agent', '--data-dir', 'x'], '/srv/x', 'agent'],
    ['the same path spelt differently', [NODE, MAIN, 'agent', '--data-dir', '/srv//x/'], '/srv/x', 'agent'],
    ['the launcher script', ['/usr/bin/node', '/usr/local/bin/tinykube', 'server', '--data-dir', '/d'], '/d', 'server'],
    ['other verbs', [NODE, MAIN, 'up', '--data-dir', '/d'], '/d', undefined],
    ['an unrelated process naming the dir', ['sleep', '--data-dir', '/d', 'server'], '/d', undefined],
    ['a main.js that is not the CLI', [NODE, '/srv/app/main.js', 'server', '--data-dir', '/d'], '/d', undefined],
  ])('%s', (_what, argv, dataDir, role) => {
    expect(roleOf(argv, '/srv', dataDir)).toBe(role);
  });
});
