import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, parseCli, UsageError } from "../../automation/cli";
import { NoOutputsError, OperationFailedError, StackLockedError } from "../../automation/errors";
import { OneOffTaskOptions, OneOffTaskResult } from "../../automation/oneOffTask";
import { ChangeStep } from "../../automation/changeDiagram";
import { DriftedResource } from "../../automation/drift";
import { ReviewOptions, ReviewStack } from "../../automation/review";
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

/** What the stand-in operations do. */
interface Behaviour {
    fail?: Error;
    exitCode?: number;
    drifted?: DriftedResource[];
    reviewStacks?: ReviewStack[];
    /** Review stacks whose destroy fails. */
    failDestroy?: string[];
}

/** Runs the CLI with stand-in operations; returns the exit code, what it printed, and what it called. */
async function cli(argv: string[], behaviour: Behaviour = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const called: { op: string; opts: StackOptions | OneOffTaskOptions | ReviewOptions }[] = [];
    const steps: ChangeStep[] = [{ op: "create", urn: "urn:pulumi:dev::flask-fargate::aws:s3/bucket:Bucket::files-bucket", type: "aws:s3/bucket:Bucket", parent: "", custom: true, replaceKeys: [] }];
    const result = (operation: OperationResult["operation"]) => async (opts: StackOptions): Promise<OperationResult> => {
        called.push({ op: operation, opts });
        if (behaviour.fail) throw behaviour.fail;
        return { operation, stack: opts.stack, changes: { create: 1 }, summary: "1 to create", durationMs: 1200, ...(operation === "preview" ? { steps, diff: "+ aws:s3:Bucket files-bucket create" } : {}) };
    };
    const estimate = { lines: [{ item: "Fargate Spot tasks", detail: "1 × 730 h", monthlyUsd: 2.5 }], monthlyUsd: 12.25, pricesDate: "2026-11-26", region: "us-east-1" };
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
        drift: async (opts) => {
            called.push({ op: "drift", opts });
            if (behaviour.fail) throw behaviour.fail;
            return { stack: opts.stack, drifted: behaviour.drifted ?? [], checkedAt: "2026-12-03T00:00:00.000Z", durationMs: 900 };
        },
        review: {
            up: async (opts) => {
                called.push({ op: "review up", opts });
                const stack = `pr-${opts.pr}`;
                return { stack, pr: opts.pr, url: "http://web-alb-1234567.us-east-1.elb.amazonaws.com", cost: estimate, result: { operation: "up", stack, changes: { create: 90 }, summary: "90 created", durationMs: 1 } };
            },
            destroy: async (opts) => {
                called.push({ op: "review destroy", opts });
                if (behaviour.failDestroy?.includes(opts.pr)) throw new Error(`boom ${opts.pr}`);
                return { stack: `pr-${opts.pr}`, existed: true, deleted: 90 };
            },
            list: async (opts) => {
                called.push({ op: "review list", opts: opts as StackOptions });
                return behaviour.reviewStacks ?? [];
            },
        },
    });
    return { code, out: out.join(""), err: err.join(""), called };
}

describe("automation: CLI", () => {
    it("parses a command, its stack and options", () => {
        assert.deepStrictEqual(parseCli(["preview", "--stack", "dev", "--json"]), {
            command: "preview", stack: "dev", json: true, inline: false, create: false, persist: false, pulumiPath: undefined, cwd: undefined, yes: false, timeoutSeconds: 3600, taskCommand: [],
            config: {}, policyPacks: [], comment: undefined, review: undefined,
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

    for (const [argv, message] of [
        [["review"], /review needs an action: up, destroy, list, sweep/],
        [["review", "deploy"], /review needs an action: .* \(not "deploy"\)/],
        [["review", "up"], /review up needs --pr/],
        [["review", "up", "--pr", "012"], /--pr: .*without leading zeros/],
        [["review", "up", "--pr", `1${"0".repeat(97)}`], /--pr: the pull request number has 98 digits; .* at most 97 digits/],
        [["review", "up", "--pr", "5", "--stack", "dev"], /leave out --stack/],
        [["review", "destroy", "--pr", "5"], /add --yes/],
        [["review", "sweep", "--yes"], /review sweep needs --open-prs/],
        [["review", "sweep", "--yes", "--open-prs", "1,x"], /--open-prs: the pull request number is "x"/],
        [["review", "sweep", "--yes", "--open-prs", "1", "--ttl-hours", "0"], /--ttl-hours is "0"/],
        [["preview", "--stack", "dev", "--config", "nokey"], /--config "nokey": give KEY=VALUE/],
    ] as [string[], RegExp][]) {
        it(`refuses ${JSON.stringify(argv).slice(0, 80)} with exit code 2`, async () => {
            const { code, err } = await cli(argv);
            assert.strictEqual(code, 2);
            assert.match(err, message);
        });
    }

    it("--config and --policy-pack reach the operation, for this operation only", async () => {
        const { called } = await cli(["preview", "--stack", "dev", "--config", "flask-fargate:buildOnPreview=false", "--config", "aws:profile=a=b", "--policy-pack", "policy"]);
        const opts = called[0].opts as StackOptions;
        assert.deepStrictEqual(opts.settings, { extra: { "flask-fargate:buildOnPreview": "false", "aws:profile": "a=b" } });
        assert.deepStrictEqual(opts.policyPacks, ["policy"]);
        assert.strictEqual(opts.persist, false);
    });

    describe("files it writes", () => {
        let dir: string;
        beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-test-"))));
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
        const written = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");

        it("preview --comment writes the pull request comment: its marker, the summary, the picture and the diff", async () => {
            const { code } = await cli(["preview", "--stack", "dev", "--comment", path.join(dir, "c.md")]);
            assert.strictEqual(code, 0);
            assert.match(written("c.md"), /^<!-- flask-fargate:preview:dev -->\n### Preview of `dev`: 1 to create\n\n```mermaid\nflowchart LR\n {4}n0\["\+ files-bucket<br\/>aws:s3:Bucket"\]:::create\n[\s\S]*```diff\n\+ aws:s3:Bucket files-bucket create\n```/);
        });

        it("a failed preview --comment writes why it failed, and exits 1", async () => {
            const fail = new OperationFailedError("flask-fargate:cpu is 300", "", undefined, "flask-fargate:cpu is 300");
            const { code } = await cli(["preview", "--stack", "prod", "--comment", path.join(dir, "c.md")], { fail });
            assert.strictEqual(code, 1);
            assert.match(written("c.md"), /^<!-- flask-fargate:preview:prod -->\n### Preview of `prod` failed\n\n```text\nflask-fargate:cpu is 300\n```/);
        });

        it("drift: exit 0 and no issue body without drift; exit 3, what drifted, and the issue body with it", async () => {
            const clean = await cli(["drift", "--stack", "prod", "--comment", path.join(dir, "none.md")]);
            assert.deepStrictEqual([clean.code, clean.out.replace(/\(.*\)/, "(t)")], [0, "drift prod: no drift (t)\n"]);
            assert.ok(!fs.existsSync(path.join(dir, "none.md")));
            const drifted: DriftedResource[] = [
                { urn: "urn:pulumi:prod::flask-fargate::x$aws:cloudwatch/logGroup:LogGroup::app-logs", type: "aws:cloudwatch/logGroup:LogGroup", op: "update", properties: [{ path: "retentionInDays", inState: 365, now: 1 }] },
                { urn: "urn:pulumi:prod::flask-fargate::x$aws:sns/topic:Topic::alarms-topic", type: "aws:sns/topic:Topic", op: "delete", properties: [] },
            ];
            const { code, out } = await cli(["drift", "--stack", "prod", "--comment", path.join(dir, "issue.md")], { drifted });
            assert.strictEqual(code, 3);
            assert.strictEqual(out, "drift prod: 2 resource(s) changed outside Pulumi\n  ~ app-logs (aws:cloudwatch/logGroup:LogGroup): retentionInDays 365 -> 1\n  - alarms-topic (aws:sns/topic:Topic): deleted outside Pulumi\n");
            assert.match(written("issue.md"), /^<!-- flask-fargate:drift:prod -->\n/);
            assert.match(written("issue.md"), /\| app-logs \| aws:cloudwatch:LogGroup \| `retentionInDays` \| `365` \| `1` \|/);
        });

        it("review up --pr N creates pr-N from dev, prints its URL and monthly floor, and writes the review comment", async () => {
            const { code, out, called } = await cli(["review", "up", "--pr", "1234567890123", "--branch", "feat/x", "--comment", path.join(dir, "r.md")]);
            assert.strictEqual(code, 0);
            assert.strictEqual(out, "review up pr-1234567890123: 90 created\nurl: http://web-alb-1234567.us-east-1.elb.amazonaws.com\nmonthly floor: 12.25 USD\n");
            const opts = called[0].opts as ReviewOptions;
            assert.deepStrictEqual([opts.pr, opts.branch, opts.base], ["1234567890123", "feat/x", "dev"]);
            assert.match(written("r.md"), /^<!-- flask-fargate:review -->\n### Review stack `pr-1234567890123`: http:\/\/web-alb-1234567\.us-east-1\.elb\.amazonaws\.com\n[\s\S]*\*\*12\.25 USD\*\*/);
            assert.match(written("r.md"), /not been updated for 72 hours/);
        });
    });

    it("review sweep destroys the review stacks of pull requests not open, and those idle past the TTL; never one being updated; a failure does not stop it", async () => {
        const hoursAgo = (h: number) => new Date(Date.now() - h * 3600000).toISOString();
        const reviewStacks: ReviewStack[] = [
            { stack: "pr-1", pr: "1", lastUpdate: hoursAgo(1) },
            { stack: "pr-2", pr: "2", lastUpdate: hoursAgo(1) },
            { stack: "pr-3", pr: "3", lastUpdate: hoursAgo(48) },
            { stack: "pr-4", pr: "4", lastUpdate: hoursAgo(100), updateInProgress: true },
            { stack: "pr-5", pr: "5", lastUpdate: hoursAgo(2) },
        ];
        const { code, out, err, called } = await cli(["review", "sweep", "--yes", "--open-prs", "2,3", "--ttl-hours", "24"], { reviewStacks, failDestroy: ["5"] });
        assert.deepStrictEqual(called.filter((c) => c.op === "review destroy").map((c) => (c.opts as ReviewOptions).pr), ["1", "3", "5"]);
        assert.match(out, /pr-1 destroyed \(pull request #1 is not open; 90 deleted\)/);
        assert.match(out, /pr-3 destroyed \(not updated for 4[78] hours \(TTL 24\); 90 deleted\)/);
        assert.match(err, /pr-5 \(pull request #5 is not open\) could not be destroyed: boom 5/);
        assert.match(out, /3 stale review stack\(s\), 2 destroyed/);
        assert.strictEqual(code, 1);
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
