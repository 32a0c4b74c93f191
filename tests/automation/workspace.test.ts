import * as pulumi from "@pulumi/pulumi";
import * as auto from "@pulumi/pulumi/automation";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { CredentialsError, NoOutputsError, OperationFailedError, PulumiCliMissingError, StackLockedError, StackNotFoundError } from "../../automation/errors";
import { pulumiCommand, sdkVersion } from "../../automation/pulumiCli";
import * as ws from "../../automation/workspace";
import { Sandbox, sandbox } from "./sandbox";

/** An inline program that declares no resource: it exports the settings it reads, with their types. */
const echoSettings: auto.PulumiFn = async () => {
    const config = new pulumi.Config("flask-fargate");
    return {
        region: new pulumi.Config("aws").get("region"),
        desiredCount: config.getNumber("desiredCount"),
        protectData: config.getBoolean("protectData"),
        capacity: config.get("capacity"),
        environment: config.getObject<string[]>("environment"),
        ingressCidrs: config.getObject<string[]>("ingressCidrs"),
        secrets: config.getSecretObject<string[]>("secrets"),
    };
};

/** An inline program that stops, as the project's program does on a bad setting. */
const refuseSetting: auto.PulumiFn = async () => {
    throw new pulumi.RunError("flask-fargate:cpu is 300; it must be one of 256, 512, 1024, 2048, 4096, 8192, 16384");
};

const secretArn = "DB_PASSWORD=arn:aws:ssm:us-east-1:123456789012:parameter/db";

describe("automation: stacks through the real Pulumi CLI", function () {
    this.timeout(120000);
    let box: Sandbox;
    let restoreTmp: () => void;
    const opts = (stack: string, more: Partial<ws.StackOptions> = {}): ws.StackOptions => ({ stack, workDir: box.project, envVars: box.env, program: echoSettings, ...more });
    const projectFiles = () => Object.fromEntries(fs.readdirSync(box.project).map((f) => [f, fs.readFileSync(path.join(box.project, f), "utf8")]));

    before(async () => {
        box = sandbox();
        restoreTmp = box.useTmp();
        await ws.up(opts("dev", { create: true }));
    });
    after(() => {
        restoreTmp();
        box.remove();
    });
    afterEach(() => assert.deepStrictEqual(box.leftovers(), [], "every temporary copy of the project is removed"));

    it(`runs the CLI of @pulumi/pulumi's version (${sdkVersion}), whose engine events come over tcp`, async () => {
        const events: auto.EngineEvent[] = [];
        const result = await ws.preview(opts("dev", { onEvent: (e) => events.push(e) }));
        assert.ok(events.some((e) => e.summaryEvent), "the summary event arrived");
        assert.deepStrictEqual(result.changes, { same: 1 });
    });

    it("typed settings reach the program with their types: integers, booleans, arrays (also empty) and secret arrays", async () => {
        const open = await ws.openStack(
            opts("dev", { settings: { settings: { desiredCount: 3, protectData: true, environment: ["LOG_LEVEL=info", "A=1"], ingressCidrs: [], secrets: [secretArn] } } }),
        );
        try {
            const result = await open.stack.up();
            const values = Object.fromEntries(Object.entries(result.outputs).map(([k, o]) => [k, o.value]));
            assert.deepStrictEqual(values, {
                region: "us-east-1",
                desiredCount: 3,
                protectData: true,
                capacity: "fargate-spot",
                environment: ["LOG_LEVEL=info", "A=1"],
                ingressCidrs: [],
                secrets: [secretArn],
            });
            assert.strictEqual(result.outputs.secrets.secret, true, "the secrets setting stays a secret");
            const stackFile = fs.readFileSync(path.join(open.workDir, "Pulumi.dev.yaml"), "utf8");
            assert.ok(!stackFile.includes("arn:aws:ssm"), "the stack file holds the secret encrypted");
            assert.ok(YAML.parse(stackFile).config["flask-fargate:secrets"].every((item: object) => "secure" in item));
        } finally {
            open.close();
        }
    });

    it("never changes the project's stack files; persist writes the settings back, after a successful operation only", async () => {
        const before = projectFiles();
        await ws.preview(opts("dev", { settings: { settings: { desiredCount: 3, environment: ["A=1"] } } }));
        await ws.up(opts("dev", { settings: { settings: { desiredCount: 3 } } }));
        assert.deepStrictEqual(projectFiles(), before);

        await assert.rejects(ws.preview(opts("dev", { program: refuseSetting, persist: true, settings: { settings: { cpu: 300 } } })), OperationFailedError);
        assert.deepStrictEqual(projectFiles(), before, "a failed operation persists nothing");

        await ws.preview(opts("dev", { persist: true, settings: { settings: { desiredCount: 3, environment: ["A=1"] } } }));
        const persisted = YAML.parse(fs.readFileSync(path.join(box.project, "Pulumi.dev.yaml"), "utf8")).config;
        assert.strictEqual(String(persisted["flask-fargate:desiredCount"]), "3");
        assert.deepStrictEqual(persisted["flask-fargate:environment"], ["A=1"]);
        assert.strictEqual(persisted["flask-fargate:capacity"], "fargate-spot", "the stack's other settings are kept");
        assert.deepStrictEqual(Object.keys(projectFiles()).sort(), Object.keys(before).sort(), "only the stack file changed");
        fs.writeFileSync(path.join(box.project, "Pulumi.dev.yaml"), before["Pulumi.dev.yaml"]);
    });

    it("an operation on a stack that does not exist is StackNotFoundError naming the existing ones, and creates nothing; create: true creates it", async () => {
        for (const op of [ws.up, ws.preview, ws.refresh, ws.destroy, ws.outputs] as ((o: ws.StackOptions) => Promise<unknown>)[]) {
            await assert.rejects(op(opts("dve")), (err: Error) => err instanceof StackNotFoundError && /Stack dve does not exist; the project's stacks are: dev/.test(err.message));
        }
        const workspace = await auto.LocalWorkspace.create({ workDir: box.project, envVars: box.env, pulumiCommand: await pulumiCommand() });
        assert.deepStrictEqual((await workspace.listStacks()).map((s) => s.name), ["dev"]);
        const result = await ws.preview(opts("qa", { create: true }));
        assert.deepStrictEqual(result.changes, { create: 1 });
    });

    it("outputs of a stack that was never deployed is NoOutputsError; of a deployed one, its outputs", async () => {
        await ws.preview(opts("empty", { create: true }));
        await assert.rejects(ws.outputs(opts("empty")), (err: Error) => err instanceof NoOutputsError && /Stack empty has no outputs: it has not been deployed/.test(err.message));
        assert.strictEqual((await ws.outputs(opts("dev"))).capacity, "fargate-spot");
    });

    it("a program's failure is OperationFailedError with the program's own message, not the Automation API's `code: -2`", async () => {
        const err = await ws.preview(opts("dev", { program: refuseSetting })).catch((e) => e);
        assert.ok(err instanceof OperationFailedError);
        assert.strictEqual(err.reason, "flask-fargate:cpu is 300; it must be one of 256, 512, 1024, 2048, 4096, 8192, 16384");
        assert.doesNotMatch(err.message, /code: -2/);
    });

    it("a refusal of the CLI itself (a value of the wrong type) is streamed as it comes and is the error's reason", async () => {
        const streamed: string[] = [];
        const err = await ws.preview(opts("dev", { settings: { extra: { "flask-fargate:cpu": "abc" } }, onError: (t) => streamed.push(t) })).catch((e) => e);
        assert.ok(err instanceof OperationFailedError, String(err));
        assert.match(err.reason, /configuration key 'cpu' must be of type 'integer'/);
        assert.match(streamed.join(""), /configuration key 'cpu' must be of type 'integer'/);
    });

    it("a stack locked by another update is StackLockedError, with the CLI's word on who holds the lock", async () => {
        const locks = path.join(box.backend, ".pulumi", "locks", "organization", "flask-fargate", "dev");
        fs.mkdirSync(locks, { recursive: true });
        const lock = path.join(locks, "0b0e1d7c-1111-2222-3333-444455556666.json");
        fs.writeFileSync(lock, JSON.stringify({ pid: 1, username: "ci", hostname: "runner-7", timestamp: "2026-11-26T00:00:00Z" }));
        try {
            const err = await ws.up(opts("dev")).catch((e) => e);
            assert.ok(err instanceof StackLockedError, String(err));
            assert.match(err.message, /Stack dev is locked by another update/);
            assert.match(err.cliError ?? "", /created by ci@runner-7 \(pid 1\)/);
            assert.match(err.hint, /pulumi cancel/);
        } finally {
            fs.rmSync(lock);
        }
    });

    it("Pulumi Cloud without a token is CredentialsError", async () => {
        const err = await ws.preview(opts("dev", { envVars: { ...box.env, PULUMI_BACKEND_URL: "https://api.pulumi.com", PULUMI_ACCESS_TOKEN: "" } })).catch((e) => e);
        assert.ok(err instanceof CredentialsError, String(err));
        assert.match(err.cliError ?? "", /PULUMI_ACCESS_TOKEN must be set/);
    });
});

describe("automation: which Pulumi CLI runs", () => {
    const fakeCli = path.join(__dirname, "..", "fixtures", "fake-pulumi", "bin", "pulumi");

    it("AWS refusing for want of credentials is CredentialsError (stand-in CLI: only the AWS provider reports it)", async function () {
        this.timeout(30000);
        const box = sandbox();
        try {
            const err = await ws.preview({ stack: "dev", workDir: box.project, pulumiPath: fakeCli, envVars: box.env }).catch((e) => e);
            assert.ok(err instanceof CredentialsError, String(err));
            assert.match(err.cliError ?? "", /unable to validate AWS credentials/);
        } finally {
            box.remove();
        }
    });

    it("$PULUMI_CLI first, checked by the SDK's PulumiCommand.get", async () => {
        const cli = await pulumiCommand(undefined, { PULUMI_CLI: fakeCli, PATH: "" });
        assert.strictEqual(cli.command, fakeCli);
        assert.strictEqual(String(cli.version), sdkVersion);
    });

    for (const [version, refusal] of [
        ["3.1.0", /`pulumi` on PATH: Minimum version requirement failed\. .*your current CLI version is v3\.1\.0/], // the SDK's own floor
        ["3.205.0", new RegExp(`\`pulumi\` on PATH: it is v3\\.205\\.0, and this SDK needs v${sdkVersion.replace(/\./g, "\\.")} or a later v3\\.x`)], // engine events over tcp from v3.206
    ] as const) {
        it(`\`pulumi\` v${version} on PATH, older than @pulumi/pulumi, is refused, saying which version it is`, async () => {
            // The SDK runs `pulumi` from the process's PATH; and no .tools to look at first.
            const bin = fs.mkdtempSync(path.join(os.tmpdir(), "flask-fargate-old-pulumi-"));
            fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\necho v${version}\n`, { mode: 0o755 });
            const before = process.env.PATH;
            process.env.PATH = [bin, path.dirname(process.execPath)].join(path.delimiter);
            try {
                const err = await pulumiCommand(undefined, {}, "/nowhere").catch((e) => e);
                assert.ok(err instanceof PulumiCliMissingError, String(err));
                assert.match(err.message, /\/nowhere\/bin\/pulumi: Command failed with ENOENT/);
                assert.match(err.message, refusal);
                assert.match(err.message, /npm run setup/);
            } finally {
                process.env.PATH = before;
                fs.rmSync(bin, { recursive: true, force: true });
            }
        });
    }

    it("no CLI where it is expected is PulumiCliMissingError, saying how to get it", async () => {
        await assert.rejects(
            ws.preview({ stack: "dev", pulumiPath: "/nowhere/bin/pulumi" }),
            (err: Error) => err instanceof PulumiCliMissingError && /No Pulumi CLI runs at \/nowhere\/bin\/pulumi/.test(err.message) && /npm run setup/.test(err.message),
        );
    });
});
