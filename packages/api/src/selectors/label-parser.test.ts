import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from './label-parser.ts';
import { formatLabelSelector } from './label-selector.ts';
import { SelectorError } from './selector-error.ts';

const VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_RULE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

function errorOf(text: string): string {
  try {
    parseLabelSelector(text);
  } catch (error) {
    expect(error).toBeInstanceOf(SelectorError);
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(text)} parsed`);
}

describe('parseLabelSelector', () => {
  it('reads every operator of the grammar', () => {
    expect(parseLabelSelector('app=web,tier!=db,env in (prod,dev),zone notin (a),canary,!legacy,gen>3,age<10')).toEqual([
      { key: 'age', operator: 'LessThan', values: ['10'] },
      { key: 'app', operator: 'Equals', values: ['web'] },
      { key: 'canary', operator: 'Exists', values: [] },
      { key: 'env', operator: 'In', values: ['dev', 'prod'] },
      { key: 'gen', operator: 'GreaterThan', values: ['3'] },
      { key: 'legacy', operator: 'DoesNotExist', values: [] },
      { key: 'tier', operator: 'NotEquals', values: ['db'] },
      { key: 'zone', operator: 'NotIn', values: ['a'] },
    ]);
  });

  it.each([
    ['', ''],
    ['app==web', 'app=web'],
    ['  app = web ,  tier  ', 'app=web,tier'],
    ['tier in (b,a,b)', 'tier in (a,b)'],
    ['x notin ()', 'x notin ()'],
    ['x in (a,)', 'x in (,a)'],
    ['x in (,a)', 'x in (,a)'],
    ['x in (a,,b)', 'x in (,a,b)'],
    ['x in (in, notin)', 'x in (in,notin)'],
    ['in=notin', 'in=notin'],
    ['a=,b!=', 'a=,b!='],
    ['kubernetes.io/service-name=web', 'kubernetes.io/service-name=web'],
    ['z=1,a=2,m', 'a=2,m,z=1'],
  ])('parses %j and prints it as %j', (text, printed) => {
    expect(formatLabelSelector(parseLabelSelector(text))).toBe(printed);
  });

  it.each([
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['a=b,', "found '', expected: identifier after ','"],
    ['a,,b', "found ',', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    ['a=(b)', "unable to parse requirement: found '(', expected: identifier"],
    ['a!==b', "unable to parse requirement: found '=', expected: identifier"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    // Kubernetes 1.32 consumes the second comma of ",," and then meets the ")".
    ['x in (a,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    ['x in (,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x>abc', `unable to parse requirement: values[0]: Invalid value: "abc": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x>', `unable to parse requirement: values[0]: Invalid value: "": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['app=-web', `unable to parse requirement: values[0][app]: Invalid value: "-web": ${VALUE_RULE}`],
    ['-app=web', `unable to parse requirement: <nil>: Invalid value: "-app": ${NAME_RULE}`],
    ['/app', 'unable to parse requirement: <nil>: Invalid value: "/app": prefix part must be non-empty'],
  ])('rejects %j with the apiserver message', (text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  it('aggregates several problems of one requirement in brackets', () => {
    expect(errorOf('x>a_')).toBe(
      `unable to parse requirement: [values[0]: Invalid value: "a_": for 'Gt', 'Lt' operators, the value must be an integer, values[0][x]: Invalid value: "a_": ${VALUE_RULE}]`,
    );
    // Values are sorted before they are validated, so the indexes follow the sorted order.
    expect(errorOf('x in (b_,a_)')).toBe(
      `unable to parse requirement: [values[0][x]: Invalid value: "a_": ${VALUE_RULE}, values[1][x]: Invalid value: "b_": ${VALUE_RULE}]`,
    );
  });

  it('validates key prefixes as DNS subdomains and lengths in bytes', () => {
    expect(errorOf('Example.com/app')).toBe(
      'unable to parse requirement: <nil>: Invalid value: "Example.com/app": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    );
    expect(errorOf(`${'a'.repeat(64)}=x`)).toContain('name part must be no more than 63 characters');
    expect(errorOf(`k=${'v'.repeat(64)}`)).toContain('must be no more than 63 characters');
    expect(parseLabelSelector(`${'a'.repeat(63)}=${'v'.repeat(63)}`)).toHaveLength(1);
  });

  it('ends the text at a NUL character where a token starts, like the byte scanner it mirrors', () => {
    expect(formatLabelSelector(parseLabelSelector('a= \0b'))).toBe('a=');
  });
});
