// Controller expectations (kube-controller-manager's ControllerExpectations): a controller that
// has just created or deleted N pods must not act again on the same owner until its informer
// has seen those N events — otherwise a sync that runs before the cache catches up would count
// too few pods and create them twice. The controller records what it expects before acting,
// the informer's handlers count observations down, and syncs skip the "manage replicas" step
// until the count reaches zero. Expectations older than five minutes are ignored, so a lost
// watch event can delay a controller but never wedge it.
import type { Clock, Logger } from '@k8ts/client';

/** ExpectationsTimeout: after this, unmet expectations no longer block a sync. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

/** What one owner is still waiting to observe. */
export interface ControlleeExpectations {
  add: number;
  del: number;
  /** when the expectations were set (ms) */
  timestamp: number;
}

export class ControllerExpectations {
  private readonly store = new Map<string, ControlleeExpectations>();

  constructor(
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {}

  getExpectations(key: string): ControlleeExpectations | undefined {
    return this.store.get(key);
  }

  /**
   * Whether the owner may be synced: its expectations are met, have expired, or were never
   * recorded (a new owner, or one whose expectations were deleted).
   */
  satisfiedExpectations(key: string): boolean {
    const exp = this.store.get(key);
    if (!exp) return true;
    if (exp.add <= 0 && exp.del <= 0) return true;
    if (this.clock.now() - exp.timestamp > EXPECTATIONS_TIMEOUT_MS) {
      this.logger?.info(`Controller expectations expired for ${key}: add=${exp.add} del=${exp.del}`);
      return true;
    }
    return false;
  }

  /** Replaces the owner's expectations (and restarts their timeout). */
  setExpectations(key: string, add: number, del: number): void {
    this.store.set(key, { add, del, timestamp: this.clock.now() });
  }

  expectCreations(key: string, adds: number): void {
    this.setExpectations(key, adds, 0);
  }

  expectDeletions(key: string, dels: number): void {
    this.setExpectations(key, 0, dels);
  }

  raiseExpectations(key: string, add: number, del: number): void {
    const exp = this.store.get(key);
    if (!exp) return;
    exp.add += add;
    exp.del += del;
  }

  lowerExpectations(key: string, add: number, del: number): void {
    this.raiseExpectations(key, -add, -del);
  }

  /** One expected creation was seen by the informer (or will never happen). */
  creationObserved(key: string): void {
    this.lowerExpectations(key, 1, 0);
  }

  /** One expected deletion was seen by the informer (or will never happen). */
  deletionObserved(key: string): void {
    this.lowerExpectations(key, 0, 1);
  }

  /** Forgets the owner (it was deleted). */
  deleteExpectations(key: string): void {
    this.store.delete(key);
  }
}

/**
 * Expectations that also remember *which* pods (by "namespace/name") are expected to go, so a
 * deletion is counted once even when the informer reports it twice (once when the pod gets a
 * deletionTimestamp, again when it is removed) and deletions of other pods are not counted.
 */
export class UIDTrackingControllerExpectations {
  private readonly counts: ControllerExpectations;
  private readonly expectedDeletions = new Map<string, Set<string>>();

  constructor(
    clock: Clock,
    private readonly logger?: Logger,
  ) {
    this.counts = new ControllerExpectations(clock, logger);
  }

  getExpectations(key: string): ControlleeExpectations | undefined {
    return this.counts.getExpectations(key);
  }

  satisfiedExpectations(key: string): boolean {
    return this.counts.satisfiedExpectations(key);
  }

  expectCreations(key: string, adds: number): void {
    this.counts.expectCreations(key, adds);
  }

  creationObserved(key: string): void {
    this.counts.creationObserved(key);
  }

  lowerExpectations(key: string, add: number, del: number): void {
    this.counts.lowerExpectations(key, add, del);
  }

  /** The pod keys still expected to be deleted for the owner. */
  getUIDs(key: string): ReadonlySet<string> | undefined {
    return this.expectedDeletions.get(key);
  }

  /** Expects exactly these pods (by key) to be deleted. */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    const existing = this.expectedDeletions.get(key);
    if (existing && existing.size > 0) {
      this.logger?.warn(`Clobbering existing delete keys of ${key}: ${[...existing].join(', ')}`);
    }
    this.expectedDeletions.set(key, new Set(podKeys));
    this.counts.expectDeletions(key, podKeys.length);
  }

  /** The pod is gone (or going): counted once, and only if its deletion was expected. */
  deletionObserved(key: string, podKey: string): void {
    const expected = this.expectedDeletions.get(key);
    if (!expected?.has(podKey)) return;
    expected.delete(podKey);
    this.counts.deletionObserved(key);
  }

  deleteExpectations(key: string): void {
    this.expectedDeletions.delete(key);
    this.counts.deleteExpectations(key);
  }
}
