/**
 * `case (x):` followed by a statement that starts with a keyword TypeScript also reads as a type
 * (`try`, `do`): the engine accepts it, but TypeScript's parser reads `(x): try` as the head of an
 * arrow function with a return type and gives up ("'=>' expected"). Parentheses around a whole case
 * test change nothing (a case test is a full Expression), so for TypeScript's parse they are
 * respelled as spaces — same length, so every position and the source map stay as they are.
 *
 *   [source]   case (a = "x"):  try { ... }
 *   [parsed]   case  a = "x" :  try { ... }
 *
 * Only used when the file as written does not parse, and only where TypeScript's own parse shows the
 * misreading: a case test that came out as an arrow function.
 */
import ts from "typescript";

/** Where the first token at or after `pos` starts (comments and white space skipped). */
function nextTokenStart(source: string, pos: number): number {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, source);
  scanner.resetTokenState(pos);
  scanner.scan();
  return scanner.getTokenStart();
}

export function respellCaseTests(source: string, parsed: ts.SourceFile): string | undefined {
  const parens: number[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCaseClause(n) && ts.isArrowFunction(n.expression)) {
      const open = n.expression.getStart(parsed);
      const close = nextTokenStart(source, n.expression.parameters.end);
      if (source[open] === "(" && source[close] === ")") parens.push(open, close);
    }
    ts.forEachChild(n, visit);
  };
  visit(parsed);
  if (parens.length === 0) return undefined;
  const text = [...source];
  for (const at of parens) text[at] = " ";
  return text.join("");
}
