import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

/**
 * The error that reached the top of a program, reduced to what a reader compares: how it got
 * there and its `Name: message` line. Node prints the same error with different stack frames
 * (and source excerpts) for native and lowered code, so the stack is left out.
 */
export interface UncaughtError {
  /** "uncaughtException": thrown; "unhandledRejection": a promise rejected with no handler. */
  origin: "uncaughtException" | "unhandledRejection";
  /** `TypeError: x is not a function` (first line of the message only), or a thrown non-error
   *  value as `util.inspect` shows it, e.g. `42`. */
  summary: string;
}

/**
 * Source of a preload script (`node --require`) that records every uncaught error to `logPath`,
 * one JSON line each. It listens to `uncaughtExceptionMonitor`, which only observes: the process
 * still prints the error and exits exactly as it would have.
 */
export function uncaughtErrorRecorderSource(logPath: string): string {
  return `"use strict";
const { appendFileSync } = require("node:fs");
const { inspect } = require("node:util");
const logPath = ${JSON.stringify(logPath)};
function summarize(value) {
  try {
    if (value instanceof Error || (typeof value === "object" && value !== null &&
        typeof value.name === "string" && typeof value.message === "string")) {
      const name = value.name, message = value.message;
      return name === "" ? message : message === "" ? name : name + ": " + message;
    }
    return inspect(value);
  } catch {
    return "(an error that could not be inspected)";
  }
}
process.on("uncaughtExceptionMonitor", (error, origin) => {
  const summary = summarize(error).split(/\\r?\\n/)[0];
  try { appendFileSync(logPath, JSON.stringify({ origin, summary }) + "\\n"); } catch {}
});
`;
}

/**
 * The last error recorded in `logPath` (the one that ended the program, when one did), with
 * `runDirectory` replaced by `<run>` so that paths in messages compare equal across runs.
 */
export async function readUncaughtError(logPath: string, runDirectory: string): Promise<UncaughtError | undefined> {
  let text: string;
  try {
    text = await readFile(logPath, "utf8");
  } catch {
    return undefined;
  }
  const lines = text.split("\n").filter((line) => line !== "");
  const last = lines.at(-1);
  if (last === undefined) return undefined;
  const record = JSON.parse(last) as UncaughtError;
  return { origin: record.origin, summary: hideRunDirectory(record.summary, runDirectory) };
}

/** Replaces the temporary directory a program ran in (as a path or a file URL) with `<run>`. */
export function hideRunDirectory(text: string, runDirectory: string): string {
  const url = pathToFileURL(runDirectory).href;
  return text.split(url).join("<run>").split(runDirectory).join("<run>");
}
