/**
 * unawait's runtime: the vocabulary of Rust's futures in TypeScript's casing, and the drivers that
 * run lowered state machines. Dependency-free; a reader can understand it without the compiler.
 */
export { PENDING, ready, isPending, type Poll, type Pending } from "./poll.js";
export { noopWaker, type Context, type Waker } from "./context.js";
export type { Future } from "./future.js";
export { awaitNatively, awaited, takeAwaitOperand, fulfilAwait, rejectAwait } from "./await.js";
export { StateMachine, DONE, POISONED, DROPPED, DROPPING, keepShape, type Layout, type Awaitee } from "./machine.js";
export { promise } from "./promise.js";
export {
  Coroutine,
  NEXT,
  THROW,
  RETURN,
  type Resumption,
  AWAIT,
  YIELD,
  YIELD_STAR,
  RETURN_VALUE,
  RETURN_VOID,
  DROP_RETURN,
  FINISHED,
  TakenReturn,
  returnTaken,
  outermostTaken,
  droppedLevel,
  unexpectedSignal,
  type Signal,
} from "./coroutine.js";
export {
  iterate,
  step,
  closeIterator,
  closeIteratorAfterThrow,
  forInKeys,
  nextKey,
  ITERATION_DONE,
  type IteratorRecord,
  type ForInRecord,
} from "./iteration.js";
export { asyncIterate, asyncNext, asyncValue, asyncReturn, asyncReturnAfterThrow, returnResult } from "./asyncIteration.js";
export { superAccess, type SuperAccess } from "./super.js";
export { propertyKey, UNINITIALIZED, tdz, tdzWrite, constWrite, constUpdate, checkedTarget, assignToConstant } from "./values.js";
export { call, templateObject, requireObjectCoercible, objectRest, stepOrUndefined, restOfIterator, restParams } from "./protocol.js";
export { asyncFunction, asyncMethods, className } from "./identity.js";
export { dropFuture } from "./future.js";
export { Runtime, JoinHandle, Cancelled, setAmbientRuntime, type RuntimeOptions, type TraceEvent, type ClockKind } from "./executor.js";
export { intoFuture, isFuture, READY, ThenableFuture } from "./adapt.js";
export { run, runTimed, spawn, yieldNow, promiseOf, FutureBase } from "./tasks.js";
export { now, sleep, sleepUntil, interval, intervalAt, timeout, TimeoutError, Sleep, Interval, type MissedTicks, type IntervalOptions } from "./time.js";
export { join, joinAll, tryJoin, select, race, type Result, type Selected, type SelectedAt, type SelectOptions } from "./combinators.js";
export { traceTo } from "./trace.js";
export { oneshot, OneshotSender, OneshotReceiver, RecvError, channel, unboundedChannel, Sender, Receiver, type SendResult, type TrySendResult, type RecvResult, type TryRecvResult } from "./channels.js";
export { stream, isStream, AsyncGeneratorStream, type Stream } from "./stream.js";
export { usingScope, UsingScope } from "./using.js";
export { internalPromise, Thenable } from "./thenable.js";
