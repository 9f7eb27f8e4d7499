/**
 * An `in` expression inside an array literal inside a `for` head. The engine accepts it (an array
 * literal's elements allow `in` again, as parentheses and object literals do), but TypeScript's
 * parser keeps the head's "no `in`" context inside array literals and stops at the `in`
 * ("',' expected"). Such an `in` is respelled `<=` for TypeScript's parse: an operator of the same
 * length (every position, and the source map, stay as they are), the same precedence and the same
 * associativity, so the tree is the engine's with one operator renamed. After the lowering, the
 * operator is turned back into `in`, in parentheses: printed in a `for` head again, it must parse
 * for TypeScript as well as for the engine (fixtures/hygiene/loop-head-in-array-literal.ts).
 *
 *   [source]   for ([x = "x" in {}] of xs) ...
 *   [parsed]   for ([x = "x" <= {}] of xs) ...        [output]  for ([x = ("x" in {})] of xs) ...
 *
 * Only used when the file as written does not parse, and only where TypeScript's own parse shows
 * the misreading: a "',' expected" at an `in` keyword that, respelled, is an operator with an array
 * literal between it and the `for` head. There the engine reads it as `in`.
 */
import ts from "typescript";

/** TypeScript's "'{0}' expected." diagnostic. */
const EXPECTED = 1005;

export interface RespelledIns {
  text: string;
  /** Where each respelled `in` starts (the same offset in the source and in `text`). */
  at: number[];
}

export function respellInOperators(source: string, parsed: ts.SourceFile, parse: (text: string) => ts.SourceFile): RespelledIns | undefined {
  const diagnostics = (parsed as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const candidates = diagnostics.filter((d) => d.code === EXPECTED && isInKeywordAt(source, d.start)).map((d) => d.start);
  if (candidates.length === 0) return undefined;
  // TypeScript's recovery from the misreading varies; its parse of the respelled text says which
  // `<=` stand inside an array literal in a `for` head, where the engine reads them as `in`.
  const respelled = parse(respellAt(source, candidates));
  const at = candidates.filter((pos) => inArrayLiteralInForHead(respelled, pos));
  return at.length === 0 ? undefined : { text: respellAt(source, at), at };
}

function isInKeywordAt(source: string, start: number): boolean {
  return source.startsWith("in", start) && !/[\p{ID_Continue}$\u200c\u200d\\]/u.test(source[start + 2] ?? "");
}

/** Is the token at `pos` a `<=` with an array literal between it and the `for` head it is in? */
function inArrayLiteralInForHead(sf: ts.SourceFile, pos: number): boolean {
  const token = innermostAt(sf, pos);
  if (token.kind !== ts.SyntaxKind.LessThanEqualsToken || token.getStart(sf) !== pos || !ts.isBinaryExpression(token.parent)) return false;
  let inArray = false;
  for (let n: ts.Node = token.parent; n.parent; n = n.parent) {
    if (ts.isArrayLiteralExpression(n)) inArray = true;
    const p = n.parent;
    if ((ts.isForStatement(p) || ts.isForInStatement(p) || ts.isForOfStatement(p)) && p.initializer === n) return inArray;
  }
  return false;
}

/** The deepest node whose own text (trivia left out) contains `pos`. */
function innermostAt(sf: ts.SourceFile, pos: number): ts.Node {
  let found: ts.Node = sf;
  const visit = (n: ts.Node): void => {
    if (n.getStart(sf) <= pos && pos < n.end) {
      found = n;
      ts.forEachChild(n, visit);
    }
  };
  ts.forEachChild(sf, visit);
  return found;
}

/**
 * Every `in` TypeScript's parser misreads in `source`, found parse after parse (an `in` after a
 * respelled one, `[a in b in c]`, is misread only then); `parse` reads a text as the caller does.
 */
export function misreadInOperators(source: string, parse: (text: string) => ts.SourceFile): number[] {
  const at: number[] = [];
  for (let text = source, again = respellInOperators(text, parse(text), parse); again; text = again.text, again = respellInOperators(text, parse(text), parse)) at.push(...again.at);
  return at;
}

/** The source with `<=` for the `in` at each of `at`. */
export function respellAt(source: string, at: readonly number[]): string {
  let text = source;
  for (const start of at) text = text.slice(0, start) + "<=" + text.slice(start + 2);
  return text;
}

/**
 * The transformer (run after the lowering) that spells the respelled operators `in` again. The
 * lowering keeps a binary expression's operator token (normalize/spill.ts updates the operands
 * only), so the parsed `<=` token, at its offset, says which ones were `in`. An operator it cannot
 * find again is an internal error: printing `<=` would run differently from the source.
 */
export function restoreInOperators(respelledAt: readonly number[], onMissing: (at: number) => void): ts.TransformerFactory<ts.SourceFile> {
  const wanted = new Set(respelledAt);
  return (context) => (file) => {
    const f = context.factory;
    const restored = new Set<number>();
    const visit = (n: ts.Node): ts.Node => {
      const visited = ts.visitEachChild(n, visit, context);
      if (!ts.isBinaryExpression(visited)) return visited;
      const op = visited.operatorToken;
      const at = op.end - 2;
      if (op.kind !== ts.SyntaxKind.LessThanEqualsToken || op.pos < 0 || !wanted.has(at)) return visited;
      restored.add(at);
      return f.createParenthesizedExpression(f.updateBinaryExpression(visited, visited.left, f.createToken(ts.SyntaxKind.InKeyword), visited.right));
    };
    const out = ts.visitNode(file, visit) as ts.SourceFile;
    for (const at of respelledAt) if (!restored.has(at)) onMissing(at);
    return out;
  };
}

/**
 * The transformer (run first) that gives the parsed file's text its `in`s back, so the source
 * lines the lowering quotes in its comments and state labels (pipeline.ts shortText) read as
 * written. Only the operators differ, and an operator token is printed from its kind, not its text.
 */
export function quoteInOperatorsAsWritten(respelledAt: readonly number[]): ts.TransformerFactory<ts.SourceFile> {
  return () => (file) => {
    let text = file.text;
    for (const start of respelledAt) if (text.startsWith("<=", start)) text = text.slice(0, start) + "in" + text.slice(start + 2);
    (file as { text: string }).text = text;
    return file;
  };
}
