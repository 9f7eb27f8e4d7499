/**
 * The trace hook, printed: one line per event of an executor, for `unawait run --trace`.
 *
 *   [    0 ms] task 1 (main): spawned
 *   [    0 ms] task 1 (main): polled, state 0 (line 9) -> 1 (line 10), pending
 *   [ 1000 ms] clock 0 -> 1000 ms
 *   [ 1000 ms] task 1 (main): woken
 *   [ 1000 ms] task 1 (main): polled, state 1 (line 10) -> DONE, ready
 */
import type { TraceEvent } from "./executor.js";
import { mapGet, mapSet, mathRound, NativeMap, NativeString } from "./intrinsics.js";

const STATE_NAMES: Record<number, string> = { [-1]: "DONE", [-2]: "POISONED", [-3]: "DROPPED" };

/** A trace hook that writes each event as one readable line. */
export function traceTo(write: (line: string) => void): (event: TraceEvent) => void {
  const names = new NativeMap<number, string>();
  const task = (id: number): string => (mapGet(names, id) ? `task ${id} (${mapGet(names, id)})` : `task ${id}`);
  const state = (s: number | undefined, line: number | undefined): string => (s === undefined ? "?" : `${STATE_NAMES[s] ?? s}${line !== undefined ? ` (line ${line})` : ""}`);
  return (event) => {
    const at = `[${padded(NativeString(mathRound(event.at)), 5)} ms]`;
    switch (event.kind) {
      case "spawn":
        mapSet(names, event.task, event.name);
        return write(`${at} ${task(event.task)}: spawned${event.by !== undefined ? ` by ${task(event.by)}` : ""}`);
      case "poll": {
        const states = event.machine !== undefined ? `, state ${state(event.before, event.lineBefore)} -> ${state(event.after, event.lineAfter)}` : "";
        return write(`${at} ${task(event.task)}: polled${states}, ${event.outcome}`);
      }
      case "wake":
        return write(`${at} ${task(event.task)}: woken${event.by !== undefined ? ` by ${task(event.by)}` : ""}`);
      case "complete":
        return write(`${at} ${task(event.task)}: ${event.outcome === "value" ? "finished" : event.outcome === "error" ? "threw" : "aborted"}`);
      case "drop":
        return write(`${at} ${task(event.task)}: dropped`);
      case "clock":
        return write(`${at} clock ${event.from} -> ${event.at} ms`);
      case "seed":
        return write(`${at} random numbers seeded with ${event.seed} (replay with the option seed: ${event.seed}, or UNAWAIT_SEED=${event.seed})`);
    }
  };
}

/** `text` right-aligned in `width` columns. */
function padded(text: string, width: number): string {
  while (text.length < width) text = " " + text;
  return text;
}
