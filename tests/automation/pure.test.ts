import * as assert from "assert";
import {
    classifyError,
    CredentialsError,
    OperationFailedError,
    PulumiCliMissingError,
    StackLockedError,
    StackNotFoundError,
} from "../../automation/errors";
import { toConfigMap } from "../../automation/settings";
import { describeChanges, hasChanges } from "../../automation/summary";

describe("automation: config from a typed object", () => {
    it("namespaces the program's settings, writes lists as JSON, and keeps secret-naming settings secret", () => {
        const map = toConfigMap({
            region: "eu-west-1",
            settings: { desiredCount: 3, protectData: false, ingressCidrs: ["203.0.113.0/24"], secrets: ["DB=arn:aws:ssm:eu-west-1:123456789012:parameter/db"] },
            extra: { "aws:profile": "ops" },
            secrets: { "aws:secretKey": "s3cr3t" },
        });
        assert.deepStrictEqual(map, {
            "aws:region": { value: "eu-west-1" },
            "flask-fargate:desiredCount": { value: "3", secret: false },
            "flask-fargate:protectData": { value: "false", secret: false },
            "flask-fargate:ingressCidrs": { value: '["203.0.113.0/24"]', secret: false },
            "flask-fargate:secrets": { value: '["DB=arn:aws:ssm:eu-west-1:123456789012:parameter/db"]', secret: true },
            "aws:profile": { value: "ops" },
            "aws:secretKey": { value: "s3cr3t", secret: true },
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
    const commandError = (name: string, stderr: string) => Object.assign(new Error(`code: 255\n stderr: ${stderr}`), { name, commandResult: { stderr } });

    it("a missing CLI, with how to install it", () => {
        const err = classifyError(new Error("spawn /opt/pulumi/bin/pulumi ENOENT"), { cliRoot: "/opt/pulumi" });
        assert.ok(err instanceof PulumiCliMissingError);
        assert.match(err.message, /No Pulumi CLI at \/opt\/pulumi\/bin\/pulumi/);
        assert.match(err.hint, /get\.pulumi\.com/);
    });

    it("a stack locked by another update, from the Automation API's error or the CLI's words", () => {
        assert.ok(classifyError(commandError("ConcurrentUpdateError", "[409] Conflict: Another update is currently in progress.")) instanceof StackLockedError);
        const err = classifyError(commandError("CommandError", "error: the stack is currently locked by 1 lock(s)."), { stack: "prod" });
        assert.ok(err instanceof StackLockedError);
        assert.match(err.message, /Stack prod is locked/);
        assert.match(err.hint, /pulumi cancel/);
    });

    it("a missing stack", () => {
        const err = classifyError(commandError("StackNotFoundError", "error: no stack named 'qa' found"), { stack: "qa" });
        assert.ok(err instanceof StackNotFoundError);
        assert.match(err.message, /Stack qa does not exist/);
    });

    it("missing or expired credentials, AWS's or Pulumi Cloud's", () => {
        for (const stderr of ["error: NoCredentialProviders: no valid providers in chain", "error: ExpiredToken: the security token included in the request is expired", "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions"]) {
            assert.ok(classifyError(commandError("CommandError", stderr)) instanceof CredentialsError, stderr);
        }
    });

    it("anything else is an operation failure, with its first line", () => {
        const err = classifyError(new Error("\nupdate failed\nmore"));
        assert.ok(err instanceof OperationFailedError);
        assert.strictEqual(err.message.split("\n")[0], "update failed");
    });
});
