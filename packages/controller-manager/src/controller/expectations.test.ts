import { FakeClock } from '@k8ts/client';
import { describe, expect, it } from 'vitest';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS, UIDTrackingControllerExpectations } from './expectations.ts';

describe('ControllerExpectations', () => {
  it('holds a sync back until every expected creation and deletion is observed', () => {
    const exp = new ControllerExpectations(new FakeClock(1000));
    expect(exp.satisfiedExpectations('ns/rs')).toBe(true); // never recorded
    exp.expectCreations('ns/rs', 2);
    expect(exp.satisfiedExpectations('ns/rs')).toBe(false);
    exp.creationObserved('ns/rs');
    expect(exp.satisfiedExpectations('ns/rs')).toBe(false);
    exp.creationObserved('ns/rs');
    expect(exp.satisfiedExpectations('ns/rs')).toBe(true);
    expect(exp.getExpectations('ns/rs')).toMatchObject({ add: 0, del: 0 });

    exp.expectDeletions('ns/rs', 1);
    expect(exp.satisfiedExpectations('ns/rs')).toBe(false);
    exp.raiseExpectations('ns/rs', 1, 0);
    exp.lowerExpectations('ns/rs', 1, 1);
    expect(exp.satisfiedExpectations('ns/rs')).toBe(true);
  });

  it('stops blocking once the expectations are older than five minutes', async () => {
    const clock = new FakeClock(1000);
    const exp = new ControllerExpectations(clock);
    exp.expectCreations('ns/rs', 3);
    await clock.advance(EXPECTATIONS_TIMEOUT_MS);
    expect(exp.satisfiedExpectations('ns/rs')).toBe(false);
    await clock.advance(1);
    expect(exp.satisfiedExpectations('ns/rs')).toBe(true);
    // setting them again restarts the timeout
    exp.expectCreations('ns/rs', 1);
    expect(exp.satisfiedExpectations('ns/rs')).toBe(false);
  });

  it('forgets a deleted owner, and ignores observations for owners without expectations', () => {
    const exp = new ControllerExpectations(new FakeClock(0));
    exp.expectCreations('ns/rs', 1);
    exp.deleteExpectations('ns/rs');
    expect(exp.getExpectations('ns/rs')).toBeUndefined();
    exp.creationObserved('ns/other');
    expect(exp.getExpectations('ns/other')).toBeUndefined();
    expect(exp.satisfiedExpectations('ns/rs')).toBe(true);
  });
});

describe('UIDTrackingControllerExpectations', () => {
  it('counts each expected pod deletion once, and no other pod', () => {
    const exp = new UIDTrackingControllerExpectations(new FakeClock(0));
    exp.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    expect([...exp.getUIDs('ns/rs')!]).toEqual(['ns/a', 'ns/b']);
    exp.deletionObserved('ns/rs', 'ns/a');
    exp.deletionObserved('ns/rs', 'ns/a'); // the same pod reported twice (terminating, then gone)
    exp.deletionObserved('ns/rs', 'ns/c'); // not one we deleted
    expect(exp.satisfiedExpectations('ns/rs')).toBe(false);
    expect(exp.getExpectations('ns/rs')).toMatchObject({ add: 0, del: 1 });
    exp.deletionObserved('ns/rs', 'ns/b');
    expect(exp.satisfiedExpectations('ns/rs')).toBe(true);
  });

  it('tracks creations by count, and forgets both on delete', () => {
    const exp = new UIDTrackingControllerExpectations(new FakeClock(0));
    exp.expectCreations('ns/rs', 1);
    expect(exp.satisfiedExpectations('ns/rs')).toBe(false);
    exp.creationObserved('ns/rs');
    expect(exp.satisfiedExpectations('ns/rs')).toBe(true);
    exp.expectDeletions('ns/rs', ['ns/a']);
    exp.deleteExpectations('ns/rs');
    expect(exp.getUIDs('ns/rs')).toBeUndefined();
    expect(exp.satisfiedExpectations('ns/rs')).toBe(true);
  });
});
