#!/usr/bin/env node
/**
 * The `unawait` command. Parsing lives in args.ts, each command in commands/; this file only
 * dispatches and turns failures into messages and exit codes:
 *   usage errors → one sentence + "see unawait --help", exit 2
 *   anything unexpected → "internal error: ..." + stack, exit 70
 */
import { parseInvocation, type Invocation } from "./args.js";
import { HELP, readVersion } from "./help.js";
import { ExitCode, UsageError } from "./usage-error.js";

async function main(argv: readonly string[]): Promise<number> {
  try {
    return await dispatch(parseInvocation(argv));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`unawait: ${error.message} (see unawait --help)\n`);
      return ExitCode.usage;
    }
    const detail = error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error);
    process.stderr.write(`unawait: internal error: ${detail}\n`);
    return ExitCode.internal;
  }
}

/** Commands are imported on demand: TypeScript takes half a second to load, --help should not wait. */
async function dispatch(invocation: Invocation): Promise<number> {
  switch (invocation.command) {
    case "help":
      process.stdout.write(HELP);
      return ExitCode.ok;
    case "version":
      process.stdout.write(`${readVersion()}\n`);
      return ExitCode.ok;
    case "lower":
      return (await import("./commands/lower.js")).lowerCommand(invocation);
    case "run":
      return (await import("./commands/run.js")).runCommand(invocation);
    case "check":
      return (await import("./commands/check.js")).checkCommand(invocation);
    case "graph":
      return (await import("./commands/graph.js")).graphCommand(invocation);
    default: {
      const unknown: never = invocation;
      throw new Error(`unhandled command ${JSON.stringify(unknown)}`);
    }
  }
}

// A reader that stops early (`unawait x.ts | head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? ExitCode.ok);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
