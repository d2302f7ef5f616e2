import { describe, expect, it } from 'vitest';
import type { FieldError } from './field-error.ts';
import { FieldPath, invalid, notSupported, required, tooLong } from './field-error.ts';
import { go, goQuote } from './go-format.ts';
import { invalidMessage } from './message.ts';

describe('field errors', () => {
  it('print values as Go does: strings quoted, numbers plain, Go syntax as is', () => {
    expect(invalid(FieldPath.root('spec', 'replicas'), -1, 'must be greater than or equal to 0').message).toBe(
      'Invalid value: -1: must be greater than or equal to 0',
    );
    expect(invalid(FieldPath.root('metadata', 'name'), 'Web', 'x').message).toBe('Invalid value: "Web": x');
    expect(invalid(FieldPath.root('spec'), go('map[string]string{"a":"b"}'), 'y').message).toBe('Invalid value: map[string]string{"a":"b"}: y');
    expect(invalid(FieldPath.root('spec'), null, 'z').message).toBe('Invalid value: null: z');
  });

  it('list supported values quoted, in order', () => {
    const error = notSupported(FieldPath.root('spec', 'restartPolicy'), 'Sometimes', ['Always', 'OnFailure', 'Never']);
    expect(error).toEqual({
      type: 'FieldValueNotSupported',
      field: 'spec.restartPolicy',
      message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    });
  });

  it('never show the value of a too-long field, and show paths with indexes and keys', () => {
    expect(tooLong(FieldPath.root('metadata', 'annotations'), 262144).message).toBe('Too long: may not be more than 262144 bytes');
    expect(required(FieldPath.root('spec', 'containers').index(0).child('image')).field).toBe('spec.containers[0].image');
    expect(FieldPath.root('data').key('a b').toString()).toBe('data[a b]');
  });

  it('quote like strconv.Quote', () => {
    expect(goQuote('a"b\\c\n\t')).toBe('"a\\"b\\\\c\\n\\t"');
    expect(goQuote('héllo\u0001')).toBe('"héllo\\x01"');
  });
});

describe('invalidMessage', () => {
  const errs: FieldError[] = [
    invalid(FieldPath.root('spec', 'replicas'), -1, 'must be greater than or equal to 0'),
    required(FieldPath.root('spec', 'selector')),
  ];

  it('qualifies the kind with its group, core kinds bare', () => {
    expect(invalidMessage('Deployment', 'apps', 'web', errs.slice(0, 1))).toBe(
      'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    expect(invalidMessage('Pod', '', 'x', [required(FieldPath.root('spec', 'containers'))])).toBe('Pod "x" is invalid: spec.containers: Required value');
  });

  it('brackets several errors and reports repeats once', () => {
    expect(invalidMessage('Deployment', 'apps', 'web', [...errs, errs[1]])).toBe(
      'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Required value]',
    );
    expect(invalidMessage('Pod', '', 'x', [errs[1], errs[1]])).toBe('Pod "x" is invalid: spec.selector: Required value');
    expect(invalidMessage('Pod', '', 'x', [])).toBe('Pod "x" is invalid');
  });
});
