/**
 * The engine tier runs the program inline, in mocha's process under ts-node. The Pulumi SDK takes a
 * stack trace for every promise it makes (runtime/debuggable.js), and ts-node source-maps each:
 * with no frames, a preview of the dev stack costs this process about 1.4 CPU seconds instead of
 * 2.2 (docs/measurements.md). Errors keep their messages, which is what the tests read; the one
 * test about stack traces turns them back on (stacks.test.ts, "no stack trace").
 */
/** Node's own limit, which a user's `pulumi preview` runs with. */
export const defaultStackTraceLimit = Error.stackTraceLimit;
Error.stackTraceLimit = 0;
