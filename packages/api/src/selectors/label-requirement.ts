// One requirement of a label selector: what it is, how k8s validates it (labels.NewRequirement),
// how it matches a label set and how k8s prints it.
import { aggregate, compareGoStrings, invalidValue } from './go-text.ts';
import { labelKeyErrors, labelValueErrors } from './label-syntax.ts';
import { SelectorError } from './selector-error.ts';

export type LabelOperator =
  | 'In'
  | 'NotIn'
  | 'Exists'
  | 'DoesNotExist'
  | 'Equals'
  | 'NotEquals'
  | 'GreaterThan'
  | 'LessThan';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

/** AND of requirements; [] selects everything. */
export type LabelSelector = LabelRequirement[];

/** strconv.ParseInt(s, 10, 64): an optionally signed decimal that fits in an int64. */
function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return BigInt.asIntN(64, value) === value ? value : undefined;
}

/**
 * Validates a requirement as labels.NewRequirement does and returns it, or throws its
 * aggregated field errors (paths "key", "values", "values[i]", "values[i][key]").
 */
export function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errors: string[] = [];
  const keyProblems = labelKeyErrors(key);
  if (keyProblems.length > 0) errors.push(invalidValue('key', key, keyProblems.join('; ')));
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errors.push(invalidValue('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case 'Equals':
    case 'NotEquals':
      if (values.length !== 1) errors.push(invalidValue('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) errors.push(invalidValue('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'GreaterThan':
    case 'LessThan':
      if (values.length !== 1) errors.push(invalidValue('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((value, i) => {
        if (parseInt64(value) === undefined) {
          errors.push(invalidValue(`values[${i}]`, value, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
  }
  values.forEach((value, i) => {
    const problems = labelValueErrors(value);
    if (problems.length > 0) errors.push(invalidValue(`values[${i}][${key}]`, value, problems.join('; ')));
  });
  if (errors.length > 0) throw new SelectorError(aggregate(errors));
  return { key, operator, values };
}

/** Requirement.Matches: set-based operators treat a missing key as "not in". */
export function requirementMatches(requirement: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const present = Object.hasOwn(labels, requirement.key);
  const value = present ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case 'In':
    case 'Equals':
      return present && requirement.values.includes(value!);
    case 'NotIn':
    case 'NotEquals':
      return !present || !requirement.values.includes(value!);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'GreaterThan':
    case 'LessThan': {
      // Both sides must be int64s; anything else simply does not match.
      const actual = present ? parseInt64(value!) : undefined;
      const bound = requirement.values.length === 1 ? parseInt64(requirement.values[0]) : undefined;
      if (actual === undefined || bound === undefined) return false;
      return requirement.operator === 'GreaterThan' ? actual > bound : actual < bound;
    }
  }
}

const OPERATOR_TEXT: Record<LabelOperator, string> = {
  Equals: '=',
  NotEquals: '!=',
  In: ' in ',
  NotIn: ' notin ',
  GreaterThan: '>',
  LessThan: '<',
  Exists: '',
  DoesNotExist: '',
};

/** Requirement.String(): "!k", "k", "k=v", "k!=v", "k in (a,b)", "k>1"; several values sorted. */
export function formatRequirement(requirement: LabelRequirement): string {
  const { key, operator, values } = requirement;
  if (operator === 'Exists') return key;
  if (operator === 'DoesNotExist') return `!${key}`;
  const shown = values.length === 1 ? values[0] : [...values].sort(compareGoStrings).join(',');
  const set = operator === 'In' || operator === 'NotIn';
  return `${key}${OPERATOR_TEXT[operator]}${set ? `(${shown})` : shown}`;
}
