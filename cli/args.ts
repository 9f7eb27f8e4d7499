import { parseArgs, type ParseArgsConfig } from "node:util";
import type { Mode, Phase } from "../src/index.js";
import { UsageError } from "./usage-error.js";

/** What the command line asked for, validated. */
export type Invocation =
  | { command: "help" }
  | { command: "version" }
  | ({ command: "lower" } & LowerArgs)
  | ({ command: "run" } & RunArgs)
  | ({ command: "check" } & CheckArgs)
  | ({ command: "graph" } & GraphArgs);

export interface LoweringArgs {
  /** A path, or "-" for stdin (lower only). */
  file: string;
  mode: Mode;
  functionName: string | undefined;
  /** A function with `with` or direct `eval` is an error, not left native with a warning. */
  strict: boolean;
}

export interface LowerArgs extends LoweringArgs {
  target: "ts" | "js";
  runtime: "import" | "inline";
  out: string | undefined;
  diff: boolean;
  /** Print this phase boundary instead of the lowered code. */
  phase: Phase | undefined;
  /** The source's language, when the file name does not say it right (stdin). */
  lang: "js" | "ts" | undefined;
  /** The source's goal, when the text does not say it right. */
  sourceType: "module" | "script" | undefined;
}

export interface RunArgs extends LoweringArgs {
  /** Everything after `--`, for the program. */
  programArgs: string[];
  /** The clock of the executor that runs an exported `main`. */
  clock: "real" | "virtual";
  /** Print every spawn, poll, wake, completion and drop of the executor on stderr. */
  trace: boolean;
}

export type CheckArgs = LoweringArgs;

export interface GraphArgs extends LoweringArgs {
  /** Graphviz DOT instead of Mermaid. */
  dot: boolean;
  out: string | undefined;
}

type CommandName = "lower" | "run" | "check" | "graph";
const COMMANDS: readonly CommandName[] = ["lower", "run", "check", "graph"];

const OPTIONS = {
  mode: { type: "string" },
  function: { type: "string" },
  js: { type: "boolean" },
  runtime: { type: "string" },
  out: { type: "string", short: "o" },
  diff: { type: "boolean" },
  phase: { type: "string" },
  clock: { type: "string" },
  trace: { type: "boolean" },
  dot: { type: "boolean" },
  strict: { type: "boolean" },
  lang: { type: "string" },
  module: { type: "boolean" },
  script: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

type OptionName = keyof typeof OPTIONS;

/** Which options each command accepts (help and version are accepted everywhere). */
const ACCEPTED: Record<CommandName, readonly OptionName[]> = {
  lower: ["mode", "function", "js", "runtime", "out", "diff", "phase", "strict", "lang", "module", "script"],
  run: ["mode", "function", "clock", "trace", "strict"],
  check: ["mode", "function", "strict"],
  graph: ["mode", "function", "dot", "out", "strict"],
};

/**
 * Parses `argv` (without `node` and the script). The first positional argument names the
 * command when it is one of lower/run/check/graph; otherwise the command is `lower` and it is the FILE.
 * Throws `UsageError` with a plain sentence for anything it cannot accept.
 */
export function parseInvocation(argv: readonly string[]): Invocation {
  // strict: false so that we, not parseArgs, word the errors; the tokens tell us everything.
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });

  const given = new Map<OptionName, string | true>();
  const positionals: string[] = [];
  const afterTerminator: string[] = [];
  let terminated = false;
  for (const token of tokens) {
    if (token.kind === "option-terminator") terminated = true;
    else if (token.kind === "positional") (terminated ? afterTerminator : positionals).push(token.value);
    else given.set(checkOption(token.name, token.rawName, token.value, token.inlineValue), token.value ?? true);
  }

  if (given.has("help")) return { command: "help" };
  if (given.has("version")) return { command: "version" };

  const command = COMMANDS.find((name) => name === positionals[0]);
  if (command !== undefined) positionals.shift();
  const name = command ?? "lower";
  for (const option of given.keys()) {
    if (!ACCEPTED[name].includes(option)) {
      throw new UsageError(`option --${option} does not apply to '${command ?? "unawait FILE"}'`);
    }
  }

  // Only `run` passes arguments on; elsewhere `--` just ends the options (`lower -- -odd.ts`).
  const operands = name === "run" ? positionals : [...positionals, ...afterTerminator];
  const programArgs = name === "run" ? afterTerminator : [];
  const [file, ...extra] = operands;
  if (file === undefined) {
    throw new UsageError(command === undefined ? "no input file given" : `'${command}' needs a FILE`);
  }
  if (extra.length > 0) {
    const hint = name === "run" ? "; to pass arguments to the program, put them after --" : "";
    throw new UsageError(`unexpected argument '${extra[0]}'${hint}`);
  }
  if (file === "-" && name === "run") {
    throw new UsageError("'run' cannot read the program from stdin (the program gets the stdin); give a FILE");
  }

  const lowering: LoweringArgs = {
    file,
    mode: choice(given, "mode", ["promise", "future"], "promise"),
    functionName: stringValue(given, "function"),
    strict: given.has("strict"),
  };
  switch (name) {
    case "lower":
      return {
        command: "lower",
        ...lowering,
        target: given.has("js") ? "js" : "ts",
        runtime: choice(given, "runtime", ["import", "inline"], "import"),
        out: stringValue(given, "out"),
        diff: given.has("diff"),
        phase: given.has("phase") ? choice<Phase>(given, "phase", ["normalize", "ir", "states", "layout"], "ir") : undefined,
        lang: given.has("lang") ? choice<"js" | "ts">(given, "lang", ["js", "ts"], "ts") : undefined,
        sourceType: goal(given),
      };
    case "run":
      return { command: "run", ...lowering, programArgs, clock: choice(given, "clock", ["real", "virtual"], "real"), trace: given.has("trace") };
    case "check":
      // Only promise mode promises native behaviour; a future-mode program is lazy on purpose.
      if (lowering.mode === "future") throw new UsageError("'check' compares with native, which only promise mode matches; run a future-mode program with 'unawait run FILE --mode future'");
      return { command: "check", ...lowering };
    case "graph":
      return { command: "graph", ...lowering, dot: given.has("dot"), out: stringValue(given, "out") };
    default: {
      const unknown: never = name;
      throw new Error(`unhandled command ${String(unknown)}`);
    }
  }
}

function goal(given: ReadonlyMap<OptionName, string | true>): "module" | "script" | undefined {
  if (given.has("module") && given.has("script")) throw new UsageError("--module and --script cannot both be given");
  return given.has("module") ? "module" : given.has("script") ? "script" : undefined;
}

/** Validates one option token and returns its name. */
function checkOption(name: string, rawName: string, value: string | undefined, inlineValue: boolean | undefined): OptionName {
  if (!isOptionName(name)) throw new UsageError(`unknown option ${rawName}`);
  const spelled = rawName.startsWith("--") ? rawName : `${rawName} (--${name})`;
  if (OPTIONS[name].type === "boolean") {
    if (value !== undefined) throw new UsageError(`option ${spelled} takes no value`);
    return name;
  }
  // A value that looks like another option means the real value was forgotten: `-o --js`.
  if (value === undefined || value === "" || (!inlineValue && value.startsWith("-") && value !== "-")) {
    throw new UsageError(`option ${spelled} needs a value`);
  }
  return name;
}

function isOptionName(name: string): name is OptionName {
  return Object.hasOwn(OPTIONS, name);
}

function stringValue(given: ReadonlyMap<OptionName, string | true>, name: OptionName): string | undefined {
  const value = given.get(name);
  return typeof value === "string" ? value : undefined;
}

function choice<T extends string>(given: ReadonlyMap<OptionName, string | true>, name: OptionName, allowed: readonly T[], fallback: T): T {
  const value = stringValue(given, name);
  if (value === undefined) return fallback;
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw new UsageError(`--${name} must be ${allowed.join(" or ")}, not '${value}'`);
  return match;
}
