import * as auto from "@pulumi/pulumi/automation";
import * as assert from "assert";
import {
    captureOutput,
    classifyError,
    cliErrorOf,
    cliReasons,
    CredentialsError,
    OperationFailedError,
    PulumiCliMissingError,
    StackLockedError,
    StackNotFoundError,
} from "../../automation/errors";
import { configPlan } from "../../automation/settings";
import { describeChanges, hasChanges } from "../../automation/summary";

describe("automation: config from a typed object", () => {
    it("namespaces the program's settings, writes arrays item by item with path syntax, and keeps secret-naming settings secret", () => {
        const plan = configPlan({
            region: "eu-west-1",
            settings: { desiredCount: 3, protectData: false, ingressCidrs: ["203.0.113.0/24"], environment: [], secrets: ["DB=arn:aws:ssm:eu-west-1:123456789012:parameter/db"] },
            extra: { "aws:profile": "ops" },
            secrets: { "aws:secretKey": "s3cr3t" },
        });
        assert.deepStrictEqual(plan, {
            remove: ["flask-fargate:ingressCidrs", "flask-fargate:environment", "flask-fargate:secrets"],
            set: {
                "aws:region": { value: "eu-west-1", secret: false },
                "flask-fargate:desiredCount": { value: "3", secret: false },
                "flask-fargate:protectData": { value: "false", secret: false },
                "flask-fargate:ingressCidrs[0]": { value: "203.0.113.0/24", secret: false },
                "flask-fargate:secrets[0]": { value: "DB=arn:aws:ssm:eu-west-1:123456789012:parameter/db", secret: true },
                "aws:profile": { value: "ops", secret: false },
                "aws:secretKey": { value: "s3cr3t", secret: true },
            },
            empty: ["flask-fargate:environment"],
        });
    });
});

describe("automation: result summaries", () => {
    it("says what a preview would do and what an update did", () => {
        assert.strictEqual(describeChanges({ create: 2, replace: 1, same: 14 }), "2 to create, 1 to replace, 14 unchanged");
        assert.strictEqual(describeChanges({ create: 2, delete: 1 }, true), "2 created, 1 deleted");
        assert.strictEqual(describeChanges({}), "no changes");
        assert.strictEqual(hasChanges({ same: 14 }), false);
        assert.strictEqual(hasChanges({ same: 14, update: 1 }), true);
    });
});

describe("automation: error classification", () => {
    type SdkErrorClass = typeof auto.CommandError;
    /**
     * What @pulumi/pulumi 3.260 throws when the CLI fails: its CommandError (or a subclass, chosen
     * by the CLI's stderr) whose message is its CommandResult's text, wrapped again as "code: -2"
     * by exec's catch (automation/cmd.js). The SDK's constructor takes the CommandResult (internal)
     * and uses only its text, so the text stands in for it here.
     */
    const sdkError = (Class: SdkErrorClass, stderr: string, stdout = "") => {
        const inner = `code: 255\n stdout: ${stdout}\n stderr: ${stderr}\n err?: \n`;
        return new Class(`code: -2\n stdout: \n stderr: ${inner}\n err?: ${Class.name}: ${inner}\n`);
    };
    /** The same failure as the module sees it when it streamed the operation: the error, and the CLI's output it kept. */
    const streamed = (Class: SdkErrorClass, stderr: string, stdout = "") => {
        const { output, onOutput, onError } = captureOutput();
        onOutput(stdout);
        onError(stderr);
        return [sdkError(Class, stderr, stdout), { output }] as const;
    };

    it("keeps the CLI's streamed output for the classifier while passing it on", () => {
        const passed: string[] = [];
        const { output, onOutput, onError } = captureOutput((t) => passed.push(`out:${t}`), (t) => passed.push(`err:${t}`));
        onOutput("Previewing update (dev):\n");
        onError("error: boom\n");
        assert.deepStrictEqual(output, { stdout: "Previewing update (dev):\n", stderr: "error: boom\n" });
        assert.deepStrictEqual(passed, ["out:Previewing update (dev):\n", "err:error: boom\n"]);
    });

    it("the CLI's reasons: its error lines on stderr with their details, then the program's and resources' in the diagnostics, each once", () => {
        const stdout = ` +  pulumi:pulumi:Stack app-dev create error: flask-fargate:cpu is 300\nDiagnostics:\n  pulumi:pulumi:Stack (app-dev):\n    error: flask-fargate:cpu is 300\n    error: flask-fargate:cpu is 300\n`;
        assert.deepStrictEqual(cliReasons({ stdout, stderr: "" }), ["flask-fargate:cpu is 300"]);
        const stderr = "error: the stack is currently locked by 1 lock(s).\n  file:///b/.pulumi/locks/x.json: created by ci@runner (pid 1)\n";
        assert.deepStrictEqual(cliReasons({ stdout: "", stderr }), ["the stack is currently locked by 1 lock(s).\nfile:///b/.pulumi/locks/x.json: created by ci@runner (pid 1)"]);
        assert.deepStrictEqual(cliReasons({ stdout: "    error: 1 error occurred: creating ECS Service: AccessDenied\n", stderr: "error: update failed\n" }), ["1 error occurred: creating ECS Service: AccessDenied"]);
    });

    it("without streamed output (stack select, config, outputs), the CLI's reasons come from the SDK error's message, once", () => {
        assert.strictEqual(cliErrorOf(sdkError(auto.StackNotFoundError, "error: no stack named 'qa' found\n")), "no stack named 'qa' found");
    });

    it("a CLI that cannot be started, with how to get it", () => {
        const err = classifyError(new auto.CommandError("code: -2\n stdout: \n stderr: Command failed with ENOENT: pulumi version\nspawn pulumi ENOENT\n err?: Error: spawn pulumi ENOENT\n"));
        assert.ok(err instanceof PulumiCliMissingError);
        assert.match(err.hint, /npm run setup/);
    });

    it("a stack locked by another update: the SDK's ConcurrentUpdateError, with the CLI's words", () => {
        assert.ok(classifyError(...streamed(auto.ConcurrentUpdateError, "error: [409] Conflict: Another update is currently in progress.\n")) instanceof StackLockedError);
        const [thrown, context] = streamed(auto.ConcurrentUpdateError, "error: the stack is currently locked by 1 lock(s).\n");
        const err = classifyError(thrown, { ...context, stack: "prod" });
        assert.ok(err instanceof StackLockedError);
        assert.match(err.message, /Stack prod is locked/);
        assert.strictEqual(err.cliError, "the stack is currently locked by 1 lock(s).");
        assert.match(err.hint, /pulumi cancel/);
    });

    it("a missing stack: the SDK's StackNotFoundError", () => {
        const err = classifyError(sdkError(auto.StackNotFoundError, "error: no stack named 'qa' found\n"), { stack: "qa" });
        assert.ok(err instanceof StackNotFoundError);
        assert.match(err.message, /Stack qa does not exist/);
        assert.strictEqual(err.cliError, "no stack named 'qa' found");
    });

    it("missing or expired credentials, AWS's (in a resource's diagnostics) or Pulumi Cloud's", () => {
        for (const [stderr, stdout] of [
            ["", "Diagnostics:\n  pulumi:providers:aws (default):\n    error: NoCredentialProviders: no valid providers in chain\n"],
            ["", "    error: ExpiredToken: the security token included in the request is expired\n"],
            ["error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n", ""],
        ]) {
            assert.ok(classifyError(...streamed(auto.CommandError, stderr, stdout)) instanceof CredentialsError, stderr + stdout);
        }
        assert.ok(classifyError(sdkError(auto.CommandError, "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n")) instanceof CredentialsError, "unstreamed");
    });

    it("any other failure of the CLI is an operation failure whose reason is the CLI's first error, never `code: -2`", () => {
        const err = classifyError(...streamed(auto.CommandError, "error: update failed\n", "    error: creating ECS Service: InvalidParameterException: bad\n"));
        assert.ok(err instanceof OperationFailedError);
        assert.strictEqual(err.reason, "creating ECS Service: InvalidParameterException: bad");
        assert.doesNotMatch(err.message, /code: -2/);
    });

    it("anything else is an operation failure, with its first line", () => {
        const err = classifyError(new Error("\nupdate failed\nmore"));
        assert.ok(err instanceof OperationFailedError);
        assert.strictEqual(err.reason, "update failed");
    });
});
