// A binary heap whose items are also found by key, so that an item can be updated or removed
// in O(log n) — the scheduling queue's activeQ and backoffQ are such heaps (kube-scheduler's
// internal/heap), ordered by "less" and keyed by the pod's namespace/name.

export class KeyedHeap<T> {
  private readonly items: T[] = [];
  private readonly positions = new Map<string, number>();

  constructor(
    private readonly keyOf: (item: T) => string,
    /** true when `a` must come out before `b` */
    private readonly less: (a: T, b: T) => boolean,
  ) {}

  get size(): number {
    return this.items.length;
  }

  has(key: string): boolean {
    return this.positions.has(key);
  }

  get(key: string): T | undefined {
    const at = this.positions.get(key);
    return at === undefined ? undefined : this.items[at];
  }

  /** Adds the item, or replaces the one with the same key and restores the order. */
  addOrUpdate(item: T): void {
    const key = this.keyOf(item);
    const at = this.positions.get(key);
    if (at !== undefined) {
      this.items[at] = item;
      this.fix(at);
      return;
    }
    this.items.push(item);
    this.positions.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  /** The first item without removing it. */
  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    return this.removeAt(0);
  }

  delete(key: string): T | undefined {
    const at = this.positions.get(key);
    return at === undefined ? undefined : this.removeAt(at);
  }

  values(): readonly T[] {
    return this.items;
  }

  private removeAt(at: number): T {
    const removed = this.items[at]!;
    const last = this.items.pop()!;
    this.positions.delete(this.keyOf(removed));
    if (at < this.items.length) {
      this.items[at] = last;
      this.positions.set(this.keyOf(last), at);
      this.fix(at);
    }
    return removed;
  }

  private fix(at: number): void {
    if (!this.up(at)) this.down(at);
  }

  /** Moves the item at `at` towards the root while it beats its parent; true if it moved. */
  private up(at: number): boolean {
    let i = at;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.items[i]!, this.items[parent]!)) break;
      this.swap(i, parent);
      i = parent;
    }
    return i !== at;
  }

  private down(at: number): void {
    let i = at;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.items.length) return;
      const right = left + 1;
      const child = right < this.items.length && this.less(this.items[right]!, this.items[left]!) ? right : left;
      if (!this.less(this.items[child]!, this.items[i]!)) return;
      this.swap(i, child);
      i = child;
    }
  }

  private swap(a: number, b: number): void {
    const itemA = this.items[a]!;
    const itemB = this.items[b]!;
    this.items[a] = itemB;
    this.items[b] = itemA;
    this.positions.set(this.keyOf(itemB), a);
    this.positions.set(this.keyOf(itemA), b);
  }
}
