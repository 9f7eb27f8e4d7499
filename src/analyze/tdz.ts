/**
 * The temporal dead zone of the machine's `let`, `const` and `class` bindings. Natively, touching one
 * before its declaration has run throws a ReferenceError. A machine keeps such a binding in a field
 * or a slot, so it marks it `$rt.UNINITIALIZED` when its scope is entered and checks reads — but only
 * for bindings that can be read early, so that ordinary code stays unchecked:
 *
 * - a use inside a hoisted function declaration, or inside a closure written before the declaration;
 * - a use in the machine's own code written before the declaration, or in its own initializer
 *   (`let a = a`; a parameter `a = a`, which the machine binds as such a `let`);
 * - a binding of a `switch` body used in another clause than its own (a jump can skip it).
 *
 *   [source]   const peek = () => late; await 0; peek(); let late = 1;
 *   [lowered]  this.$env1 = { late: $rt.UNINITIALIZED }; ... const peek = () => $rt.tdz($env1.late, "late");
 */
import ts from "typescript";
import type { Binding, BindingInfo } from "./bindings.js";

export function bindingsWithDeadZone(info: BindingInfo, isTemporary: (name: string) => boolean): Set<Binding> {
  const out = new Set<Binding>();
  for (const b of info.machineBindings) {
    if ((b.kind !== "let" && b.kind !== "const" && b.kind !== "class") || isTemporary(b.name)) continue;
    const decl = sourceOf(b.declaration);
    if (!decl) continue;
    const early = b.uses.some(({ id, closure }) => {
      if (closure) return ts.isFunctionDeclaration(closure) || (closure.pos >= 0 && closure.pos < decl.pos);
      return id.pos >= 0 && id.pos < decl.end;
    });
    if (early || usedAcrossClauses(b)) out.add(b);
  }
  return out;
}

/**
 * Where a declaration is in the source. The `let` that binds a parameter in the machine's first state
 * is made by the pipeline (`bindParameters`) and stands for the parameter, its original node:
 *   [source]   async (x = y, y) => {}
 *   [lowered]  let x = $args[0] === undefined ? $rt.tdz(y, "y") : $args[0]; let y = $args[1];
 * (fixture hygiene/params-tdz)
 */
function sourceOf(decl: ts.Node | undefined): ts.ReadonlyTextRange | undefined {
  if (!decl) return undefined;
  if (decl.pos >= 0) return decl;
  const original = ts.getOriginalNode(decl);
  return original.pos >= 0 ? original : undefined;
}

function usedAcrossClauses(b: Binding): boolean {
  const block = b.scope.node;
  if (!ts.isCaseBlock(block) || !b.declaration) return false;
  const clauseOf = (pos: number) => block.clauses.findIndex((c) => c.pos <= pos && pos < c.end);
  const home = clauseOf(b.declaration.pos);
  return b.uses.some(({ id }) => id.pos >= 0 && clauseOf(id.pos) !== home);
}
