// JSON decoding for strict field validation: JSON.parse's result plus every key that appears twice
// in one object. Kubernetes' decoder (sigs.k8s.io/json) names a repeated key by its full path —
// `duplicate field "spec.replicas"` — with map keys joined by "." and list items as "[i]", the same
// paths as its `unknown field "…"` errors. Syntax errors carry the messages of Go's encoding/json
// scanner ("invalid character 'x' looking for beginning of value").
import type { JsonObject, JsonValue } from '../object.ts';

/** Where keys sit in the document: their order of first appearance, and repeats (for interleaving
 *  strict errors in document order, as the decoder reports them). */
export interface KeyPositions {
  first: Map<string, number>;
  repeats: { key: string; position: number }[];
}

export interface StrictJson {
  value: JsonValue;
  /** full paths of repeated keys, in document order ("spec.replicas") */
  duplicateFields: string[];
  /** per decoded object, where its keys appeared */
  positions: WeakMap<JsonObject, KeyPositions>;
}

/** Go's quoteChar: how the scanner shows the offending character. */
function quoteChar(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '"') return "'\"'";
  const quoted = JSON.stringify(ch);
  return `'${quoted.slice(1, -1)}'`;
}

class Parser {
  private pos = 0;
  private keyCount = 0;
  readonly duplicates: string[] = [];
  readonly positions = new WeakMap<JsonObject, KeyPositions>();

  constructor(private readonly text: string) {}

  private fail(context: string): never {
    if (this.pos >= this.text.length) throw new SyntaxError('unexpected end of JSON input');
    throw new SyntaxError(`invalid character ${quoteChar(this.text[this.pos])} ${context}`);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos])) this.pos++;
  }

  parseDocument(): JsonValue {
    this.skipSpace();
    const value = this.parseValue([]);
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('after top-level value');
    return value;
  }

  private parseValue(path: string[]): JsonValue {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === '{') return this.parseObject(path);
    if (ch === '[') return this.parseArray(path);
    if (ch === '"') return this.parseString();
    if (ch === '-' || (ch >= '0' && ch <= '9')) return this.parseNumber();
    if (ch === 't') return this.parseLiteral('true', true);
    if (ch === 'f') return this.parseLiteral('false', false);
    if (ch === 'n') return this.parseLiteral('null', null);
    return this.fail('looking for beginning of value');
  }

  private parseLiteral(word: string, value: JsonValue): JsonValue {
    for (let i = 0; i < word.length; i++) {
      if (this.text[this.pos] !== word[i]) this.fail(`in literal ${word} (expecting '${word[i]}')`);
      this.pos++;
    }
    return value;
  }

  private parseNumber(): number {
    const start = this.pos;
    if (this.text[this.pos] === '-') this.pos++;
    const digit = () => this.pos < this.text.length && this.text[this.pos] >= '0' && this.text[this.pos] <= '9';
    if (this.text[this.pos] === '0') this.pos++;
    else if (digit()) while (digit()) this.pos++;
    else this.fail('in numeric literal');
    if (this.text[this.pos] === '.') {
      this.pos++;
      if (!digit()) this.fail('after decimal point in numeric literal');
      while (digit()) this.pos++;
    }
    if (this.text[this.pos] === 'e' || this.text[this.pos] === 'E') {
      this.pos++;
      if (this.text[this.pos] === '+' || this.text[this.pos] === '-') this.pos++;
      if (!digit()) this.fail('in exponent of numeric literal');
      while (digit()) this.pos++;
    }
    return Number(this.text.slice(start, this.pos));
  }

  private parseString(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '"') {
        this.pos++;
        return JSON.parse(this.text.slice(start, this.pos)) as string;
      }
      if (ch === '\\') {
        this.pos++;
        const escape = this.text[this.pos];
        if (escape === 'u') {
          for (let i = 1; i <= 4; i++) {
            this.pos++;
            if (!/[0-9a-fA-F]/.test(this.text[this.pos] ?? '')) this.fail('in \\u hexadecimal character escape');
          }
        } else if (escape === undefined || !'"\\/bfnrt'.includes(escape)) {
          this.fail('in string escape code');
        }
      } else if (ch < ' ') {
        this.fail('in string literal');
      }
      this.pos++;
    }
    return this.fail('in string literal');
  }

  private parseArray(path: string[]): JsonValue[] {
    this.pos++;
    const items: JsonValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      const parent = path.length > 0 ? path.slice(0, -1) : [];
      const last = path.length > 0 ? path[path.length - 1] : '';
      items.push(this.parseValue([...parent, `${last}[${items.length}]`]));
      this.skipSpace();
      const ch = this.text[this.pos];
      if (ch === ',') this.pos++;
      else if (ch === ']') {
        this.pos++;
        return items;
      } else this.fail('after array element');
    }
  }

  private parseObject(path: string[]): JsonObject {
    this.pos++;
    const object: JsonObject = {};
    const keys: KeyPositions = { first: new Map(), repeats: [] };
    this.positions.set(object, keys);
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return object;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('looking for beginning of object key string');
      const key = this.parseString();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail('after object key');
      this.pos++;
      const position = this.keyCount++;
      if (keys.first.has(key)) {
        keys.repeats.push({ key, position });
        this.duplicates.push([...path, key].join('.'));
      } else {
        keys.first.set(key, position);
      }
      // defineProperty, so a "__proto__" key stays an ordinary key.
      Object.defineProperty(object, key, { value: this.parseValue([...path, key]), writable: true, enumerable: true, configurable: true });
      this.skipSpace();
      const ch = this.text[this.pos];
      if (ch === ',') this.pos++;
      else if (ch === '}') {
        this.pos++;
        return object;
      } else this.fail('after object key:value pair');
    }
  }
}

/** JSON.parse that also reports duplicate keys; throws SyntaxError (Go's wording) on bad JSON. */
export function parseJsonStrict(text: string): StrictJson {
  const parser = new Parser(text);
  const value = parser.parseDocument();
  return { value, duplicateFields: parser.duplicates, positions: parser.positions };
}
