// Cell formatting shared by many printers: label maps and selectors in their string forms,
// quantities, container lists, and the "a,b,c + 2 more..." lists.
import { canonicalQuantity, parseQuantity, QuantityError } from '../quantity/index.ts';
import {
  formatLabelSelector as formatSelector,
  labelSelectorFromObject,
  SelectorError,
  type LabelSelectorObject,
} from '../selectors/index.ts';

export type { LabelSelectorObject } from '../selectors/index.ts';

/** labels.FormatLabels: "k1=v1,k2=v2" in key order, "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | null | undefined): string {
  const keys = Object.keys(labels ?? {}).sort(compareStrings);
  if (keys.length === 0) return '<none>';
  return keys.map((key) => `${key}=${labels![key]}`).join(',');
}

/**
 * The string form of a meta/v1 LabelSelector (labels.Selector.String()): requirements sorted by
 * key, values sorted, "" for an empty or absent selector; undefined when the selector is invalid.
 */
export function labelSelectorString(selector: LabelSelectorObject | null | undefined): string | undefined {
  try {
    return formatSelector(labelSelectorFromObject(selector));
  } catch (error) {
    if (error instanceof SelectorError) return undefined;
    throw error;
  }
}

/** metav1.FormatLabelSelector: the selector string, "<none>" when it selects everything, "<error>" when invalid. */
export function formatLabelSelector(selector: LabelSelectorObject | null | undefined): string {
  const text = labelSelectorString(selector);
  if (text === undefined) return '<error>';
  return text === '' ? '<none>' : text;
}

/** A resource.Quantity as Quantity.String() writes it ("1024Mi" is "1Gi"); text that is no quantity prints as is. */
export function formatQuantity(quantity: string | number): string {
  try {
    return canonicalQuantity(parseQuantity(quantity));
  } catch (error) {
    if (error instanceof QuantityError) return String(quantity);
    throw error;
  }
}

export interface Container {
  name?: string;
  image?: string;
}

/** The Containers and Images cells of a pod template: names and images, comma-joined. */
export function containerCells(containers: Container[] | null | undefined): [names: string, images: string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** "a,b,c + N more..." once a list passed `max` items; "<unset>" when there was nothing at all. */
export function listWithMore(items: string[], max: number): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown === '' ? '<unset>' : shown;
}

/** "True"/"False" for a set boolean, "<unset>" otherwise (printBoolPtr). */
export function boolPointer(value: boolean | null | undefined): string {
  if (value === undefined || value === null) return '<unset>';
  return value ? 'True' : 'False';
}

/** net.JoinHostPort: IPv6 hosts get brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Go's byte-wise string order (sort.Strings), independent of the process locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
