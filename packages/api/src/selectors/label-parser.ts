// The label selector grammar (apimachinery labels.Parse), with the real parser's error texts:
//   selector    ::= requirement ("," requirement)*
//   requirement ::= ["!"] KEY [ ("in" | "notin") "(" VALUE ("," VALUE)* ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
import { compareGoStrings, invalidValue } from './go-text.ts';
import { scanLabelSelector, type LabelToken, type LabelTokenKind } from './label-lexer.ts';
import { newRequirement, type LabelOperator, type LabelRequirement, type LabelSelector } from './label-requirement.ts';
import { labelKeyErrors } from './label-syntax.ts';
import { SelectorError } from './selector-error.ts';

/** Wording of labels.Parser's "expected: in, notin, =, ==, !=, gt, lt". */
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

const OPERATORS: Partial<Record<LabelTokenKind, LabelOperator>> = {
  in: 'In',
  notIn: 'NotIn',
  equals: 'Equals',
  doubleEquals: 'Equals', // "==" means "=": k8s only remembers the spelling to print it back
  notEquals: 'NotEquals',
  greaterThan: 'GreaterThan',
  lessThan: 'LessThan',
};

class Parser {
  private position = 0;
  constructor(private readonly tokens: LabelToken[]) {}

  /**
   * The current token. Where a value is expected ("values" context), the keywords
   * "in"/"notin" are plain identifiers, so `x in (in)` and `in=notin` parse.
   */
  private peek(asValue: boolean): LabelToken {
    return this.asContext(this.tokens[this.position], asValue);
  }

  private take(asValue: boolean): LabelToken {
    return this.asContext(this.tokens[this.position++], asValue);
  }

  private asContext(token: LabelToken, asValue: boolean): LabelToken {
    return asValue && (token.kind === 'in' || token.kind === 'notIn') ? { kind: 'identifier', text: token.text } : token;
  }

  parse(): LabelSelector {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const start = this.peek(true);
      if (start.kind === 'end') return requirements;
      if (start.kind !== 'identifier' && start.kind !== 'not') {
        throw new SelectorError(`found '${start.text}', expected: !, identifier, or 'end of string'`);
      }
      requirements.push(this.requirement());
      const separator = this.take(true);
      if (separator.kind === 'end') return requirements;
      if (separator.kind !== 'comma') throw new SelectorError(`found '${separator.text}', expected: ',' or 'end of string'`);
      const following = this.peek(true);
      if (following.kind !== 'identifier' && following.kind !== 'not') {
        throw new SelectorError(`found '${following.text}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    try {
      return this.requirementBody();
    } catch (error) {
      if (error instanceof SelectorError) throw new SelectorError(`unable to parse requirement: ${error.message}`);
      throw error;
    }
  }

  private requirementBody(): LabelRequirement {
    let token = this.take(true);
    const negated = token.kind === 'not';
    if (negated) token = this.take(true);
    if (token.kind !== 'identifier') throw new SelectorError(`found '${token.text}', expected: identifier`);
    const key = token.text;
    const keyProblems = labelKeyErrors(key);
    // The parser validates the key with no field path, which Go prints as "<nil>".
    if (keyProblems.length > 0) throw new SelectorError(invalidValue('<nil>', key, keyProblems.join('; ')));
    const after = this.peek(true).kind;
    // "!key" stops here even when an operator follows; the caller then reports that operator.
    if (negated) return newRequirement(key, 'DoesNotExist', []);
    if (after === 'end' || after === 'comma') return newRequirement(key, 'Exists', []);

    const operatorToken = this.take(false);
    const operator = OPERATORS[operatorToken.kind];
    if (operator === undefined) throw new SelectorError(`found '${operatorToken.text}', expected: ${BINARY_OPERATORS}`);
    const values = operator === 'In' || operator === 'NotIn' ? this.valueSet() : this.singleValue();
    // Values form a set: sorted and without duplicates, as sets.String.List() returns them.
    return newRequirement(key, operator, [...values].sort(compareGoStrings));
  }

  /** "(" a, b, ... ")" — empty entries are the empty value: "()" and "(a,)" both hold "". */
  private valueSet(): Set<string> {
    const open = this.take(true);
    if (open.kind !== 'openParen') throw new SelectorError(`found '${open.text}' expected: '('`);
    const first = this.peek(true);
    if (first.kind === 'closeParen') {
      this.take(true);
      return new Set(['']);
    }
    if (first.kind !== 'identifier' && first.kind !== 'comma') {
      throw new SelectorError(`found '${first.text}', expected: ',', ')' or identifier`);
    }
    const values = this.valueList();
    this.take(true); // the ")" valueList stopped at
    return values;
  }

  /**
   * Kubernetes 1.32's list loop: after ",," it also consumes the second comma, so "(a,,)"
   * and "(,,)" are rejected while "(a,,b)" holds "a", "" and "b".
   */
  private valueList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const token = this.take(true);
      if (token.kind === 'identifier') {
        values.add(token.text);
        const next = this.peek(true);
        if (next.kind === 'closeParen') return values;
        if (next.kind !== 'comma') throw new SelectorError(`found '${next.text}', expected: ',' or ')'`);
      } else if (token.kind === 'comma') {
        if (values.size === 0) values.add('');
        const next = this.peek(true);
        if (next.kind === 'closeParen') {
          values.add('');
          return values;
        }
        if (next.kind === 'comma') {
          this.take(true);
          values.add('');
        }
      } else {
        throw new SelectorError(`found '${token.text}', expected: ',', or identifier`);
      }
    }
  }

  /** The value after "=", "==", "!=", ">" or "<"; nothing before "," or the end is "". */
  private singleValue(): Set<string> {
    const next = this.peek(true);
    if (next.kind === 'end' || next.kind === 'comma') return new Set(['']);
    const token = this.take(true);
    if (token.kind !== 'identifier') throw new SelectorError(`found '${token.text}', expected: identifier`);
    return new Set([token.text]);
  }
}

/**
 * Parses a labelSelector query parameter ("app=web,tier in (a,b),!canary"). Requirements come
 * back sorted by key, as k8s sorts them; "" selects everything. Throws SelectorError with the
 * apiserver's message.
 */
export function parseLabelSelector(text: string): LabelSelector {
  const requirements = new Parser(scanLabelSelector(text)).parse();
  return requirements.sort((a, b) => compareGoStrings(a.key, b.key));
}
