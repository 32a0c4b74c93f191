/**
 * Smoke run of the stand-in plugins (test code): the dev stack's program through the real Pulumi
 * CLI and engine, as an Automation API inline program, against a file backend in a temp dir.
 * Shows that preview and up succeed, that a second preview changes nothing, and that a change of
 * the task size replaces only the task definition (and updates the service). Then destroys.
 *
 *   PATH=/work/main/.ci/node/node_modules/node/bin:$PATH \
 *     npx ts-node --transpile-only tests/engine/standin/smoke.ts [PULUMI_BINARY]
 *
 * Needs the Pulumi CLI (default /tmp/pulumi-bin/pulumi) and builds the stand-ins with build.sh.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EngineEvent, LocalWorkspace, OpType, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { parse } from "yaml";

const repo = path.resolve(__dirname, "..", "..", "..");
const pulumiBinary = process.argv[2] ?? "/tmp/pulumi-bin/pulumi";

/** A copy of the project (without node_modules, which is linked), as the workspace's workDir. */
function copyProject(dest: string): void {
    const skip = new Set(["node_modules", ".git", ".tools", ".ci", ".venv", "bin"]);
    fs.cpSync(repo, dest, { recursive: true, filter: (src) => !skip.has(path.basename(src)) || path.dirname(src) !== repo });
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(dest, "node_modules"));
}

/** The dev stack's own settings, as Pulumi.dev.yaml gives them (without the project prefix). */
function devSettings(project: string): Record<string, unknown> {
    const config = parse(fs.readFileSync(path.join(project, "Pulumi.dev.yaml"), "utf8")).config as Record<string, unknown>;
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        if (key.startsWith("flask-fargate:")) {
            raw[key.slice("flask-fargate:".length)] = value;
        }
    }
    return raw;
}

function ops(events: EngineEvent[]): Record<string, string[]> {
    const byOp: Record<string, string[]> = {};
    for (const e of events) {
        const m = e.resourcePreEvent?.metadata;
        if (m && m.op !== "same") {
            (byOp[m.op] ??= []).push(m.type);
        }
    }
    return byOp;
}

function count(summary: Partial<Record<OpType, number>>): string {
    return Object.entries(summary)
        .map(([op, n]) => `${op}=${n}`)
        .join(" ");
}

async function main(): Promise<void> {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "standin-smoke-"));
    const home = path.join(tmp, "home");
    const project = path.join(tmp, "project");
    const state = path.join(tmp, "state");
    fs.mkdirSync(state);
    copyProject(project);

    // The CLI, as PulumiCommand expects it: <root>/bin/pulumi.
    const cliRoot = path.join(tmp, "cli");
    fs.mkdirSync(path.join(cliRoot, "bin"), { recursive: true });
    fs.symlinkSync(pulumiBinary, path.join(cliRoot, "bin", "pulumi"));
    const pulumiCommand = await PulumiCommand.get({ root: cliRoot });

    let t = Date.now();
    execFileSync(path.join(__dirname, "build.sh"), [path.join(repo, ".tools", "standin"), home], { stdio: "inherit" });
    console.log(`build.sh: ${Date.now() - t} ms`);

    const settings = devSettings(project);
    const envVars = {
        PULUMI_BACKEND_URL: `file://${state}`,
        PULUMI_CONFIG_PASSPHRASE: "x",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_HOME: home,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PATH: process.env.PATH ?? "",
    };
    const stackFor = async (overrides: Record<string, unknown>): Promise<Stack> => {
        const program = async () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const { createStack } = require(path.join(project, "program"));
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const { parseConfig } = require(path.join(project, "lib", "config"));
            return createStack(parseConfig({ ...settings, ...overrides }, "us-east-1"));
        };
        return LocalWorkspace.createOrSelectStack(
            { stackName: "dev", projectName: "flask-fargate", program },
            { workDir: project, envVars, pulumiCommand },
        );
    };

    const stack = await stackFor({});
    t = Date.now();
    const preview = await stack.preview();
    console.log(`preview 1: ${count(preview.changeSummary)} (${Date.now() - t} ms)`);

    t = Date.now();
    const up = await stack.up();
    console.log(`up: ${count(up.summary.resourceChanges ?? {})} (${Date.now() - t} ms)`);
    const warnings = `${preview.stdout}\n${preview.stderr}\n${up.stdout}\n${up.stderr}`.split("\n").filter((l) => /warning|error/i.test(l));
    console.log(`  warnings and errors in preview and up output: ${warnings.length ? warnings.join("\n") : "none"}`);
    const missing = Object.entries(up.outputs).filter(([, o]) => o.value === undefined || o.value === "");
    const expected = ["url", "clusterName", "serviceName", "taskDefinitionArn", "repositoryUrl", "image", "logGroupName", "bucketName", "runTaskCommand", "runTaskTarget"];
    const absent = expected.filter((k) => !(k in up.outputs));
    for (const [k, o] of Object.entries(up.outputs)) {
        console.log(`  ${k} = ${typeof o.value === "string" ? o.value : JSON.stringify(o.value)}`);
    }
    if (missing.length || absent.length) {
        throw new Error(`outputs not set: ${[...missing.map(([k]) => k), ...absent].join(", ")}`);
    }

    t = Date.now();
    const again = await stack.preview({ diff: true });
    console.log(`preview 2: ${count(again.changeSummary)} (${Date.now() - t} ms)`);
    if (Object.keys(again.changeSummary).some((op) => op !== "same")) {
        console.log(again.stdout);
        throw new Error("a second preview of the same program shows changes");
    }

    const bigger = await stackFor({ cpu: 512, memory: 1024 });
    const events: EngineEvent[] = [];
    t = Date.now();
    const resize = await bigger.preview({ onEvent: (e) => events.push(e) });
    console.log(`preview cpu 256->512 (memory 512->1024, the smallest Fargate size for 512): ${count(resize.changeSummary)} (${Date.now() - t} ms)`);
    console.log(`  ${JSON.stringify(ops(events))}`);
    const upEvents: EngineEvent[] = [];
    t = Date.now();
    const resized = await bigger.up({ onEvent: (e) => upEvents.push(e) });
    console.log(`up cpu 512: ${count(resized.summary.resourceChanges ?? {})} (${Date.now() - t} ms)`);
    console.log(`  ${JSON.stringify(ops(upEvents))}`);
    console.log(`  taskDefinitionArn ${up.outputs.taskDefinitionArn.value} -> ${resized.outputs.taskDefinitionArn.value}`);

    t = Date.now();
    const refresh = await bigger.refresh();
    console.log(`refresh: ${count(refresh.summary.resourceChanges ?? {})} (${Date.now() - t} ms)`);
    t = Date.now();
    const destroy = await bigger.destroy();
    console.log(`destroy: ${count(destroy.summary.resourceChanges ?? {})} (${Date.now() - t} ms)`);
    fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
