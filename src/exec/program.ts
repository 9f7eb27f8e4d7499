/**
 * A program ready to run: JavaScript text, and whether Node must load it as an ES module
 * (written as `.mjs`) or as a classic script (written as `.cjs`, sloppy mode unless it says
 * "use strict" itself).
 */
export interface Program {
  code: string;
  kind: ProgramKind;
  /** The source file it came from, for messages. */
  fileName: string;
}

export type ProgramKind = "module" | "script";
