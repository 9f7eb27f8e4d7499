/**
 * Emit (promise mode): lowered async methods keep the prototype of an async method.
 *
 *   [source]   class Api { async get(id) { … } static async open() { … } }
 *   [lowered]  class Api {
 *                static { $rt.asyncMethods(this, ["open"]); $rt.asyncMethods(this.prototype, ["get"]); }
 *                get(id) { return $rt.promise(new Api$get$Future(this, id)); }
 *                static open() { return $rt.promise(new Api$open$Future()); }
 *              }
 *   [source]   const api = { async get(id) { … } };
 *   [lowered]  const api = $rt.asyncMethods({ get(id) { return $rt.promise(…); } }, ["get"]);
 *
 * A lowered method is a plain method (no constructor, no `prototype`, its own `this` and `super`),
 * whose prototype is Function.prototype; an async method's is AsyncFunction.prototype, which is what
 * `fn.constructor`, `Object.prototype.toString` and libraries that look for async functions see.
 * The methods are marked by key once they are defined: a class's first static block runs after
 * all its methods are defined and before its static fields; an object literal is marked as soon
 * as it is made.
 *
 * A key is marked only if nothing later in the same class or literal can have redefined it: no
 * later member with the same key or with a computed key (other than `Symbol.x`), and in a literal
 * no later spread. Methods with computed keys (`async [name]()`) and private instance methods are
 * not marked (README: known differences); a private static method is marked by name
 * (`$rt.asyncFunction(this.#open)`).
 */
import ts from "typescript";
import { f, hasModifier, runtimeCall, stmt } from "../normalize/factory.js";

/** The class's first static block marking its lowered async methods, if it has any. */
export function asyncMethodsBlock(original: readonly ts.ClassElement[], lowered: readonly ts.ClassElement[]): ts.ClassStaticBlockDeclaration | undefined {
  if (original.length !== lowered.length) return undefined;
  const keys = { static: [] as string[], instance: [] as string[] };
  const statements: ts.Statement[] = [];
  original.forEach((m, i) => {
    if (!wasLowered(m, lowered[i]!)) return;
    const isStatic = hasModifier(m, ts.SyntaxKind.StaticKeyword);
    if (ts.isPrivateIdentifier(m.name!)) {
      if (isStatic) statements.push(stmt(runtimeCall("asyncFunction", [f.createPropertyAccessExpression(f.createThis(), m.name)])));
      return;
    }
    const key = staticKey(m.name!);
    const later = original.slice(i + 1).filter((x) => hasModifier(x, ts.SyntaxKind.StaticKeyword) === isStatic && x.name !== undefined && !ts.isPrivateIdentifier(x.name));
    if (key === undefined || later.some((x) => mayDefine(x.name!, key))) return;
    (isStatic ? keys.static : keys.instance).push(key);
  });
  const mark = (holder: ts.Expression, names: string[]): void => {
    if (names.length) statements.push(stmt(runtimeCall("asyncMethods", [holder, keyList(names)])));
  };
  mark(f.createThis(), keys.static);
  mark(f.createPropertyAccessExpression(f.createThis(), "prototype"), keys.instance);
  return statements.length ? f.createClassStaticBlockDeclaration(f.createBlock(statements, false)) : undefined;
}

/** The object literal, marked around if it has lowered async methods. */
export function markedObjectLiteral(original: ts.ObjectLiteralExpression, lowered: ts.ObjectLiteralExpression): ts.Expression {
  const props = original.properties;
  if (props.length !== lowered.properties.length) return lowered;
  const keys: string[] = [];
  props.forEach((p, i) => {
    if (!wasLowered(p, lowered.properties[i]!)) return;
    const key = staticKey(p.name!);
    const overridable = (x: ts.ObjectLiteralElementLike): boolean => ts.isSpreadAssignment(x) || x.name === undefined || mayDefine(x.name, key!);
    if (key === undefined || props.slice(i + 1).some(overridable)) return;
    keys.push(key);
  });
  return keys.length ? runtimeCall("asyncMethods", [lowered, keyList(keys)]) : lowered;
}

/** An `async` method (not a generator) that the transformer turned into a plain method. */
function wasLowered(original: ts.Node, lowered: ts.Node): boolean {
  return ts.isMethodDeclaration(original) && !original.asteriskToken && hasModifier(original, ts.SyntaxKind.AsyncKeyword) && ts.isMethodDeclaration(lowered) && !hasModifier(lowered, ts.SyntaxKind.AsyncKeyword);
}

/**
 * Can a member named `name` define the string key `key`? A computed name written `Symbol.iterator`
 * (a member of the global `Symbol`) is taken to be a symbol; other computed names may be anything.
 */
function mayDefine(name: ts.PropertyName, key: string): boolean {
  if (ts.isComputedPropertyName(name) && ts.isPropertyAccessExpression(name.expression) && ts.isIdentifier(name.expression.expression) && name.expression.expression.text === "Symbol") return false;
  const other = staticKey(name);
  return other === undefined || other === key;
}

/** The property key a name always defines, or undefined when only running the program can tell. */
function staticKey(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isNumericLiteral(name)) {
    // `017` is a legacy octal in sloppy code; leave such keys alone.
    if (/^0\d/.test(name.text)) return undefined;
    const value = Number(name.text.replace(/_/g, ""));
    return Number.isNaN(value) ? undefined : String(value);
  }
  if (ts.isComputedPropertyName(name) && ts.isStringLiteral(name.expression)) return name.expression.text;
  return undefined;
}

function keyList(keys: readonly string[]): ts.ArrayLiteralExpression {
  return f.createArrayLiteralExpression(keys.map((k) => f.createStringLiteral(k)));
}
