// Tokens of the label selector language, scanned the way apimachinery's labels.Lexer does:
// byte by byte; a NUL character where a token would start ends the text, as in Go.

export type LabelTokenKind =
  | 'end'
  | 'closeParen'
  | 'comma'
  | 'not' // "!" — DoesNotExist
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openParen';

export interface LabelToken {
  kind: LabelTokenKind;
  text: string;
}

const OPERATOR_TOKENS = new Map<string, LabelTokenKind>([
  [')', 'closeParen'],
  [',', 'comma'],
  ['!', 'not'],
  ['==', 'doubleEquals'],
  ['=', 'equals'],
  ['>', 'greaterThan'],
  ['<', 'lessThan'],
  ['!=', 'notEquals'],
  ['(', 'openParen'],
]);
const KEYWORDS = new Map<string, LabelTokenKind>([
  ['in', 'in'],
  ['notin', 'notIn'],
]);

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const END = '\0';

class Scanner {
  private position = 0;
  constructor(private readonly text: string) {}

  /** The next character, or END past the end (without moving). */
  read(): string {
    if (this.position >= this.text.length) return END;
    return this.text[this.position++];
  }

  unread(): void {
    this.position--;
  }

  next(): LabelToken {
    let ch = this.read();
    while (WHITESPACE.has(ch)) ch = this.read();
    if (ch === END) return { kind: 'end', text: '' };
    this.unread();
    return SPECIAL.has(ch) ? this.operator() : this.word();
  }

  /** The longest operator ("!=" over "!"); every single special character is an operator. */
  private operator(): LabelToken {
    let text = this.read();
    for (let ch = this.read(); ch !== END; ch = this.read()) {
      if (!SPECIAL.has(ch) || !OPERATOR_TOKENS.has(text + ch)) {
        this.unread();
        break;
      }
      text += ch;
    }
    return { kind: OPERATOR_TOKENS.get(text)!, text };
  }

  /** A key, value or keyword: everything up to whitespace, an operator or the end. */
  private word(): LabelToken {
    let text = '';
    for (let ch = this.read(); ch !== END; ch = this.read()) {
      if (SPECIAL.has(ch) || WHITESPACE.has(ch)) {
        this.unread();
        break;
      }
      text += ch;
    }
    return { kind: KEYWORDS.get(text) ?? 'identifier', text };
  }
}

/** All tokens of `text`, ending with one 'end' token. */
export function scanLabelSelector(text: string): LabelToken[] {
  const scanner = new Scanner(text);
  const tokens: LabelToken[] = [];
  for (;;) {
    const token = scanner.next();
    tokens.push(token);
    if (token.kind === 'end') return tokens;
  }
}
