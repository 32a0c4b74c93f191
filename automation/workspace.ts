/**
 * This project's stacks driven through the Pulumi Automation API: select (or, when asked, create)
 * a stack, set its config from a typed object, and run preview, up, refresh and destroy or read its
 * outputs, streaming the CLI's output and errors to callbacks and returning typed results.
 *
 * Every operation runs on a temporary copy of the project (the workspace's workDir): the settings
 * land in the copy's stack file, so the project's own Pulumi.<stack>.yaml changes only when the
 * caller asks to persist them; the copy is removed afterwards. The CLI reads Pulumi.yaml and the
 * stack file from the copy for an inline program too, so it gets the stack's config, the
 * declared defaults merged in and type-checked, as under `pulumi up`.
 */
import * as auto from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectDir, projectName } from "../lib/configSchema";
import { runProgram } from "../program";
import { ChangeStep, changeStep } from "./changeDiagram";
import { captureOutput, classifyError, cliErrorOf, NoOutputsError, StackNotFoundError } from "./errors";
import { pulumiCommand } from "./pulumiCli";
import { applySettings, StackSettings } from "./settings";
import { describeChanges } from "./summary";

export { projectDir };

export interface StackOptions {
    /** Stack name, e.g. "dev". */
    stack: string;
    /** The project: the directory holding Pulumi.yaml and the stack files, copied for each operation. @default this repository */
    workDir?: string;
    /** The stack file (Pulumi.<stack>.yaml) to put in the copy, in place of the project's. @default the project's, if any */
    stackFile?: string;
    /** Config to set on the stack (in the copy's stack file) before the operation. @default none (the stack file as it is) */
    settings?: StackSettings;
    /** After a successful operation, write the copy's stack file, `settings` included, back to the project. @default false */
    persist?: boolean;
    /** Create the stack if it does not exist. @default false: a missing stack is StackNotFoundError */
    create?: boolean;
    /** Run the program in this process (the same runProgram that index.ts runs) instead of as the project's Node.js program. @default false */
    inline?: boolean;
    /** An inline program to run instead of the project's (implies `inline`). @default `runProgram` */
    program?: auto.PulumiFn;
    /** The Pulumi CLI executable (at <root>/bin/pulumi). @default $PULUMI_CLI, else .tools/bin/pulumi, else `pulumi` on PATH: at least @pulumi/pulumi's version (see ./pulumiCli) */
    pulumiPath?: string;
    /** Extra environment for the Pulumi CLI, e.g. AWS_PROFILE or PULUMI_BACKEND_URL. @default none */
    envVars?: Record<string, string>;
    /** Receives the CLI's output as it comes. @default none */
    onOutput?: (text: string) => void;
    /** Receives the CLI's error output (its stderr) as it comes. @default none */
    onError?: (text: string) => void;
    /** Receives each engine event. @default none */
    onEvent?: (event: auto.EngineEvent) => void;
    /** Policy packs (directories) that check preview and up, e.g. ["policy"]. @default none */
    policyPacks?: string[];
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
    /** The steps the preview planned, from the engine's events: what ./changeDiagram draws. */
    steps?: ChangeStep[];
    /** How long the operation took. */
    durationMs: number;
}

/** A stack opened on a temporary copy of the project. */
export interface OpenStack {
    /** The Automation API's stack, in a workspace whose workDir is the copy. */
    stack: auto.Stack;
    /** The copy. */
    workDir: string;
    /** Writes the copy's stack file back to the project (what `persist` does after a successful operation). */
    persist(): void;
    /** Removes the copy. */
    close(): void;
}

/** What is not copied with the project: dependencies (linked instead), version control, caches, local tools and builds, the tests. */
const notCopied = new Set(["node_modules", ".git", ".venv", ".tools", ".ci", "bin", "tests", "__pycache__", ".pytest_cache", ".ruff_cache"]);

/** A temporary copy of the project at `source` (the program, Pulumi.yaml, the stack files, app/), its node_modules linked. */
export function copyProject(source: string, prefix = projectName): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    try {
        fs.cpSync(source, dir, { recursive: true, filter: (file) => !notCopied.has(path.basename(file)) });
        const modules = path.join(source, "node_modules");
        if (fs.existsSync(modules)) {
            fs.symlinkSync(fs.realpathSync(modules), path.join(dir, "node_modules"), "dir");
        }
        return dir;
    } catch (err) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw err;
    }
}

/** Selects the stack in `workspace`, or creates it when asked; a missing stack is StackNotFoundError naming the existing ones. */
async function selectStack(opts: StackOptions, workspace: auto.LocalWorkspace): Promise<auto.Stack> {
    try {
        return opts.create ? await auto.Stack.createOrSelect(opts.stack, workspace) : await auto.Stack.select(opts.stack, workspace);
    } catch (err) {
        if (!(err instanceof auto.StackNotFoundError)) {
            throw err;
        }
        const names = (await workspace.listStacks()).map((s) => s.name);
        throw new StackNotFoundError(
            `Stack ${opts.stack} does not exist${names.length > 0 ? `; the project's stacks are: ${names.join(", ")}` : ": the project has no stacks in this backend"}.`,
            "Check the name and the backend (pulumi whoami), or create the stack: --create (create: true).",
            err,
            cliErrorOf(err),
        );
    }
}

/** A workspace on a temporary copy of the project, with no stack selected. */
export interface OpenWorkspace {
    workspace: auto.LocalWorkspace;
    /** The copy. */
    workDir: string;
    /** Removes the copy. */
    close(): void;
}

/** What opening a workspace needs of StackOptions. */
export type WorkspaceOptions = Pick<StackOptions, "workDir" | "program" | "inline" | "pulumiPath" | "envVars">;

/** Opens a workspace on a temporary copy of the project; the caller calls `close()`. */
export async function openWorkspace(opts: WorkspaceOptions): Promise<OpenWorkspace> {
    const workDir = copyProject(opts.workDir ?? projectDir);
    const close = () => fs.rmSync(workDir, { recursive: true, force: true });
    try {
        const program = opts.program ?? (opts.inline ? async () => runProgram() : undefined);
        const workspace = await auto.LocalWorkspace.create({ pulumiCommand: await pulumiCommand(opts.pulumiPath), envVars: opts.envVars, workDir, program });
        return { workspace, workDir, close };
    } catch (err) {
        close();
        throw err;
    }
}

/** Runs `fn` on a workspace of a temporary copy of the project, removes the copy, and turns failures into the errors of ./errors. */
export async function withWorkspace<T>(opts: WorkspaceOptions, fn: (workspace: auto.LocalWorkspace) => Promise<T>): Promise<T> {
    let open: OpenWorkspace | undefined;
    try {
        open = await openWorkspace(opts);
        return await fn(open.workspace);
    } catch (err) {
        throw classifyError(err);
    } finally {
        open?.close();
    }
}

/**
 * Opens the stack on a temporary copy of the project (`workDir`), with `stackFile` as its stack
 * file and `settings` written into it. The caller runs what it likes on `stack`, then calls
 * `persist()` if it wants the settings kept and `close()` always; `withStack` does all of that.
 */
export async function openStack(opts: StackOptions): Promise<OpenStack> {
    const source = opts.workDir ?? projectDir;
    const { workspace, workDir, close } = await openWorkspace(opts);
    try {
        const stackFile = `Pulumi.${opts.stack.split("/").pop()}.yaml`;
        if (opts.stackFile !== undefined) {
            fs.writeFileSync(path.join(workDir, stackFile), opts.stackFile);
        }
        const stack = await selectStack(opts, workspace);
        if (opts.settings) {
            await applySettings(stack, opts.settings);
        }
        const persist = () => {
            if (fs.existsSync(path.join(workDir, stackFile))) {
                fs.copyFileSync(path.join(workDir, stackFile), path.join(source, stackFile));
            }
        };
        return { stack, workDir, persist, close };
    } catch (err) {
        close();
        throw err;
    }
}

/** The callbacks an operation streams the CLI's output, errors and events to: the caller's, the output also kept for the error classifier. */
export interface Streams {
    onOutput: (text: string) => void;
    onError: (text: string) => void;
    onEvent?: (event: auto.EngineEvent) => void;
}

/**
 * Runs `fn` on the stack opened by openStack, with the streams to give the operation it runs;
 * persists the stack file if asked and `fn` succeeded, removes the copy, and turns failures into
 * the errors of ./errors, by what the CLI printed on those streams.
 */
export async function withStack<T>(opts: StackOptions, fn: (stack: auto.Stack, streams: Streams) => Promise<T>): Promise<T> {
    let open: OpenStack | undefined;
    const { output, onOutput, onError } = captureOutput(opts.onOutput, opts.onError);
    try {
        open = await openStack(opts);
        const result = await fn(open.stack, { onOutput, onError, onEvent: opts.onEvent });
        if (opts.persist) {
            open.persist();
        }
        return result;
    } catch (err) {
        throw classifyError(err, { stack: opts.stack, output });
    } finally {
        open?.close();
    }
}

/** Counts from a change map, without the empty entries. */
function counts(map: auto.OpMap | undefined): Record<string, number> {
    return Object.fromEntries(Object.entries(map ?? {}).filter(([, n]) => (n ?? 0) > 0)) as Record<string, number>;
}

/** The event callback that passes each event on to `onEvent` and records the steps it announces. */
export function recordSteps(onEvent?: (event: auto.EngineEvent) => void): { steps: ChangeStep[]; onEvent: (event: auto.EngineEvent) => void } {
    const steps: ChangeStep[] = [];
    return {
        steps,
        onEvent: (event) => {
            const step = changeStep(event);
            if (step !== undefined) {
                steps.push(step);
            }
            onEvent?.(event);
        },
    };
}

/** What `up` would change, with the diff and the planned steps. */
export function preview(opts: StackOptions): Promise<OperationResult> {
    const started = Date.now();
    return withStack(opts, async (stack, streams) => {
        const { steps, onEvent } = recordSteps(streams.onEvent);
        const result = await stack.preview({ diff: true, policyPacks: opts.policyPacks, ...streams, onEvent });
        const changes = counts(result.changeSummary);
        return { operation: "preview", stack: opts.stack, changes, summary: describeChanges(changes), diff: result.stdout, steps, durationMs: Date.now() - started };
    });
}

/** Deploys the stack and returns its outputs. */
export function up(opts: StackOptions): Promise<OperationResult> {
    const started = Date.now();
    return withStack(opts, async (stack, streams) => {
        const result = await stack.up({ policyPacks: opts.policyPacks, ...streams });
        const changes = counts(result.summary.resourceChanges);
        const outputs = Object.fromEntries(Object.entries(result.outputs).map(([key, o]) => [key, o.value]));
        return { operation: "up", stack: opts.stack, changes, summary: describeChanges(changes, true), outputs, durationMs: Date.now() - started };
    });
}

/** An operation that reports what it changed. */
function reportingOperation(operation: "refresh" | "destroy", run: (stack: auto.Stack, streams: Streams) => Promise<auto.RefreshResult | auto.DestroyResult>) {
    return (opts: StackOptions): Promise<OperationResult> => {
        const started = Date.now();
        return withStack(opts, async (stack, streams) => {
            const changes = counts((await run(stack, streams)).summary.resourceChanges);
            return { operation, stack: opts.stack, changes, summary: describeChanges(changes, true), durationMs: Date.now() - started };
        });
    };
}

/** Reads the actual state of the stack's resources into its state. */
export const refresh = reportingOperation("refresh", (stack, streams) => stack.refresh(streams));

/** Deletes every resource of the stack (protected ones stop it: see protectData). */
export const destroy = reportingOperation("destroy", (stack, streams) => stack.destroy(streams));

/** The stack's outputs (secrets in plain text); NoOutputsError if it has none (never deployed, or destroyed). */
export function outputs(opts: StackOptions): Promise<Record<string, unknown>> {
    return withStack(opts, async (stack) => {
        const values = await stack.outputs();
        if (Object.keys(values).length === 0) {
            throw new NoOutputsError(
                `Stack ${opts.stack} has no outputs: it has not been deployed, or its resources were destroyed.`,
                `Deploy it first: npm run deploy -- up --stack ${opts.stack}`,
            );
        }
        return Object.fromEntries(Object.entries(values).map(([key, o]) => [key, o.value]));
    });
}
