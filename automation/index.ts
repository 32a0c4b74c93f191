/**
 * The automation module other tools import: this project's stacks driven through the Pulumi
 * Automation API, one-off tasks, drift checks, review stacks, the picture of a change, and the
 * errors they raise.
 */
export * from "./errors";
export { logsConsoleUrl, runOneOffTask } from "./oneOffTask";
export type { OneOffTaskOptions, OneOffTaskResult } from "./oneOffTask";
export { installCli, pulumiCommand, sdkVersion, toolsRoot } from "./pulumiCli";
export { applySettings, configPlan, secretSettings } from "./settings";
export type { ConfigPlan, ProgramSettings, StackSettings } from "./settings";
export { describeChanges, hasChanges } from "./summary";
export { destroy, openStack, openWorkspace, outputs, preview, projectDir, recordSteps, refresh, up, withStack, withWorkspace } from "./workspace";
export type { OpenStack, OpenWorkspace, OperationResult, StackOptions, Streams, WorkspaceOptions } from "./workspace";
export { changeDiagram, changeStep, diagramMarkdown } from "./changeDiagram";
export type { ChangeDiagram, ChangeStep } from "./changeDiagram";
export { drift, driftIssueBody } from "./drift";
export type { DriftedProperty, DriftedResource, DriftResult } from "./drift";
export { previewComment } from "./previewComment";
export { reviewDestroy, reviewList, reviewPlan, reviewStackFile, reviewStackName, reviewUp, staleReviewStacks } from "./review";
export type { ReviewDestroyResult, ReviewOptions, ReviewResult, ReviewStack } from "./review";
