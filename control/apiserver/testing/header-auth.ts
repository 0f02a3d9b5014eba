/**
 * An authenticator for unit tests that names the user in a header: `x-node: n1` is
 * system:node:n1, `x-user: name|group1,group2` anyone else, and no header the admin (system:masters).
 */
import type { Authenticator } from '../auth.js';

export const headerAuth: Authenticator = {
  async authenticate(req) {
    const node = req.headers['x-node'];
    if (typeof node === 'string') return { name: `system:node:${node}`, groups: ['system:nodes', 'system:authenticated'] };
    const h = req.headers['x-user'];
    if (typeof h !== 'string') return { name: 'admin', groups: ['system:masters', 'system:authenticated'] };
    const [name = '', groups = ''] = h.split('|');
    return { name, groups: groups.split(',').filter(Boolean) };
  },
};
