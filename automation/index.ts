/**
 * The automation module other tools import: this project's stacks driven through the Pulumi
 * Automation API, one-off tasks, and the errors they raise.
 */
export * from "./errors";
export { logsConsoleUrl, runOneOffTask } from "./oneOffTask";
export type { OneOffTaskOptions, OneOffTaskResult } from "./oneOffTask";
export { installCli, pulumiCommand, sdkVersion, toolsRoot } from "./pulumiCli";
export { applySettings, configPlan, secretSettings } from "./settings";
export type { ConfigPlan, ProgramSettings, StackSettings } from "./settings";
export { describeChanges, hasChanges } from "./summary";
export { destroy, openStack, outputs, preview, projectDir, refresh, up, withStack } from "./workspace";
export type { OpenStack, OperationResult, StackOptions, Streams } from "./workspace";
