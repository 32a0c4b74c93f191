/**
 * The automation module other tools import: this project's stacks driven through the Pulumi
 * Automation API, one-off tasks, and the errors they raise.
 */
export * from "./errors";
export { logsConsoleUrl, runOneOffTask } from "./oneOffTask";
export type { OneOffTaskOptions, OneOffTaskResult } from "./oneOffTask";
export { secretSettings, toConfigMap } from "./settings";
export type { ProgramSettings, StackSettings } from "./settings";
export { describeChanges, hasChanges } from "./summary";
export { destroy, openStack, outputs, preview, projectDir, refresh, up } from "./workspace";
export type { OperationResult, StackOptions } from "./workspace";
