// A set of field paths, stored as a trie: at each level the elements that are themselves members
// of the set, and the child sets under elements that have members below them. An element can be
// both (`.` in FieldsV1): a container a manager owns as a whole as well as some of its children.
// Parents are never implied members: owning `.spec.replicas` says nothing about `.spec`.
import { comparePathElements, pathElementsEqual, type Path, type PathElement } from './path.ts';
import { fieldType, resolveAtom, type SmdType } from './smd-type.ts';

interface Child {
  readonly element: PathElement;
  readonly set: FieldSet;
}

/** Where `element` is (found) or would go (not found) in a sorted array. */
function search<T>(items: readonly T[], element: PathElement, elementOf: (item: T) => PathElement): [number, boolean] {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (comparePathElements(elementOf(items[mid]), element) < 0) lo = mid + 1;
    else hi = mid;
  }
  return [lo, lo < items.length && pathElementsEqual(elementOf(items[lo]), element)];
}

const self = (e: PathElement) => e;
const childElement = (c: Child) => c.element;

export class FieldSet {
  private readonly memberList: PathElement[];
  private readonly childList: Child[];

  constructor(members: PathElement[] = [], children: Child[] = []) {
    this.memberList = members;
    this.childList = children;
  }

  static of(...paths: Path[]): FieldSet {
    const set = new FieldSet();
    for (const p of paths) set.insert(p);
    return set;
  }

  /** Elements at this level that are members, in order. */
  get members(): readonly PathElement[] {
    return this.memberList;
  }

  get children(): readonly Child[] {
    return this.childList;
  }

  /** Adds `path` (the empty path, the whole object, is never owned). */
  insert(path: Path): void {
    if (path.length === 0) return;
    let set: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) set = set.descend(path[i]);
    const [at, found] = search(set.memberList, path[path.length - 1], self);
    if (!found) set.memberList.splice(at, 0, path[path.length - 1]);
  }

  private descend(element: PathElement): FieldSet {
    const [at, found] = search(this.childList, element, childElement);
    if (found) return this.childList[at].set;
    const child = new FieldSet();
    this.childList.splice(at, 0, { element, set: child });
    return child;
  }

  hasMember(element: PathElement): boolean {
    return search(this.memberList, element, self)[1];
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    let set: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && set; i++) set = set.child(path[i]);
    return set !== undefined && set.hasMember(path[path.length - 1]);
  }

  child(element: PathElement): FieldSet | undefined {
    const [at, found] = search(this.childList, element, childElement);
    return found ? this.childList[at].set : undefined;
  }

  /** The paths under `element`, without it. */
  withPrefix(element: PathElement): FieldSet {
    return this.child(element) ?? new FieldSet();
  }

  isEmpty(): boolean {
    return this.memberList.length === 0 && this.childList.every((c) => c.set.isEmpty());
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet(
      mergeSorted(this.memberList, other.memberList, self, (a) => a),
      mergeSorted(this.childList, other.childList, childElement, (a, b) => ({ element: a.element, set: a.set.union(b.set) })),
    );
  }

  intersection(other: FieldSet): FieldSet {
    const children: Child[] = [];
    for (const c of this.childList) {
      const o = other.child(c.element);
      const set = o ? c.set.intersection(o) : undefined;
      if (set && !set.isEmpty()) children.push({ element: c.element, set });
    }
    return new FieldSet(this.memberList.filter((m) => other.hasMember(m)), children);
  }

  /** Paths in this set and not in `other`; `a.b.c` survives removing `a.b` (see recursiveDifference). */
  difference(other: FieldSet): FieldSet {
    const children: Child[] = [];
    for (const c of this.childList) {
      const o = other.child(c.element);
      const set = o ? c.set.difference(o) : c.set;
      if (!set.isEmpty()) children.push({ element: c.element, set });
    }
    return new FieldSet(this.memberList.filter((m) => !other.hasMember(m)), children);
  }

  /** Like difference, but removing a path also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    const children: Child[] = [];
    for (const c of this.childList) {
      if (other.hasMember(c.element)) continue;
      const o = other.child(c.element);
      const set = o ? c.set.recursiveDifference(o) : c.set;
      if (!set.isEmpty()) children.push({ element: c.element, set });
    }
    return new FieldSet(this.memberList.filter((m) => !other.hasMember(m)), children);
  }

  /**
   * The set plus every struct field that has members below it. Field sets leave out a non-empty
   * struct field itself; pruning needs it so that removing the field removes it whole. Map keys and
   * list items are not added: they are members already when owned.
   */
  ensureNamedFieldsAreMembers(type: SmdType | undefined): FieldSet {
    const atom = type ? resolveAtom(type, undefined) : undefined;
    const members = [...this.memberList];
    const children: Child[] = [];
    for (const c of this.childList) {
      let childType: SmdType | undefined;
      if ('field' in c.element && atom?.kind === 'map') {
        if (atom.field(c.element.field)) {
          const [at, found] = search(members, c.element, self);
          if (!found) members.splice(at, 0, c.element);
        }
        childType = fieldType(atom, c.element.field);
      } else if ('key' in c.element && atom?.kind === 'list') {
        childType = atom.element;
      }
      children.push({ element: c.element, set: c.set.ensureNamedFieldsAreMembers(childType) });
    }
    return new FieldSet(members, children);
  }

  /** Every member path, depth first: the members of a level before the sets below it. */
  paths(): Path[] {
    const out: Path[] = [];
    const walk = (set: FieldSet, prefix: Path) => {
      for (const m of set.memberList) out.push([...prefix, m]);
      for (const c of set.childList) walk(c.set, [...prefix, c.element]);
    };
    walk(this, []);
    return out;
  }
}

function mergeSorted<T>(a: readonly T[], b: readonly T[], elementOf: (x: T) => PathElement, both: (x: T, y: T) => T): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = comparePathElements(elementOf(a[i]), elementOf(b[j]));
    if (c < 0) out.push(a[i++]);
    else if (c > 0) out.push(b[j++]);
    else out.push(both(a[i++], b[j++]));
  }
  return out.concat(a.slice(i), b.slice(j));
}
