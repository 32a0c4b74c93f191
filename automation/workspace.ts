/**
 * This project's stacks driven through the Pulumi Automation API: select or create a stack, set
 * its config from a typed object, and run preview, up, refresh and destroy or read its outputs,
 * streaming progress to callbacks and returning typed results.
 */
import * as auto from "@pulumi/pulumi/automation";
import * as path from "path";
import { loadConfig, projectName } from "../lib/config";
import { createStack } from "../program";
import { classifyError } from "./errors";
import { StackSettings, toConfigMap } from "./settings";
import { describeChanges } from "./summary";

/** This repository's root, where Pulumi.yaml is. */
export const projectDir = path.join(__dirname, "..");

export interface StackOptions {
    /** Stack name, e.g. "dev". */
    stack: string;
    /** Directory holding Pulumi.yaml and the stack files. @default this repository */
    workDir?: string;
    /** Run the program in this process (the same createStack that index.ts runs) instead of from workDir. @default false */
    inline?: boolean;
    /** Pulumi CLI installation to use (its bin/pulumi). @default `pulumi` on PATH */
    cliRoot?: string;
    /** Config to set on the stack before the operation. @default none (the stack file as it is) */
    settings?: StackSettings;
    /** Extra environment for the Pulumi CLI, e.g. AWS_PROFILE. @default none */
    envVars?: Record<string, string>;
    /** Receives the CLI's output as it comes. @default none */
    onOutput?: (text: string) => void;
    /** Receives each engine event. @default none */
    onEvent?: (event: auto.EngineEvent) => void;
}

/** What preview, up, refresh and destroy return. */
export interface OperationResult {
    /** The operation. */
    operation: "preview" | "up" | "refresh" | "destroy";
    /** The stack. */
    stack: string;
    /** Resources by operation, e.g. { create: 2, same: 14 }. */
    changes: Record<string, number>;
    /** The counts in words. */
    summary: string;
    /** The stack's outputs after `up`. */
    outputs?: Record<string, unknown>;
    /** The preview's diff, as the CLI prints it. */
    diff?: string;
    /** How long the operation took. */
    durationMs: number;
}

/** Selects the stack, creating it when `create` (it then takes its config from workDir's stack file, if any). */
export async function openStack(opts: StackOptions, create = true): Promise<auto.Stack> {
    const pulumiCommand = await auto.PulumiCommand.get({ root: opts.cliRoot, skipVersionCheck: true });
    const wsOpts: auto.LocalWorkspaceOptions = { pulumiCommand, envVars: opts.envVars, workDir: opts.workDir ?? (opts.inline ? undefined : projectDir) };
    let stack: auto.Stack;
    if (opts.inline) {
        const program = async () => createStack(loadConfig());
        const args: auto.InlineProgramArgs = { stackName: opts.stack, projectName, program };
        stack = create ? await auto.LocalWorkspace.createOrSelectStack(args, wsOpts) : await auto.LocalWorkspace.selectStack(args, wsOpts);
    } else {
        const args: auto.LocalProgramArgs = { stackName: opts.stack, workDir: wsOpts.workDir! };
        stack = create ? await auto.LocalWorkspace.createOrSelectStack(args, wsOpts) : await auto.LocalWorkspace.selectStack(args, wsOpts);
    }
    if (opts.settings) {
        await stack.setAllConfig(toConfigMap(opts.settings));
    }
    return stack;
}

/** Runs `fn` on the stack, turning failures into the errors of ./errors. */
async function withStack<T>(opts: StackOptions, create: boolean, fn: (stack: auto.Stack) => Promise<T>): Promise<T> {
    try {
        return await fn(await openStack(opts, create));
    } catch (err) {
        throw classifyError(err, { stack: opts.stack, cliRoot: opts.cliRoot });
    }
}

/** Counts from a change map, without the empty entries. */
function counts(map: auto.OpMap | undefined): Record<string, number> {
    return Object.fromEntries(Object.entries(map ?? {}).filter(([, n]) => (n ?? 0) > 0)) as Record<string, number>;
}

/** What `up` would change, with the diff. */
export function preview(opts: StackOptions): Promise<OperationResult> {
    const started = Date.now();
    return withStack(opts, true, async (stack) => {
        const result = await stack.preview({ diff: true, onOutput: opts.onOutput, onEvent: opts.onEvent });
        const changes = counts(result.changeSummary);
        return { operation: "preview", stack: opts.stack, changes, summary: describeChanges(changes), diff: result.stdout, durationMs: Date.now() - started };
    });
}

/** Deploys the stack and returns its outputs. */
export function up(opts: StackOptions): Promise<OperationResult> {
    const started = Date.now();
    return withStack(opts, true, async (stack) => {
        const result = await stack.up({ onOutput: opts.onOutput, onEvent: opts.onEvent });
        const changes = counts(result.summary.resourceChanges);
        const outputs = Object.fromEntries(Object.entries(result.outputs).map(([key, o]) => [key, o.value]));
        return { operation: "up", stack: opts.stack, changes, summary: describeChanges(changes, true), outputs, durationMs: Date.now() - started };
    });
}

/** An operation on an existing stack that reports what it changed. */
function existingStackOperation(operation: "refresh" | "destroy", run: (stack: auto.Stack, opts: StackOptions) => Promise<auto.RefreshResult | auto.DestroyResult>) {
    return (opts: StackOptions): Promise<OperationResult> => {
        const started = Date.now();
        return withStack(opts, false, async (stack) => {
            const changes = counts((await run(stack, opts)).summary.resourceChanges);
            return { operation, stack: opts.stack, changes, summary: describeChanges(changes, true), durationMs: Date.now() - started };
        });
    };
}

/** Reads the actual state of the stack's resources into its state. */
export const refresh = existingStackOperation("refresh", (stack, opts) => stack.refresh({ onOutput: opts.onOutput, onEvent: opts.onEvent }));

/** Deletes every resource of the stack (protected ones stop it: see protectData). */
export const destroy = existingStackOperation("destroy", (stack, opts) => stack.destroy({ onOutput: opts.onOutput, onEvent: opts.onEvent }));

/** The stack's outputs (secrets in plain text); the stack must exist. */
export function outputs(opts: StackOptions): Promise<Record<string, unknown>> {
    return withStack(opts, false, async (stack) => {
        const values = await stack.outputs();
        return Object.fromEntries(Object.entries(values).map(([key, o]) => [key, o.value]));
    });
}
