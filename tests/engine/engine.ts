/**
 * The engine tier: the program run by the real Pulumi CLI (built by `npm run setup` into
 * .tools/bin), as an Automation API inline program whose workDir is a copy of the project, against
 * the stand-in provider plugins in tests/engine/standin (which stand in for AWS as moto stands in
 * for S3), on a local file backend in a temp dir. The CLI reads the copy's Pulumi.yaml and stack
 * files, merges the declared defaults, checks the types and runs the engine: what the mocks skip.
 */
import * as auto from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import * as YAML from "yaml";
import { ChangeStep, changeStep } from "../../automation/changeDiagram";
import { copyProject, StackOptions } from "../../automation/workspace";

/** The repository's root. */
export const repoRoot = path.join(__dirname, "..", "..");

/** Where `npm run setup` puts the CLI (bin/pulumi) and the stand-in plugins. */
const toolsDir = path.join(repoRoot, ".tools");
const standinDir = path.join(toolsDir, "standin");

/** One step the engine planned or took for a resource, as the automation module reads it (with its parent and replaceKeys). */
export interface Step extends ChangeStep {
    /** Properties that differ (when the provider said). */
    diffs: string[];
}

/** What one operation showed: its steps, the policy violations, and the diagnostics. */
export interface Run {
    steps: Step[];
    policyEvents: auto.PolicyEvent[];
    diagnostics: auto.DiagnosticEvent[];
    summary: Record<string, number>;
}

/** The stand-in plugins, by the npm package whose provider each stands in for. */
const standins = { aws: "@pulumi/aws", awsx: "@pulumi/awsx", "docker-build": "@pulumi/docker-build" };

/** Fails with what to run when the CLI or the stand-ins are missing. */
function checkTools(): void {
    const missing = [path.join(toolsDir, "bin", "pulumi"), ...Object.keys(standins).map((p) => path.join(standinDir, `pulumi-resource-${p}`))].filter(
        (file) => !fs.existsSync(file),
    );
    if (missing.length > 0) {
        throw new Error(`the engine tier needs ${missing.join(", ")}: run npm run setup`);
    }
}

/**
 * Installs the stand-ins in a PULUMI_HOME's plugin cache at the versions the SDKs ask for (those of
 * package-lock.json), where the engine looks for them: $PULUMI_HOME/plugins/resource-<name>-v<version>/
 * (sdk/v3 go/common/workspace/plugins.go, GetPluginPath; see tests/engine/standin/build.sh).
 */
function installStandins(home: string): void {
    const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8"));
    for (const [name, pkg] of Object.entries(standins)) {
        const dir = path.join(home, "plugins", `resource-${name}-v${lock.packages[`node_modules/${pkg}`].version}`);
        fs.mkdirSync(dir, { recursive: true });
        fs.symlinkSync(path.join(standinDir, `pulumi-resource-${name}`), path.join(dir, `pulumi-resource-${name}`));
    }
}

/** A fresh temp dir, removed by `cleanup`. */
function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), `flask-fargate-${prefix}-`));
}

/**
 * A copy of the project (what `pulumi up` would read: Pulumi.yaml, the stack files, the program
 * and app/), with node_modules linked, a file backend and a PULUMI_HOME of its own.
 */
export class EngineProject {
    /** The copy's directory: the workDir of every stack. */
    public readonly dir: string;
    private readonly state: string;
    private readonly home: string;

    /**
     * Copies the project (`source`: another checkout of it, such as an earlier commit's); `backend`
     * shares the state (and so the stacks) of another copy.
     */
    constructor(backend?: EngineProject, source = repoRoot) {
        this.dir = copyProject(source, "flask-fargate-project");
        this.state = backend?.state ?? tempDir("state");
        if (backend === undefined) {
            checkTools();
            this.home = tempDir("home");
            installStandins(this.home);
        } else {
            this.home = backend.home;
        }
    }

    /** Runs `body` with `settings` (full keys; `undefined` removes one) written into the copy's stack file, then restores the file. */
    async withSettings<T>(stack: string, settings: Record<string, unknown>, body: () => Promise<T>): Promise<T> {
        const file = path.join(this.dir, `Pulumi.${stack}.yaml`);
        const original = fs.readFileSync(file, "utf8");
        const doc = YAML.parseDocument(original);
        for (const [key, value] of Object.entries(settings)) {
            if (value === undefined) {
                doc.deleteIn(["config", key]);
            } else {
                doc.setIn(["config", key], value);
            }
        }
        fs.writeFileSync(file, doc.toString());
        try {
            return await body();
        } finally {
            fs.writeFileSync(file, original);
        }
    }

    /**
     * The copy's program, run inline: the very code `pulumi up` runs (or another program of the
     * copy: `module` and the function it exports, such as examples/two-services' `program`).
     */
    private program(entry = { module: "program", fn: "runProgram" }): auto.PulumiFn {
        const dir = this.dir;
        return async () => {
            // Loaded from the copy, so any path the program computes is the copy's.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require(path.join(dir, entry.module))[entry.fn]();
        };
    }

    /** The CLI's environment: this project's backend and PULUMI_HOME (with the stand-ins), no downloads. */
    get envVars(): Record<string, string> {
        return {
            PULUMI_BACKEND_URL: `file://${this.state}`,
            PULUMI_HOME: this.home,
            PULUMI_CONFIG_PASSPHRASE: "engine-tests",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
            // The policy pack's analyzer (tests/engine/bin), and this process's node for it.
            PATH: [path.join(__dirname, "bin"), path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
        };
    }

    /** The stack (created on first use) with the copy's program run inline (`entry`: another of its programs). */
    async stack(name: string, entry?: { module: string; fn: string }): Promise<auto.Stack> {
        const pulumiCommand = await auto.PulumiCommand.get({ root: toolsDir });
        return auto.LocalWorkspace.createOrSelectStack({ stackName: name, projectName: "flask-fargate", program: this.program(entry) }, { workDir: this.dir, pulumiCommand, envVars: this.envVars });
    }

    /** What the automation module needs to run its operations on this project's stack `name` (with the same inline program, CLI and environment). */
    stackOptions(name: string): StackOptions {
        return { stack: name, workDir: this.dir, program: this.program(), pulumiPath: path.join(toolsDir, "bin", "pulumi"), envVars: this.envVars };
    }

    /** Makes the stand-ins report `changes` as made outside Pulumi (tests/engine/standin/internal/standin/drift.go) until `body` ends. */
    async withDrift<T>(changes: { resource: string; property?: string; value?: unknown; deleted?: boolean }[], body: () => Promise<T>): Promise<T> {
        const file = path.join(this.home, "standin-drift.json");
        fs.writeFileSync(file, JSON.stringify(changes));
        try {
            return await body();
        } finally {
            fs.rmSync(file, { force: true });
        }
    }

    /** Removes the copy (and the state and home it owns). */
    cleanup(ownsState = true): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
        if (ownsState) {
            fs.rmSync(this.state, { recursive: true, force: true });
            fs.rmSync(this.home, { recursive: true, force: true });
        }
    }
}

/** Event options that record a run's steps, policy events and diagnostics into `run`. */
export function recorder(): { run: Run; onEvent: (event: auto.EngineEvent) => void } {
    const run: Run = { steps: [], policyEvents: [], diagnostics: [], summary: {} };
    const onEvent = (event: auto.EngineEvent) => {
        const step = changeStep(event);
        if (step !== undefined) {
            run.steps.push({ ...step, diffs: event.resourcePreEvent?.metadata.diffs ?? [] });
        }
        if (event.policyEvent !== undefined) {
            run.policyEvents.push(event.policyEvent);
        }
        if (event.diagnosticEvent !== undefined) {
            run.diagnostics.push(event.diagnosticEvent);
        }
        if (event.summaryEvent !== undefined) {
            run.summary = event.summaryEvent.resourceChanges as Record<string, number>;
        }
    };
    return { run, onEvent };
}

/**
 * The policy pack as the engine tier hands it to the CLI: policy/ and the lib/ modules it imports,
 * transpiled once per run by the TypeScript compiler ts-node uses (with the project's
 * compilerOptions), into .tools/policy-pack with the pack's PulumiPolicy.yaml and package.json.
 * The CLI starts the analyzer for every preview and update with a pack, about twenty times a run:
 * a compiled pack starts on about 1.2 CPU seconds, one transpiled by ts-node at each start on about
 * 2.5, most of it loading the compiler (docs/measurements.md). The pack is type-checked by
 * `npm test` (tsc --noEmit); tests/engine/bin/pulumi-analyzer-policy-nodejs runs index.js when the
 * pack has one.
 */
function compiledPolicyPack(): string {
    const out = path.join(toolsDir, "policy-pack");
    fs.rmSync(out, { recursive: true, force: true });
    const { options } = ts.convertCompilerOptionsFromJson(JSON.parse(fs.readFileSync(path.join(repoRoot, "tsconfig.json"), "utf8")).compilerOptions, repoRoot);
    for (const dir of ["policy", "lib"]) {
        for (const file of fs.readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: "utf8" })) {
            const source = path.join(repoRoot, dir, file);
            const target = path.join(out, dir, file);
            if (file.split(path.sep).includes("node_modules") || fs.statSync(source).isDirectory()) {
                continue;
            }
            fs.mkdirSync(path.dirname(target), { recursive: true });
            if (file.endsWith(".ts")) {
                const { outputText } = ts.transpileModule(fs.readFileSync(source, "utf8"), { compilerOptions: { ...options, sourceMap: false }, fileName: source });
                fs.writeFileSync(target.replace(/\.ts$/, ".js"), outputText);
            } else {
                fs.copyFileSync(source, target);
            }
        }
    }
    return path.join(out, "policy");
}

/** The path of the policy pack, which the CLI starts through tests/engine/bin/pulumi-analyzer-policy-nodejs. */
export const policyPack = compiledPolicyPack();

/** A preview of `stack` with the policy pack, recorded. */
export async function preview(stack: auto.Stack, opts: auto.PreviewOptions = {}): Promise<Run> {
    const { run, onEvent } = recorder();
    await stack.preview({ ...opts, onEvent, diff: true });
    return run;
}

/** An update of `stack`, recorded. */
export async function up(stack: auto.Stack, opts: auto.UpOptions = {}): Promise<Run & { outputs: auto.OutputMap }> {
    const { run, onEvent } = recorder();
    const result = await stack.up({ ...opts, onEvent });
    return { ...run, outputs: result.outputs };
}

/** The steps that change something, as `op type::name`, sorted (a replacement shows once, as "replace"). */
export function changes(run: Run): string[] {
    const partOfReplace: auto.OpType[] = ["same", "create-replacement", "delete-replaced"];
    return run.steps
        .filter((step) => !partOfReplace.includes(step.op) && step.type !== "pulumi:pulumi:Stack")
        .map((step) => `${step.op} ${step.type}::${step.urn.split("::").pop()}`)
        .sort();
}
