// The validation Kubernetes applies to label keys and values inside a selector
// (apimachinery util/validation: IsQualifiedName, IsValidLabelValue), with its exact messages.
import { goLength } from './go-text.ts';

const QUALIFIED_NAME_FORMAT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FORMAT}$`);
const QUALIFIED_NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MAX = 63;

const LABEL_VALUE_FORMAT = `(${QUALIFIED_NAME_FORMAT})?`;
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FORMAT}$`);
const LABEL_VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MAX = 63;

const DNS_LABEL_FORMAT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN_FORMAT = `${DNS_LABEL_FORMAT}(\\.${DNS_LABEL_FORMAT})*`;
const DNS_SUBDOMAIN = new RegExp(`^${DNS_SUBDOMAIN_FORMAT}$`);
const DNS_SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS_SUBDOMAIN_MAX = 253;

function maxLengthError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** validation.RegexError, including its doubled spaces between examples. */
function regexError(rule: string, format: string, ...examples: string[]): string {
  const shown = examples.map((example) => `'${example}', `).join(' or ');
  return `${rule} (e.g. ${shown}regex used for validation is '${format}')`;
}

function dnsSubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (goLength(value) > DNS_SUBDOMAIN_MAX) errors.push(maxLengthError(DNS_SUBDOMAIN_MAX));
  if (!DNS_SUBDOMAIN.test(value)) errors.push(regexError(DNS_SUBDOMAIN_RULE, DNS_SUBDOMAIN_FORMAT, 'example.com'));
  return errors;
}

/** Why `key` is not a label key ("[prefix/]name"); empty when it is one. */
export function labelKeyErrors(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_RULE, QUALIFIED_NAME_FORMAT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  const errors: string[] = [];
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix === '') errors.push('prefix part must be non-empty');
    else errors.push(...dnsSubdomainErrors(prefix).map((message) => `prefix part ${message}`));
  }
  if (name === '') errors.push('name part must be non-empty');
  else if (goLength(name) > QUALIFIED_NAME_MAX) errors.push(`name part ${maxLengthError(QUALIFIED_NAME_MAX)}`);
  if (!QUALIFIED_NAME.test(name)) {
    errors.push(`name part ${regexError(QUALIFIED_NAME_RULE, QUALIFIED_NAME_FORMAT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errors;
}

/** Why `value` is not a label value; empty when it is one (the empty string is valid). */
export function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (goLength(value) > LABEL_VALUE_MAX) errors.push(maxLengthError(LABEL_VALUE_MAX));
  if (!LABEL_VALUE.test(value)) errors.push(regexError(LABEL_VALUE_RULE, LABEL_VALUE_FORMAT, 'MyValue', 'my_value', '12345'));
  return errors;
}
