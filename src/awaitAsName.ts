/**
 * `await` as a plain name in a script: `var await = 2; await in o`. The engine accepts it (top-level
 * `await` exists only in modules), but TypeScript's parser reads `await` before `in` or `instanceof`
 * as an `await` expression missing its operand. Those occurrences are respelled with a placeholder
 * of the same length (so every position, and the source map, stay as they are) for TypeScript's
 * parse, and spelled `await` again in the output.
 *
 *   [source]   console.log(await in {2: 0});
 *   [parsed]   console.log($awt0 in {2: 0});      [output]  console.log(await in {2: 0});
 *
 * Only used when the file as written does not parse, and only where TypeScript's own parse shows
 * the misreading: in valid code, `await` followed by `in` or `instanceof` can only be a name.
 */
import ts from "typescript";

export interface Respelled {
  text: string;
  placeholder: string;
}

export function respellAwaitNames(source: string, parsed: ts.SourceFile): Respelled | undefined {
  const placeholder = ["$awt0", "$awt1", "$awt2", "$awt3", "$awt4", "$awt5", "$awt6", "$awt7", "$awt8", "$awt9"].find((p) => !source.includes(p));
  if (!placeholder) return undefined;
  // In the failed parse they are `await` expressions with a missing operand, left of `in`/`instanceof`.
  const at: number[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.InKeyword || n.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword)) {
      const left = n.left;
      if (ts.isAwaitExpression(left) && left.expression.pos === left.expression.end) at.push(left.getStart(parsed));
    }
    ts.forEachChild(n, visit);
  };
  visit(parsed);
  if (at.length === 0) return undefined;
  let text = source;
  for (const start of at) text = text.slice(0, start) + placeholder + text.slice(start + placeholder.length);
  return { text, placeholder };
}

/** The output spelled with `await` again. */
export function restoreAwaitNames(code: string, respelled: Respelled | undefined): string {
  return respelled ? code.split(respelled.placeholder).join("await") : code;
}
