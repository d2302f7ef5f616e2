// Label and field selectors as the apiserver parses, validates, matches and prints them.
export { SelectorError } from './selector-error.ts';
export type { LabelOperator, LabelRequirement, LabelSelector } from './label-requirement.ts';
export { parseLabelSelector } from './label-parser.ts';
export { matchesLabels, formatLabelSelector, labelSelectorFromObject, type LabelSelectorObject } from './label-selector.ts';
export { parseFieldSelector, formatFieldSelector, matchesFields, type FieldRequirement } from './field-selector.ts';
export { fieldSelectorSupported, fieldsOf, validateFieldSelector } from './field-labels.ts';
