import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../util/clock.js';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS, observePods } from './expectations.js';

describe('ControllerExpectations', () => {
  it('waits for creations and for the named deletions, or the timeout', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations({ clock });
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);

    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/other');
    e.deletionObserved('ns/rs', 'ns/a');
    expect(e.satisfied('ns/rs')).toBe(false);
    clock.advance(EXPECTATIONS_TIMEOUT_MS + 1);
    expect(e.satisfied('ns/rs')).toBe(true);
    e.delete('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('adds creations and deletions expected in one sync; an expired record starts afresh', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations({ clock });
    e.expectCreations('ns/ds', 1);
    e.expectDeletions('ns/ds', ['ns/old']);
    e.creationObserved('ns/ds');
    expect(e.satisfied('ns/ds')).toBe(false);
    e.deletionObserved('ns/ds', 'ns/old');
    e.deletionObserved('ns/ds', 'ns/old');
    expect(e.satisfied('ns/ds')).toBe(true);

    e.expectCreations('ns/ds', 3);
    clock.advance(EXPECTATIONS_TIMEOUT_MS + 1);
    e.expectCreations('ns/ds', 1);
    expect(e.satisfied('ns/ds')).toBe(false);
    e.creationObserved('ns/ds');
    expect(e.satisfied('ns/ds')).toBe(true);
  });

  it('observePods: creations on add, deletions when a pod starts terminating or goes', () => {
    const e = new ControllerExpectations();
    const h = observePods(e, () => ['ns/rs']);
    const pod = (name: string, deleting = false) => ({ metadata: { namespace: 'ns', name, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) } });
    e.expectCreations('ns/rs', 1);
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b', 'ns/c']);
    h.add?.(pod('new'));
    h.update?.(pod('a'), pod('a', true));
    h.delete?.(pod('b'));
    expect(e.satisfied('ns/rs')).toBe(false);
    h.add?.(pod('c', true));
    expect(e.satisfied('ns/rs')).toBe(true);
  });
});
