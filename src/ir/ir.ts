/**
 * The instruction set the builder emits and the splitter cuts into states. Small on purpose; each
 * instruction reads as the TypeScript it becomes (see emit/machine.ts):
 *
 *   instruction                         becomes
 *   ----------------------------------  ------------------------------------------------------------
 *   stmt S                              S, with the machine's bindings rewritten to their homes
 *   label L                             the start of a state: `case N: // what L is (line)`
 *   suspend await OPERAND → L           promise mode: $rt.awaitNatively(OPERAND); this.$state = N; return $rt.PENDING;
 *                                       future mode:  this.$awaitee = $rt.intoFuture(OPERAND); this.$state = N;
 *   resume await [TARGET]               promise mode: [TARGET =] $rt.awaited();
 *                                       future mode:  const $result = this.$awaitee.poll(cx);
 *                                       if ($result === $rt.PENDING) return $result;
 *                                       this.$awaitee = null; TARGET = $result;
 *   suspend await|yield|yieldStar|return OPERAND → L   (generators)
 *                                       this.$out = OPERAND; this.$state = N; return $rt.AWAIT (YIELD, …);
 *   resume yield                        if (how === $rt.THROW) throw sent;
 *                                       (then `if (how === $rt.RETURN) «return sent»` and `x = sent`
 *                                       follow as ordinary instructions)
 *   jump L                              this.$state = N; continue;
 *   jumpIf COND L / jumpUnless COND L   if (COND) { this.$state = N; continue; }
 *   return VALUE                        return this.$done(VALUE);  (DONE)
 *   dropTaken F… L                      if (this.$dropsTaken(this.$completionF…)) { this.$state = N; return $rt.DROP_RETURN; }
 *   complete F KIND VALUE|L             this.$completionF = { type: KIND, ... }  (then jump to F)
 *   endFinally F                        carry on with the completion the finally interrupted
 *   enterScope SCOPE                    create the environment of captured bindings; hoist functions
 *   catchBind NAME                      NAME = the caught exception
 */
import type ts from "typescript";
import type { Scope } from "../analyze/bindings.js";

export type Label = number;

/** What a machine suspends for: an `await`, a `yield`, and in generators a `yield*` and a `return` that the function around performs. */
export type SuspendKind = "await" | "yield" | "yieldStar" | "return";

export interface LabelInfo {
  id: Label;
  /** What the state is, for the `case` comment and the legend. */
  what: string;
  /** 1-based source line. */
  line: number;
  /** Entered after a suspension. */
  resume: boolean;
  /** Region stack when the label was placed: decides where exceptions go. */
  handlers: Handler[];
  /** Tries whose finally block an exception thrown here leaves before its handler (async generators: runtime DROP_RETURN). */
  leftByThrow?: number[];
}

/** Where an exception thrown in a state goes (innermost first). */
export type Handler =
  | { kind: "catch"; tryId: number; target: Label }
  | { kind: "finally"; tryId: number; target: Label };

export type Completion =
  | { type: "normal" }
  | { type: "return"; value: ts.Expression | undefined }
  | { type: "jump"; target: Label }
  /** Re-raise the completion of another finally (`$completionN`) into this one. */
  | { type: "forward"; from: number };

export type Instr =
  | { op: "stmt"; node: ts.Statement }
  | { op: "label"; label: Label }
  | { op: "suspend"; kind: SuspendKind; operand: ts.Expression | undefined; resume: Label; index: number }
  | { op: "resume"; kind: "await" | "yield"; target?: ts.Identifier }
  | { op: "jump"; target: Label }
  | { op: "jumpIf"; cond: ts.Expression; whenTrue: boolean; target: Label }
  | { op: "return"; value: ts.Expression | undefined }
  | { op: "complete"; tryId: number; completion: Completion }
  | { op: "endFinally"; tryId: number; next: Label; returnRoute: Instr[]; jumpRoutes: Map<Label, Instr[]> }
  | { op: "enterScope"; scope: Scope; hoisted: ts.FunctionDeclaration[]; copyFrom?: boolean }
  | { op: "catchBind"; name: ts.BindingName | undefined }
  /** An async generator's jump out of these finally blocks: drop the returns they ran for (runtime DROP_RETURN), then go on at TARGET. */
  | { op: "dropTaken"; tryIds: number[]; target: Label }
  /** Instructions that must run inside a statement kept as it is (a jump out of an untouched `if`). */
  | { op: "inline"; instrs: Instr[] };

export interface TryRecord {
  id: number;
  /** The name of the completion field of its finally, when it has one. */
  completionField?: string;
}
