/**
 * Visiting a subtree outside a transformation: TypeScript's own do-nothing context, which its
 * public typings do not list. Used for rewrites that never open a function body's lexical scope.
 */
import ts from "typescript";

export const plainContext: ts.TransformationContext = (ts as unknown as { nullTransformationContext: ts.TransformationContext }).nullTransformationContext;
