// The pods (by uid) whose tracking finalizer the Job controller has asked to remove and whose
// update the informer has not shown yet. Until it does, the cached pod still has the finalizer;
// without this memory the next sync would count that pod a second time.
export class FinalizerExpectations {
  private readonly expected = new Map<string, Set<string>>();

  expectRemovals(jobKey: string, uids: readonly string[]): void {
    const set = this.expected.get(jobKey) ?? new Set<string>();
    for (const uid of uids) set.add(uid);
    this.expected.set(jobKey, set);
  }

  /** The informer saw the pod without the finalizer (or gone), or the removal failed. */
  removalObserved(jobKey: string, uid: string): void {
    const set = this.expected.get(jobKey);
    if (!set) return;
    set.delete(uid);
    if (set.size === 0) this.expected.delete(jobKey);
  }

  expectedUids(jobKey: string): ReadonlySet<string> {
    return new Set(this.expected.get(jobKey) ?? []);
  }

  delete(jobKey: string): void {
    this.expected.delete(jobKey);
  }
}
