import * as assert from "assert";
import { main, parseCli, UsageError } from "../../automation/cli";
import { StackLockedError } from "../../automation/errors";
import { OneOffTaskOptions, OneOffTaskResult } from "../../automation/oneOffTask";
import { OperationResult, StackOptions } from "../../automation/workspace";

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
            command: "preview", stack: "dev", json: true, inline: false, cliRoot: undefined, cwd: undefined, yes: false, timeoutSeconds: 3600, taskCommand: [],
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

    it("a failed operation exits 1, with the error's type in JSON", async () => {
        const { code, out, err } = await cli(["up", "--stack", "prod", "--json"], { fail: new StackLockedError("Stack prod is locked by another update.", "run pulumi cancel") });
        assert.strictEqual(code, 1);
        assert.deepStrictEqual(JSON.parse(out), { ok: false, error: { type: "StackLockedError", message: "Stack prod is locked by another update.", hint: "run pulumi cancel" } });
        assert.match(err, /locked/);
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
        assert.ok(Math.abs(JSON.parse((await cli(["cost", "--stack", "prod", "--json"])).out).monthlyUsd - 178.7551) < 0.005);
    });

    it("cost of a stack with no stack file fails with exit code 1", async () => {
        const { code, err } = await cli(["cost", "--stack", "nosuchstack"]);
        assert.strictEqual(code, 1);
        assert.match(err, /Pulumi\.nosuchstack\.yaml/);
    });
});
