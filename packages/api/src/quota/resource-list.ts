// A ResourceList (`{cpu: "500m", pods: "2"}`) as quota arithmetic sees it: resource names mapped
// to exact quantities. The set operations are those Kubernetes' quota helpers define (Add, Mask,
// LessThanOrEqual, …), so admission and the controller agree on every sum and every comparison.
import { addQuantities, canonicalQuantity, compareQuantities, parseQuantity, subtractQuantities, type Quantity } from '../quantity/index.ts';

export type ResourceList = Readonly<Record<string, Quantity>>;

const ZERO: Quantity = { mantissa: 0n, exponent: 0, format: 'DecimalSI' };

/** A whole number of something (pods, services, object counts). */
export function count(n: number): Quantity {
  return { mantissa: BigInt(n), exponent: 0, format: 'DecimalSI' };
}

export function zero(): Quantity {
  return ZERO;
}

/** A ResourceList from its JSON form; values that are not quantities are left out. */
export function parseResourceList(json: unknown): ResourceList {
  const list: Record<string, Quantity> = {};
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return list;
  for (const [name, value] of Object.entries(json)) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    try {
      list[name] = parseQuantity(value);
    } catch {
      // Validation refuses such objects; one stored before that rule counts as nothing.
    }
  }
  return list;
}

/** The JSON form: each quantity as the apiserver serializes it, names sorted. */
export function resourceListJson(list: ResourceList): Record<string, string> {
  return Object.fromEntries(sortedNames(list).map((name) => [name, canonicalQuantity(list[name]!)]));
}

export function sortedNames(list: ResourceList): string[] {
  return Object.keys(list).sort();
}

/** a + b, name by name; a name in only one side keeps its value. */
export function add(a: ResourceList, b: ResourceList): ResourceList {
  const result: Record<string, Quantity> = { ...a };
  for (const [name, quantity] of Object.entries(b)) {
    const existing = result[name];
    result[name] = existing ? addQuantities(existing, quantity) : quantity;
  }
  return result;
}

/** a − b for the names in a; b's other names are ignored. */
export function subtract(a: ResourceList, b: ResourceList): ResourceList {
  const result: Record<string, Quantity> = {};
  for (const [name, quantity] of Object.entries(a)) {
    const other = b[name];
    result[name] = other ? subtractQuantities(quantity, other) : quantity;
  }
  return result;
}

/** a − b with every negative result clamped to zero (an update never refunds through admission). */
export function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const result: Record<string, Quantity> = {};
  for (const [name, quantity] of Object.entries(subtract(a, b))) {
    result[name] = quantity.mantissa < 0n ? ZERO : quantity;
  }
  return result;
}

/** Only the named resources of `list`. */
export function mask(list: ResourceList, names: Iterable<string>): ResourceList {
  const result: Record<string, Quantity> = {};
  for (const name of names) {
    const quantity = list[name];
    if (quantity) result[name] = quantity;
  }
  return result;
}

/** Whether every name of `a` is within `b` (a name b lacks is unconstrained); and which exceed. */
export function lessThanOrEqual(a: ResourceList, b: ResourceList): { allowed: boolean; exceeded: string[] } {
  const exceeded: string[] = [];
  for (const [name, quantity] of Object.entries(a)) {
    const limit = b[name];
    if (limit && compareQuantities(quantity, limit) > 0) exceeded.push(name);
  }
  return { allowed: exceeded.length === 0, exceeded };
}

/** Same names, equal values (formats may differ). */
export function equals(a: ResourceList, b: ResourceList): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((name) => b[name] !== undefined && compareQuantities(a[name]!, b[name]!) === 0);
}

export function removeZeros(list: ResourceList): ResourceList {
  return Object.fromEntries(Object.entries(list).filter(([, q]) => q.mantissa !== 0n));
}

/** The names whose quantity is below zero, sorted. */
export function negativeNames(list: ResourceList): string[] {
  return sortedNames(list).filter((name) => list[name]!.mantissa < 0n);
}

/** For each name in `b`, the larger of the two (maxResourceList). */
export function maxOf(a: ResourceList, b: ResourceList): ResourceList {
  const result: Record<string, Quantity> = { ...a };
  for (const [name, quantity] of Object.entries(b)) {
    const existing = result[name];
    if (!existing || compareQuantities(quantity, existing) > 0) result[name] = quantity;
  }
  return result;
}

/** "pods=1,requests.cpu=500m": sorted by name, as quota's Forbidden messages print lists. */
export function prettyPrint(list: ResourceList): string {
  return sortedNames(list)
    .map((name) => `${name}=${canonicalQuantity(list[name]!)}`)
    .join(',');
}
