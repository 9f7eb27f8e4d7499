/**
 * The public shapes of the library API: what `lower()` takes and what it returns.
 * Kept apart from the implementation so that the CLI, the plugin and tool authors
 * depend on data, not on the pipeline's internals.
 */

/** promise: indistinguishable from native (default). future: Rust's lazy model. */
export type Mode = "promise" | "future";

/** The phase boundaries the CLI can print (`--phase`). */
export type Phase = "normalize" | "ir" | "states" | "layout";

export interface LowerOptions {
  /** Used in diagnostics, legends and source maps. Default "input.ts". */
  fileName?: string;
  /** Default "promise". A `// @unawait-mode future` pragma in the file overrides it. */
  mode?: Mode;
  /** "ts" prints TypeScript (types kept); "js" prints runnable JavaScript. Default "ts". */
  target?: "ts" | "js";
  /**
   * How the lowered code reaches the runtime. "import" adds `import * as $rt from "unawait/runtime"`
   * (or a `require` in a CommonJS script); "inline" pastes the runtime into the output so that
   * it runs on its own. Default "import".
   */
  runtime?: "import" | "inline";
  /**
   * Print a phase boundary instead of the lowered program: the normalized body, the IR, the states
   * or the layout of each machine (DESIGN.md §3). For reading; the format is not stable.
   */
  phase?: Phase;
  /** Only lower (and print) the machine of the function with this name. */
  functionName?: string;
  /**
   * A function with `with` or a direct `eval` cannot be lowered faithfully; in promise mode it is
   * left native with a warning (UA1002, UA1003). `strict: true` makes that an error. (In future
   * mode it always is.)
   */
  strict?: boolean;
  /**
   * The language of the source. Default: the file name's extension says; a name that says nothing
   * (`<stdin>`) is read as JavaScript when it parses as JavaScript, else as TypeScript.
   */
  lang?: "js" | "ts";
  /**
   * The goal the source is parsed and run in. Default: a module when it imports or exports, or when
   * it parses only as a module (a top-level `await`); else a script.
   */
  sourceType?: "module" | "script";
}

export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  /** A stable code, for example "UA1001". */
  code: string;
  message: string;
  fileName: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** 0-based offsets into the source, for code frames. */
  start: number;
  length: number;
}

/** One row of a machine's legend: a state, what it is, and the fields live on entry. */
export interface StateInfo {
  id: number;
  /** What the state is: "start", "resume after await #1 `load(id)`", "loop head: for (...)". */
  label: string;
  /** 1-based source line the state comes from. */
  line: number;
  /** True for a state entered after a suspension (await). */
  resume: boolean;
  /** Fields live on entry to this state. */
  live: string[];
}

export interface FieldInfo {
  name: string;
  /** The user's name for it, or undefined for machinery ($iter1, $left1, ...). */
  source?: string;
  /** The TypeScript type written for it (from an annotation), or undefined. */
  type?: string;
}

export interface TryInfo {
  /** States protected by this try block. */
  states: number[];
  catchState?: number;
  finallyState?: number;
}

/**
 * A way control goes from one state to another (or out): the edges of the state graph.
 * - `next`: falls off the end of the state into the next one; `jump`: sets `$state` and goes on.
 * - `await`, `yield`, `yield*`: suspends there, and is resumed in the target state.
 * - `return`: the body returns (to DONE; a generator's `return` is resumed in the target state,
 *   which runs the finally blocks around it).
 * - `catch`, `finally`: where an exception thrown in the state goes (the try table).
 */
export interface EdgeInfo {
  from: number;
  to: number | "DONE";
  kind: "next" | "jump" | "await" | "yield" | "yield*" | "return" | "catch" | "finally";
}

export interface MachineInfo {
  /** The function's name as the user wrote it, or a name derived from its position. */
  name: string;
  /** The generated class name, e.g. `total$Future`. */
  className: string;
  kind: "async function" | "generator" | "async generator";
  fileName: string;
  line: number;
  column: number;
  states: StateInfo[];
  fields: FieldInfo[];
  tryTable: TryInfo[];
  /** The state graph. */
  edges: EdgeInfo[];
}

export interface SourceMapV3 {
  version: 3;
  file?: string;
  sources: string[];
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
}

export interface LowerResult {
  code: string;
  map?: SourceMapV3;
  machines: MachineInfo[];
  diagnostics: Diagnostic[];
}
