/**
 * Segment's Filter Query Language (FQL) → the intermediate representation that Segment's
 * own evaluator, @segment/tsub, runs (the same IR Segment's backend hands analytics.js).
 * Tokens come from Segment's lexer, @segment/fql-ts. Its parser is not used: it knows no
 * parentheses, `!`, `in` or lowercase(), all of which destination filters use, so this
 * module parses the token stream itself:
 *
 *   expr := and ('or' and)*      and := unary ('and' unary)*      unary := '!' unary | atom
 *   atom := '(' expr ')' | value [op value | 'in' '[' value, … ']']
 *   value := path | "string" | number | true | false | null | func '(' value, … ')'
 */
import { lex, types as T, type Token } from '@segment/fql-ts';

/** tsub's IR: a path string, `{value}` literal, a list, or `[operator, …operands]`. */
export type FqlIr = string | { value: unknown } | FqlIr[];

export class FqlError extends Error {
  override readonly name = 'FqlError';
}

const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);
/** Functions tsub evaluates, with their argument counts. */
const FUNCTIONS: Readonly<Record<string, number>> = { contains: 2, match: 2, lowercase: 1, length: 1, typeof: 1, semver: 3 };

/** Compiles an FQL statement; throws FqlError naming the problem and where. */
export function compileFql(source: string): FqlIr {
  const { tokens, error } = lex(source);
  if (error) throw new FqlError(`${error.message} (at column ${error.cursor.column + 1})`);
  const parser = new Parser(tokens, source);
  const ir = parser.expression();
  parser.expectEnd();
  return ir;
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  expression(): FqlIr {
    const operands = [this.conjunction()];
    while (this.isConditional('or')) {
      this.position++;
      operands.push(this.conjunction());
    }
    return operands.length === 1 ? operands[0] : ['or', ...operands];
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.type !== T.EOS) this.fail(`unexpected ${describe(token)}`);
  }

  private conjunction(): FqlIr {
    const operands = [this.unary()];
    while (this.isConditional('and')) {
      this.position++;
      operands.push(this.unary());
    }
    return operands.length === 1 ? operands[0] : ['and', ...operands];
  }

  private unary(): FqlIr {
    const token = this.peek();
    if (token.type === T.Operator && token.value === '!') {
      this.position++;
      return ['!', this.unary()];
    }
    return this.atom();
  }

  private atom(): FqlIr {
    if (this.peek().type === T.ParenLeft) {
      this.position++;
      const inner = this.expression();
      this.expect(T.ParenRight, ')');
      return inner;
    }
    const left = this.value();
    const next = this.peek();
    if (next.type === T.Operator && COMPARISONS.has(next.value)) {
      this.position++;
      return [next.value, left, this.value()];
    }
    if (next.type === T.Ident && next.value === 'in') {
      this.position++;
      return ['in', left, this.list()];
    }
    return left;
  }

  private list(): FqlIr[] {
    this.expect(T.BrackLeft, '[');
    const items: FqlIr[] = [];
    if (this.peek().type !== T.BrackRight) {
      items.push(this.value());
      while (this.peek().type === T.Comma) {
        this.position++;
        items.push(this.value());
      }
    }
    this.expect(T.BrackRight, ']');
    return items;
  }

  private value(): FqlIr {
    const token = this.next();
    switch (token.type) {
      case T.String:
        return { value: unquote(token.value) };
      case T.Number: {
        const n = Number(token.value);
        if (!Number.isFinite(n)) this.fail(`${token.value} is not a number`);
        return { value: n };
      }
      case T.Null:
        return { value: null };
      case T.BrackLeft:
        this.position--;
        return this.list();
      case T.Ident: {
        if (token.value === 'true' || token.value === 'false') return { value: token.value === 'true' };
        if (this.peek().type === T.ParenLeft) return this.call(token.value);
        const parts = [token.value];
        while (this.peek().type === T.Dot) {
          this.position++;
          const part = this.next();
          if (part.type !== T.Ident) this.fail(`expected a field name after "." but found ${describe(part)}`);
          parts.push(part.value);
        }
        return parts.join('.');
      }
      default:
        return this.fail(`expected a field, a value or a function but found ${describe(token)}`);
    }
  }

  private call(name: string): FqlIr {
    const arity = FUNCTIONS[name];
    if (arity === undefined) this.fail(`unknown function ${name}() (FQL has ${Object.keys(FUNCTIONS).join(', ')})`);
    this.expect(T.ParenLeft, '(');
    const args: FqlIr[] = [];
    if (this.peek().type !== T.ParenRight) {
      args.push(this.value());
      while (this.peek().type === T.Comma) {
        this.position++;
        args.push(this.value());
      }
    }
    this.expect(T.ParenRight, ')');
    if (args.length !== arity) this.fail(`${name}() takes ${arity} argument${arity === 1 ? '' : 's'}, got ${args.length}`);
    // semver's operator is written as a string: semver(context.app.version, ">=", "2.0").
    return [name, ...args];
  }

  private isConditional(word: string): boolean {
    const token = this.peek();
    return token.type === T.Conditional && token.value === word;
  }

  private expect(type: T, text: string): void {
    const token = this.next();
    if (token.type !== type) this.fail(`expected "${text}" but found ${describe(token)}`);
  }

  private peek(): Token {
    return this.tokens[this.position] ?? { type: T.EOS, value: '' };
  }

  private next(): Token {
    const token = this.peek();
    if (this.position < this.tokens.length) this.position++;
    return token;
  }

  private fail(problem: string): never {
    throw new FqlError(`${problem} in ${JSON.stringify(this.source)}`);
  }
}

function unquote(raw: string): string {
  return raw.slice(1, -1).replace(/\\(.)/g, '$1');
}

function describe(token: Token): string {
  return token.type === T.EOS ? 'the end of the statement' : JSON.stringify(token.value);
}
