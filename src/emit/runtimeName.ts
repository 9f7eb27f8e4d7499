/**
 * Emit: the runtime under another name, when the file itself names `$rt` (names.ts runtimeNameIn).
 *
 *   [source]   var $rt = 1;  async function f() { await null; return $rt; }
 *   [lowered]  const $rt$2 = require("unawait/runtime");
 *              var $rt = 1;  function f() { return $rt$2.promise(new f$Future()); }  ...  return $rt;
 *
 * The phases spell the runtime `$rt` (MACHINE.runtime, made by factory.ts runtimeName); this pass renames exactly those
 * identifiers (the ones in runtimeReferences), never one the user wrote, nor a name the lowering
 * derived from the user's (a field or parameter for a user `$rt`: fixtures/hygiene/cli-user-named-rt.ts,
 * globals-shadowed-runtime-name.ts).
 */
import ts from "typescript";
import { MACHINE } from "../names.js";
import { runtimeReferences } from "../normalize/factory.js";

export function renameRuntime(to: string): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (sf) => {
    if (to === MACHINE.runtime) return sf;
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isIdentifier(node)) return runtimeReferences.has(node) ? ts.factory.createIdentifier(to) : node;
      // Only references: `x.$rt` names a property, not the runtime.
      if (ts.isPropertyAccessExpression(node)) return ts.factory.updatePropertyAccessExpression(node, visit(node.expression) as ts.Expression, node.name);
      const updated = ts.visitEachChild(node, visit, context);
      // A made-up `declare` field is erased by its Ambient flag (emit/machine.ts), which an update drops.
      if (updated !== node) (updated as { flags: number }).flags |= node.flags & AMBIENT;
      return updated;
    };
    return ts.visitEachChild(sf, visit, context);
  };
}

const AMBIENT = (ts.NodeFlags as unknown as { Ambient: number }).Ambient;
