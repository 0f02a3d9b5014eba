import { describe, expect, it } from 'vitest';
import { planRotation, rotatedName } from './rotation-plan.js';

const LOG = '/var/lib/tk/logs/ns_p_uid/c/0.log';
const r = (stamp: string, suffix = '') => `${LOG}.${stamp}${suffix}`;

describe('rotation plan (kubelet container log manager)', () => {
  it('names a rotated file <log>.YYYYMMDD-HHMMSS in local time', () => {
    const now = new Date(2026, 0, 2, 3, 4, 5);
    expect(rotatedName(LOG, now)).toBe(`${LOG}.20260102-030405`);
  });

  it.each([
    { name: 'nothing rotated yet', files: [], maxFiles: 5, remove: [], compress: [] },
    { name: 'the one rotated file is compressed', files: [r('20260101-000001')], maxFiles: 5, remove: [], compress: [r('20260101-000001')] },
    {
      name: 'keeps maxFiles-2 rotated files, removing the oldest first',
      files: [r('20260101-000003', '.gz'), r('20260101-000001', '.gz'), r('20260101-000004'), r('20260101-000002', '.gz')],
      maxFiles: 5,
      remove: [r('20260101-000001', '.gz')],
      compress: [r('20260101-000004')],
    },
    {
      name: 'leftovers of a failed round: a .tmp, an uncompressed file whose .gz exists',
      files: [r('20260101-000001'), r('20260101-000001', '.gz'), r('20260101-000002', '.tmp'), r('20260101-000002')],
      maxFiles: 5,
      remove: [r('20260101-000001'), r('20260101-000002', '.tmp')],
      compress: [r('20260101-000002')],
    },
    { name: 'maxFiles 2 keeps no rotated file', files: [r('20260101-000001', '.gz'), r('20260101-000002')], maxFiles: 2,
      remove: [r('20260101-000001', '.gz'), r('20260101-000002')], compress: [] },
    { name: 'other files are not ours', files: [`${LOG}x.20260101-000001`, '/var/lib/tk/logs/ns_p_uid/c/1.log', `${LOG}`], maxFiles: 2, remove: [], compress: [] },
  ])('$name', ({ files, maxFiles, remove, compress }) => {
    expect(planRotation(LOG, files, maxFiles)).toEqual({ remove, compress });
  });
});
