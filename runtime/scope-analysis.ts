/**
 * Finds the free (undeclared) variable names of a function's script, so the sandbox can
 * make reading them throw a ReferenceError as Node does. SES cannot tell a free name from
 * a global it lacks: its scope terminator reads every unknown name as `undefined`.
 *
 * The analysis errs towards "declared": anything it does not model precisely (sloppy
 * block functions, dynamic code) counts as declared, because a false "free" turns working
 * code into an error while a missed name only keeps today's `undefined`.
 */
import { parse, type AnyNode, type Pattern } from 'acorn';

export interface FreeNameUse {
  /** Read as a value somewhere (including `x++` and `x += 1`), other than as `typeof x`. */
  read: boolean;
  /** Assigned somewhere (`x = 1`, `for (x of …)`, destructuring assignment). */
  written: boolean;
  /** The operand of `typeof` somewhere. */
  typeofChecked: boolean;
  /**
   * Where each such `typeof` expression is, as [start, end) offsets of the whole
   * UnaryExpression (parentheses around the operand included), so it can be rewritten.
   */
  typeofRanges: Array<readonly [number, number]>;
}

/** What a script declares and leaves free. */
export interface ScriptNames {
  free: Map<string, FreeNameUse>;
  /** Every name bound anywhere in the script, in any scope (decoded, as V8 sees it). */
  declared: ReadonlySet<string>;
}

class Scope {
  readonly names = new Set<string>();
  /** Shared by every scope of one script. */
  readonly everyName: Set<string>;
  constructor(
    readonly parent: Scope | null,
    readonly isFunction: boolean,
  ) {
    this.everyName = parent ? parent.everyName : new Set();
  }

  declare(name: string): void {
    this.names.add(name);
    this.everyName.add(name);
  }

  /** The scope `var` declarations land in. */
  varScope(): Scope {
    return this.isFunction || !this.parent ? this : this.parent.varScope();
  }

  declares(name: string): boolean {
    return this.names.has(name) || (this.parent?.declares(name) ?? false);
  }
}

type UseKind = 'read' | 'write' | 'readwrite' | 'typeof';

interface Reference {
  name: string;
  scope: Scope;
  kind: UseKind;
  /** For `typeof`: the offsets of the whole UnaryExpression. */
  range?: readonly [number, number];
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

class Analysis {
  readonly references: Reference[] = [];

  refer(name: string, scope: Scope, kind: UseKind, range?: readonly [number, number]): void {
    this.references.push({ name, scope, kind, range });
  }

  /** Declares the names a binding pattern introduces; defaults and computed keys are expressions in `scope`. */
  bind(pattern: Pattern, target: Scope, scope: Scope): void {
    switch (pattern.type) {
      case 'Identifier':
        target.declare(pattern.name);
        return;
      case 'ObjectPattern':
        for (const property of pattern.properties) {
          if (property.type === 'RestElement') {
            this.bind(property.argument, target, scope);
          } else {
            if (property.computed) this.visit(property.key, scope);
            this.bind(property.value, target, scope);
          }
        }
        return;
      case 'ArrayPattern':
        for (const element of pattern.elements) if (element) this.bind(element, target, scope);
        return;
      case 'RestElement':
        this.bind(pattern.argument, target, scope);
        return;
      case 'AssignmentPattern':
        this.bind(pattern.left, target, scope);
        this.visit(pattern.right, scope);
        return;
      case 'MemberExpression':
        // Not a binding in valid code; treat it as the expression it is.
        this.visit(pattern, scope);
        return;
    }
  }

  /** An assignment target: plain names are writes (reads too for `+=`, `++`). */
  assign(pattern: Pattern, scope: Scope, kind: 'write' | 'readwrite'): void {
    switch (pattern.type) {
      case 'Identifier':
        this.refer(pattern.name, scope, kind);
        return;
      case 'ObjectPattern':
        for (const property of pattern.properties) {
          if (property.type === 'RestElement') {
            this.assign(property.argument, scope, 'write');
          } else {
            if (property.computed) this.visit(property.key, scope);
            this.assign(property.value, scope, 'write');
          }
        }
        return;
      case 'ArrayPattern':
        for (const element of pattern.elements) if (element) this.assign(element, scope, 'write');
        return;
      case 'RestElement':
        this.assign(pattern.argument, scope, 'write');
        return;
      case 'AssignmentPattern':
        this.assign(pattern.left, scope, 'write');
        this.visit(pattern.right, scope);
        return;
      case 'MemberExpression':
        this.visit(pattern, scope);
        return;
    }
  }

  visitFunction(
    node: { id?: { name: string } | null; params: Pattern[]; body: AnyNode; expression?: boolean },
    scope: Scope,
    ownName: boolean,
  ): void {
    let outer = scope;
    if (ownName && node.id) {
      // A named function expression sees its own name in a scope of its own.
      outer = new Scope(scope, false);
      outer.declare(node.id.name);
    }
    const inner = new Scope(outer, true);
    inner.names.add('arguments');
    for (const param of node.params) this.bind(param, inner, inner);
    if (node.body.type === 'BlockStatement') this.visitStatements(node.body.body, inner);
    else this.visit(node.body, inner);
  }

  visitStatements(statements: readonly AnyNode[], scope: Scope): void {
    for (const statement of statements) this.visit(statement, scope);
  }

  visitClass(node: Extract<AnyNode, { type: 'ClassDeclaration' | 'ClassExpression' }>, scope: Scope): void {
    let inner = scope;
    if (node.id) {
      inner = new Scope(scope, false);
      inner.declare(node.id.name);
    }
    if (node.superClass) this.visit(node.superClass, inner);
    for (const member of node.body.body) {
      if (member.type === 'StaticBlock') {
        this.visitStatements(member.body, new Scope(inner, true));
        continue;
      }
      if (member.computed) this.visit(member.key, inner);
      if (member.value) this.visit(member.value, new Scope(inner, true));
    }
  }

  visit(node: AnyNode, scope: Scope): void {
    switch (node.type) {
      case 'Identifier':
        this.refer(node.name, scope, 'read');
        return;
      case 'VariableDeclaration': {
        const target = node.kind === 'var' ? scope.varScope() : scope;
        for (const declarator of node.declarations) {
          this.bind(declarator.id, target, scope);
          if (declarator.init) this.visit(declarator.init, scope);
        }
        return;
      }
      case 'FunctionDeclaration':
        if (node.id) {
          scope.declare(node.id.name);
          // Sloppy scripts also hoist block functions to the function scope (Annex B).
          scope.varScope().declare(node.id.name);
        }
        this.visitFunction(node, scope, false);
        return;
      case 'FunctionExpression':
        this.visitFunction(node, scope, true);
        return;
      case 'ArrowFunctionExpression': {
        const inner = new Scope(scope, true);
        // Arrows see the enclosing `arguments`; it never counts as free anyway.
        for (const param of node.params) this.bind(param, inner, inner);
        if (node.body.type === 'BlockStatement') this.visitStatements(node.body.body, inner);
        else this.visit(node.body, inner);
        return;
      }
      case 'ClassDeclaration':
        if (node.id) scope.declare(node.id.name);
        this.visitClass(node, scope);
        return;
      case 'ClassExpression':
        this.visitClass(node, scope);
        return;
      case 'BlockStatement':
      case 'StaticBlock':
        this.visitStatements(node.body, new Scope(scope, false));
        return;
      case 'ForStatement': {
        const inner = new Scope(scope, false);
        if (node.init) this.visit(node.init, inner);
        if (node.test) this.visit(node.test, inner);
        if (node.update) this.visit(node.update, inner);
        this.visit(node.body, inner);
        return;
      }
      case 'ForInStatement':
      case 'ForOfStatement': {
        const inner = new Scope(scope, false);
        if (node.left.type === 'VariableDeclaration') this.visit(node.left, inner);
        else this.assign(node.left, inner, 'write');
        this.visit(node.right, inner);
        this.visit(node.body, inner);
        return;
      }
      case 'SwitchStatement': {
        this.visit(node.discriminant, scope);
        const inner = new Scope(scope, false);
        for (const switchCase of node.cases) {
          if (switchCase.test) this.visit(switchCase.test, inner);
          this.visitStatements(switchCase.consequent, inner);
        }
        return;
      }
      case 'CatchClause': {
        const inner = new Scope(scope, false);
        if (node.param) this.bind(node.param, inner, inner);
        this.visitStatements(node.body.body, inner);
        return;
      }
      case 'LabeledStatement':
        this.visit(node.body, scope);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'MetaProperty':
      case 'PrivateIdentifier':
      case 'Literal':
      case 'Super':
      case 'ThisExpression':
      case 'TemplateElement':
        return;
      case 'MemberExpression':
        this.visit(node.object, scope);
        if (node.computed) this.visit(node.property, scope);
        return;
      case 'Property':
        if (node.computed) this.visit(node.key, scope);
        // A shorthand `{ x }` has the same Identifier as key and value: a reference.
        this.visit(node.value, scope);
        return;
      case 'UnaryExpression':
        if (node.operator === 'typeof' && node.argument.type === 'Identifier') this.refer(node.argument.name, scope, 'typeof', [node.start, node.end]);
        else this.visit(node.argument, scope);
        return;
      case 'AssignmentExpression':
        this.assign(node.left, scope, node.operator === '=' ? 'write' : 'readwrite');
        this.visit(node.right, scope);
        return;
      case 'UpdateExpression':
        if (node.argument.type === 'Identifier') this.refer(node.argument.name, scope, 'readwrite');
        else this.visit(node.argument, scope);
        return;
      default:
        this.visitChildren(node, scope);
    }
  }

  /** Every other node: its child nodes are expressions or statements in the same scope. */
  visitChildren(node: AnyNode, scope: Scope): void {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'loc' || key === 'range') continue;
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) this.visit(item, scope);
      } else if (isNode(value)) {
        this.visit(value, scope);
      }
    }
  }
}

/**
 * The free names of `code` (a script) and how each is used. Throws the parser's
 * SyntaxError for code acorn cannot parse, and a RangeError for code nested too deeply.
 */
export function analyzeFreeNames(code: string): Map<string, FreeNameUse> {
  return analyzeScript(code).free;
}

/** As analyzeFreeNames, plus every name the script declares anywhere. */
export function analyzeScript(code: string): ScriptNames {
  const program = parse(code, { ecmaVersion: 'latest', sourceType: 'script' });
  const root = new Scope(null, true);
  const analysis = new Analysis();
  analysis.visitStatements(program.body, root);
  const free = new Map<string, FreeNameUse>();
  for (const { name, scope, kind, range } of analysis.references) {
    if (name === 'arguments' || scope.declares(name)) continue;
    let use = free.get(name);
    if (!use) {
      use = { read: false, written: false, typeofChecked: false, typeofRanges: [] };
      free.set(name, use);
    }
    if (kind === 'typeof') {
      use.typeofChecked = true;
      if (range) use.typeofRanges.push(range);
    }
    if (kind === 'read' || kind === 'readwrite') use.read = true;
    if (kind === 'write' || kind === 'readwrite') use.written = true;
  }
  return { free, declared: root.everyName };
}
