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

const STATE_NAMES: Record<number, string> = { [-1]: "DONE", [-2]: "POISONED", [-3]: "DROPPED" };

/** A trace hook that writes each event as one readable line. */
export function traceTo(write: (line: string) => void): (event: TraceEvent) => void {
  const names = new Map<number, string>();
  const task = (id: number): string => (names.get(id) ? `task ${id} (${names.get(id)})` : `task ${id}`);
  const state = (s: number | undefined, line: number | undefined): string => (s === undefined ? "?" : `${STATE_NAMES[s] ?? s}${line !== undefined ? ` (line ${line})` : ""}`);
  return (event) => {
    const at = `[${String(Math.round(event.at)).padStart(5)} ms]`;
    switch (event.kind) {
      case "spawn":
        names.set(event.task, event.name);
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
    }
  };
}
