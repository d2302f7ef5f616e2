// Whole label selectors: matching, printing, and conversion from the API's metav1.LabelSelector.
import { compareGoStrings, goQuote } from './go-text.ts';
import {
  formatRequirement,
  newRequirement,
  requirementMatches,
  type LabelOperator,
  type LabelRequirement,
  type LabelSelector,
} from './label-requirement.ts';
import { SelectorError } from './selector-error.ts';

/** metav1.LabelSelector as it appears in objects (Deployment spec.selector, PDBs, ...). */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

/**
 * Whether `labels` satisfy every requirement. `null` is k8s' Nothing selector (a nil
 * metav1.LabelSelector): it matches no object, while [] matches every object.
 */
export function matchesLabels(selector: LabelSelector | null, labels: Record<string, string> | undefined): boolean {
  if (selector === null) return false;
  const set = labels ?? {};
  return selector.every((requirement) => requirementMatches(requirement, set));
}

/**
 * The selector as k8s prints it (Scale status.selector, the Table "Selector" column):
 * requirements by key, comma-joined — "app=web,tier in (a,b)". Nothing prints as "".
 */
export function formatLabelSelector(selector: LabelSelector | null): string {
  if (selector === null) return '';
  return [...selector]
    .sort((a, b) => compareGoStrings(a.key, b.key))
    .map(formatRequirement)
    .join(',');
}

const EXPRESSION_OPERATORS: Record<string, LabelOperator> = {
  In: 'In',
  NotIn: 'NotIn',
  Exists: 'Exists',
  DoesNotExist: 'DoesNotExist',
};

/**
 * metav1.LabelSelectorAsSelector: null/undefined becomes Nothing (`null`, matches nothing),
 * an empty selector becomes Everything (`[]`). Each entry is validated like
 * labels.NewRequirement; an invalid one throws SelectorError with k8s' message.
 */
export function labelSelectorFromObject(selector: LabelSelectorObject | null | undefined): LabelSelector | null {
  if (selector === null || selector === undefined) return null;
  const matchLabels = Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) => compareGoStrings(a, b));
  const expressions = selector.matchExpressions ?? [];
  const requirements: LabelRequirement[] = matchLabels.map(([key, value]) => newRequirement(key, 'Equals', [value]));
  for (const expression of expressions) {
    const operator = Object.hasOwn(EXPRESSION_OPERATORS, expression.operator) ? EXPRESSION_OPERATORS[expression.operator] : undefined;
    if (operator === undefined) throw new SelectorError(`${goQuote(String(expression.operator))} is not a valid label selector operator`);
    // Values stay as written (unsorted, duplicates kept); only printing sorts them.
    requirements.push(newRequirement(expression.key, operator, [...(expression.values ?? [])]));
  }
  return requirements.sort((a, b) => compareGoStrings(a.key, b.key));
}
