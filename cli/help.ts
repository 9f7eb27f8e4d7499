import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const HELP = `unawait: lower async functions and generators into explicit state machines (poll() and resume())

Usage:
  unawait FILE [options]                print the lowered TypeScript, formatted
  unawait lower FILE|- [options]        print the lowered code (- reads the source from stdin)
  unawait run FILE [options] [-- ARGS]  lower FILE to JavaScript and run it with node,
                                        passing ARGS, stdin, stdout, stderr and the exit code;
                                        a FILE that exports main runs main() as the root task
                                        of an executor (import from "unawait/runtime" freely)
  unawait check FILE [options]          run FILE natively and lowered and compare stdout,
                                        exit code and uncaught error; print "same output"
                                        or the differences (each run is stopped after 10 s)
  unawait graph FILE [options]          print the state graph of each machine, as Mermaid
                                        (drawn in place by GitHub and most Markdown viewers)
                                        or, with --dot, Graphviz DOT

Options:
  --mode promise|future    promise: behaves exactly like native async (default);
                           future: Rust's lazy futures. A "// @unawait-mode future"
                           comment in the file overrides this.
  --function NAME          lower only the function NAME
  --js                     lower: print JavaScript instead of TypeScript
  --runtime import|inline  lower: import the runtime from "unawait/runtime" (default)
                           or paste it into the output so the output runs on its own
  -o, --out OUT            lower, graph: write the output to OUT instead of stdout; nothing
                           is written when there are errors
  --diff                   lower: print a unified diff from the source to the lowered code
  --phase PHASE            lower: print a phase boundary instead: normalize (awaits lifted to
                                        statements), ir (instructions), states, or layout (fields,
                                        locals, environments, what is live where)
  --strict                 a function with \`with\` or a direct \`eval\` is an error; without
                           it, it is left native (not lowered) with a warning
  --lang js|ts             lower: the source's language, when the file name does not say
                           (stdin: JavaScript when it parses as JavaScript, else TypeScript)
  --module, --script       lower: read the source as a module or as a script (default: a
                           module when it imports, exports or awaits at the top level)
  --dot                    graph: print Graphviz DOT (dot -Tsvg) instead of Mermaid
  --clock real|virtual     run: the executor's clock for main (default real); virtual:
                           time jumps to the next timer whenever every task waits, so
                           sleeps take no time and every run does the same
  --trace                  run: print every spawn, poll (states before and after, with
                           their lines), wake, completion and drop on stderr
  -h, --help               print this help
  --version                print the version

Errors and warnings go to stderr as file:line:col: error CODE: message, with the
source line. A file literally named lower, run, check or graph can be given as ./lower.

Exit codes:
  0   success
  1   errors in the source (warnings alone do not fail), or check found differences
  2   usage error: unknown option, missing or unreadable file
  70  internal error in unawait (please report it, with the message and stack)

Examples:
  unawait shop.ts
  unawait lower shop.ts --js --runtime inline -o shop.js
  cat shop.ts | unawait lower - --diff
  unawait run server.ts --mode future -- --port 8080
  unawait run fixtures/seeds/join-two-tasks.ts --mode future --clock virtual --trace
  unawait check fixtures/basics/example-total.ts
  unawait graph fixtures/basics/example-total.ts --function total
`;

/** The version in our package.json, found by walking up from this file (src or dist). */
export function readVersion(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (manifest.name === "unawait" && typeof manifest.version === "string") return manifest.version;
    } catch {
      // no package.json here; keep walking up
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error("cannot find unawait's package.json");
    directory = parent;
  }
}
