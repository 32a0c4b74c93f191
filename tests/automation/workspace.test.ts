import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CredentialsError, PulumiCliMissingError, StackLockedError, StackNotFoundError } from "../../automation/errors";
import * as ws from "../../automation/workspace";

/** The stand-in CLI: records its command lines, answers like the Pulumi CLI. */
const cliRoot = path.join(__dirname, "..", "fixtures", "fake-pulumi");

describe("automation: contract with the Pulumi CLI (stand-in CLI)", function () {
    this.timeout(30000);
    let dir: string;
    let log: string;
    let state: string;
    const env = (scenario = "ok") => ({ FAKE_PULUMI_LOG: log, FAKE_PULUMI_STATE: state, FAKE_PULUMI_SCENARIO: scenario });
    const calls = () =>
        fs
            .readFileSync(log, "utf8")
            .trim()
            .split("\n")
            .map((line) => JSON.parse(line).args as string[])
            .filter((args) => args[0] !== "version");

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
        log = path.join(dir, "calls.log");
        state = path.join(dir, "state");
        fs.mkdirSync(state);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("preview creates the stack if needed, sets typed config (secrets as secrets), and returns the diff and counts", async () => {
        const output: string[] = [];
        const result = await ws.preview({
            stack: "dev",
            cliRoot,
            envVars: env(),
            settings: { region: "us-east-1", settings: { desiredCount: 3, secrets: ["DB=arn:aws:ssm:us-east-1:123456789012:parameter/db"] } },
            onOutput: (text) => output.push(text),
        });
        const [select, init, config, preview] = calls();
        assert.deepStrictEqual(select, ["stack", "select", "--stack", "dev", "--non-interactive"]);
        assert.deepStrictEqual(init, ["stack", "init", "dev", "--non-interactive"]);
        assert.deepStrictEqual(config, [
            "config", "set-all", "--stack", "dev",
            "--plaintext", "aws:region=us-east-1",
            "--plaintext", "flask-fargate:desiredCount=3",
            "--secret", 'flask-fargate:secrets=["DB=arn:aws:ssm:us-east-1:123456789012:parameter/db"]',
            "--non-interactive",
        ]); // prettier-ignore
        assert.deepStrictEqual(preview.slice(0, 4), ["preview", "--diff", "--exec-kind", "auto.local"]);
        assert.ok(preview.includes("--event-log"));
        assert.deepStrictEqual(preview.slice(-3), ["--stack", "dev", "--non-interactive"]);
        assert.deepStrictEqual(result.changes, { create: 3, same: 2 });
        assert.strictEqual(result.summary, "3 to create, 2 unchanged");
        assert.match(result.diff!, /\+ aws:ecs\/service:Service app-service create/);
        assert.match(output.join(""), /Previewing \(dev\)/, "progress is streamed");
    });

    it("up runs without a second preview, and returns the outputs and what it changed", async () => {
        fs.writeFileSync(path.join(state, "dev.stack"), "");
        const result = await ws.up({ stack: "dev", cliRoot, envVars: env() });
        const [select, up, ...rest] = calls();
        assert.deepStrictEqual(select, ["stack", "select", "--stack", "dev", "--non-interactive"]);
        assert.deepStrictEqual(up, ["up", "--yes", "--skip-preview", "--exec-kind", "auto.local", "--stack", "dev", "--non-interactive"]);
        assert.ok(rest.some((args) => args.join(" ") === "stack output --json --show-secrets --stack dev --non-interactive"));
        assert.deepStrictEqual(result.outputs, { url: "http://web-alb-1234567.us-east-1.elb.amazonaws.com", clusterName: "app-cluster-1" });
        assert.strictEqual(result.summary, "3 created, 2 unchanged");
    });

    it("the inline program runs in this process: the CLI is pointed at it", async () => {
        await ws.preview({ stack: "dev", cliRoot, envVars: env(), inline: true });
        const preview = calls().find((args) => args[0] === "preview")!;
        assert.ok(preview.includes("auto.inline"));
        assert.ok(preview.some((arg) => /^--client=127\.0\.0\.1:\d+$/.test(arg)));
    });

    it("outputs, refresh and destroy never create a stack: a missing one is StackNotFoundError", async () => {
        for (const op of [ws.outputs, ws.refresh, ws.destroy] as ((o: ws.StackOptions) => Promise<unknown>)[]) {
            await assert.rejects(op({ stack: "qa", cliRoot, envVars: env() }), StackNotFoundError);
        }
        assert.ok(calls().every((args) => args[1] !== "init"));
    });

    it("a stack locked by another update is StackLockedError", async () => {
        fs.writeFileSync(path.join(state, "prod.stack"), "");
        await assert.rejects(ws.up({ stack: "prod", cliRoot, envVars: env("locked") }), (err: Error) => err instanceof StackLockedError && /pulumi cancel/.test(err.message));
    });

    it("missing AWS credentials are CredentialsError", async () => {
        fs.writeFileSync(path.join(state, "dev.stack"), "");
        await assert.rejects(ws.preview({ stack: "dev", cliRoot, envVars: env("no-credentials") }), CredentialsError);
    });

    it("no CLI where it is expected is PulumiCliMissingError, saying how to install it", async () => {
        await assert.rejects(
            ws.preview({ stack: "dev", cliRoot: path.join(dir, "nowhere"), envVars: env() }),
            (err: Error) => err instanceof PulumiCliMissingError && /get\.pulumi\.com/.test(err.message),
        );
    });
});
