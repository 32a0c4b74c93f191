import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { main, parseCli, UsageError } from "../../automation/cli";
import { NoOutputsError, StackLockedError } from "../../automation/errors";
import { OneOffTaskOptions, OneOffTaskResult } from "../../automation/oneOffTask";
import { OperationResult, projectDir, StackOptions } from "../../automation/workspace";
import { Sandbox, sandbox } from "./sandbox";

const runTaskTarget = {
    cluster: "c",
    taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/f:1",
    subnets: ["s"],
    securityGroup: "sg",
    capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
    containerName: "app",
    logGroup: "g",
    logStreamPrefix: "app",
};

/** Runs the CLI with stand-in operations; returns the exit code, what it printed, and what it called. */
async function cli(argv: string[], behaviour: { fail?: Error; exitCode?: number } = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const called: { op: string; opts: StackOptions | OneOffTaskOptions }[] = [];
    const result = (operation: OperationResult["operation"]) => async (opts: StackOptions): Promise<OperationResult> => {
        called.push({ op: operation, opts });
        if (behaviour.fail) throw behaviour.fail;
        return { operation, stack: opts.stack, changes: { create: 1 }, summary: "1 to create", durationMs: 1200 };
    };
    const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, {
        workspace: {
            preview: result("preview"),
            up: result("up"),
            refresh: result("refresh"),
            destroy: result("destroy"),
            outputs: async (opts) => {
                called.push({ op: "outputs", opts });
                if (behaviour.fail) throw behaviour.fail;
                return { url: "http://x", runTaskTarget };
            },
        },
        runOneOffTask: async (opts): Promise<OneOffTaskResult> => {
            called.push({ op: "run-task", opts });
            return { taskArn: "arn:task", exitCode: behaviour.exitCode ?? 0, logsUrl: "https://logs", durationMs: 5 };
        },
    });
    return { code, out: out.join(""), err: err.join(""), called };
}

describe("automation: CLI", () => {
    it("parses a command, its stack and options", () => {
        assert.deepStrictEqual(parseCli(["preview", "--stack", "dev", "--json"]), {
            command: "preview", stack: "dev", json: true, inline: false, create: false, persist: false, pulumiPath: undefined, cwd: undefined, yes: false, timeoutSeconds: 3600, taskCommand: [],
        }); // prettier-ignore
        const runTask = parseCli(["run-task", "-s", "prod", "--timeout", "60", "--", "python", "-c", "print(1)"]);
        assert.ok(runTask !== "help");
        assert.deepStrictEqual([runTask.command, runTask.stack, runTask.timeoutSeconds, runTask.taskCommand], ["run-task", "prod", 60, ["python", "-c", "print(1)"]]);
        assert.strictEqual(parseCli(["--help"]), "help");
    });

    for (const [argv, message] of [
        [[], /no command given/],
        [["deploy", "--stack", "dev"], /unknown command "deploy"/],
        [["up"], /--stack is required/],
        [["up", "--stack", "dev", "--color"], /Unknown option '--color'/],
        [["destroy", "--stack", "dev"], /add --yes/],
        [["run-task", "--stack", "dev"], /needs the command to run after --/],
        [["run-task", "--stack", "dev", "python"], /put the task's command after --/],
        [["run-task", "--stack", "dev", "--timeout", "soon", "--", "x"], /--timeout is "soon"/],
    ] as [string[], RegExp][]) {
        it(`refuses ${JSON.stringify(argv)} with exit code 2`, async () => {
            assert.throws(() => parseCli(argv), (e: Error) => e instanceof UsageError && message.test(e.message));
            const { code, err, out } = await cli(argv);
            assert.strictEqual(code, 2);
            assert.match(err, /Usage: npm run deploy/);
            assert.strictEqual(out, "");
        });
    }

    it("--help prints the usage and exits 0", async () => {
        const { code, out } = await cli(["--help"]);
        assert.strictEqual(code, 0);
        assert.match(out, /Exit codes: 0 success; 1 the operation failed/);
    });

    it("runs an operation on the stack and prints its summary", async () => {
        const { code, out, called } = await cli(["up", "--stack", "dev"]);
        assert.strictEqual(code, 0);
        assert.strictEqual(out, "up dev: 1 to create (1.2 s)\n");
        assert.deepStrictEqual([called[0].op, (called[0].opts as StackOptions).stack], ["up", "dev"]);
    });

    it("--json prints one JSON object on stdout and sends progress to stderr", async () => {
        const { code, out, called } = await cli(["preview", "--stack", "dev", "--json"]);
        assert.strictEqual(code, 0);
        const result = JSON.parse(out);
        assert.deepStrictEqual([result.ok, result.operation, result.summary], [true, "preview", "1 to create"]);
        assert.ok((called[0].opts as StackOptions).onOutput, "progress is streamed");
    });

    it("--create, --persist and --pulumi reach the operation; the CLI's errors are streamed to stderr", async () => {
        const { called } = await cli(["up", "--stack", "qa", "--create", "--persist", "--pulumi", "/opt/pulumi/bin/pulumi"]);
        const opts = called[0].opts as StackOptions;
        assert.deepStrictEqual([opts.create, opts.persist, opts.pulumiPath, opts.inline], [true, true, "/opt/pulumi/bin/pulumi", false]);
        assert.ok(opts.onError, "the CLI's stderr is streamed");
    });

    it("a failed operation exits 1, with the error's type and the Pulumi CLI's own words in JSON and in the human message", async () => {
        const fail = new StackLockedError("Stack prod is locked by another update.", "run pulumi cancel", undefined, "the stack is currently locked by 1 lock(s).");
        const { code, out, err } = await cli(["up", "--stack", "prod", "--json"], { fail });
        assert.strictEqual(code, 1);
        assert.deepStrictEqual(JSON.parse(out), {
            ok: false,
            error: { type: "StackLockedError", message: "Stack prod is locked by another update.", cliError: "the stack is currently locked by 1 lock(s).", hint: "run pulumi cancel" },
        });
        assert.strictEqual(err, "error: Stack prod is locked by another update.\n    the stack is currently locked by 1 lock(s).\nrun pulumi cancel\n");
    });

    it("outputs of a stack with none exits 1 and says so", async () => {
        const { code, out, err } = await cli(["outputs", "--stack", "dev", "--json"], { fail: new NoOutputsError("Stack dev has no outputs: it has not been deployed, or its resources were destroyed.", "Deploy it first") });
        assert.strictEqual(code, 1);
        assert.strictEqual(JSON.parse(out).error.type, "NoOutputsError");
        assert.match(err, /has no outputs/);
    });

    it("outputs --json prints the stack's outputs", async () => {
        const { code, out } = await cli(["outputs", "--stack", "dev", "--json"]);
        assert.strictEqual(code, 0);
        assert.strictEqual(JSON.parse(out).url, "http://x");
    });

    it("run-task starts a task from the stack's outputs and exits with the container's exit code", async () => {
        for (const exitCode of [0, 3]) {
            const { code, called } = await cli(["run-task", "--stack", "dev", "--", "python", "manage.py", "migrate"], { exitCode });
            assert.strictEqual(code, exitCode);
            const task = called.find((c) => c.op === "run-task")!.opts as OneOffTaskOptions;
            assert.deepStrictEqual(task.target, runTaskTarget);
            assert.deepStrictEqual(task.command, ["python", "manage.py", "migrate"]);
        }
    });

    it("cost prints the committed stack's monthly floor without touching Pulumi or AWS", async () => {
        const { code, out, called } = await cli(["cost", "--stack", "dev"]);
        assert.strictEqual(code, 0);
        assert.match(out, /^Monthly floor of dev:/);
        assert.match(out, /\| NAT instance \(t4g\.nano\) \| 1 × 730 h × 0\.0042 USD \| 3\.07 \|/);
        assert.match(out, /\| \*\*total\*\* \| us-east-1 list prices of \d{4}-\d{2}-\d{2}, always on, idle \| \*\*39\.62\*\* \|/);
        assert.deepStrictEqual(called, []);
        assert.ok(Math.abs(JSON.parse((await cli(["cost", "--stack", "prod", "--json"])).out).monthlyUsd - 188.7551) < 0.005);
    });

    it("cost of a stack with no stack file fails with exit code 1", async () => {
        const { code, err } = await cli(["cost", "--stack", "nosuchstack"]);
        assert.strictEqual(code, 1);
        assert.match(err, /Pulumi\.nosuchstack\.yaml/);
    });
});

describe("automation: npm run deploy through the real Pulumi CLI", function () {
    this.timeout(120000);
    let box: Sandbox;
    before(() => {
        box = sandbox();
        // A setting the program refuses on the dev stack, in its stack file: only a program that reads the stack file sees it.
        fs.appendFileSync(path.join(box.project, "Pulumi.dev.yaml"), "  flask-fargate:ec2InstanceTypes:\n    - m5.large\n");
    });
    after(() => box.remove());
    afterEach(() => assert.deepStrictEqual(box.leftovers(), [], "every temporary copy of the project is removed"));

    /** Runs `npm run deploy -- <args>` on the sandbox's project. */
    const deploy = (...args: string[]) => {
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(projectDir, "automation", "cli.ts"), ...args, "--cwd", box.project], {
            cwd: projectDir,
            env: { ...process.env, ...box.env, TMPDIR: box.tmp },
            encoding: "utf8",
        });
        return { code: run.status, out: run.stdout, err: run.stderr };
    };

    it("--inline runs the program on the stack's config (the stack file, Pulumi.yaml's defaults), and the program's message is the error", () => {
        const { code, out, err } = deploy("preview", "--stack", "dev", "--inline", "--create", "--json");
        assert.strictEqual(code, 1, err);
        const { error } = JSON.parse(out);
        assert.strictEqual(error.type, "OperationFailedError");
        assert.match(error.message, /^flask-fargate:ec2InstanceTypes is .*m5\.large.*; it applies only when flask-fargate:capacity is ec2 \(it is fargate-spot\)/);
        assert.doesNotMatch(out + err, /code: -2|aws:region is ""/);
    });

    it("up on a stack that does not exist creates nothing and exits 1, naming the stacks that exist", () => {
        const { code, err } = deploy("up", "--stack", "dve");
        assert.strictEqual(code, 1);
        assert.match(err, /error: Stack dve does not exist; the project's stacks are: dev\.\n/);
        assert.match(err, /--create/);
    });

    it("outputs of a stack that was never deployed exits 1 and says so", () => {
        const { code, out, err } = deploy("outputs", "--stack", "dev");
        assert.strictEqual(code, 1);
        assert.strictEqual(out, "");
        assert.match(err, /error: Stack dev has no outputs: it has not been deployed/);
    });
});
