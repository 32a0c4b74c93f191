import * as assert from "assert";
import { bucketAccessPolicy, secretResourceArn, secretsReadPolicy, serviceTrustPolicy, Statement, tlsOnlyBucketPolicy } from "../lib/policies";

const bucketArn = "arn:aws:s3:::files-abc";
const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe("policy documents", () => {
    it("the task role may list only its bucket and touch only that bucket's objects", () => {
        const doc = bucketAccessPolicy(bucketArn);
        const resources = doc.Statement.flatMap((s) => asList(s.Resource));
        assert.deepStrictEqual(resources.sort(), [bucketArn, `${bucketArn}/*`]);
        for (const s of doc.Statement) {
            assert.strictEqual(s.Effect, "Allow");
            for (const action of asList(s.Action)) {
                assert.ok(!action.includes("*"), `wildcard action ${action}`);
                const objectLevel = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"].includes(action);
                assert.strictEqual(s.Resource, objectLevel ? `${bucketArn}/*` : bucketArn, `${action} on ${s.Resource}`);
            }
        }
    });

    it("the task role can abort multipart uploads (the app aborts a failed one), only on its bucket's objects", () => {
        const granting = bucketAccessPolicy(bucketArn).Statement.filter((s) => asList(s.Action).includes("s3:AbortMultipartUpload"));
        assert.deepStrictEqual(granting.map((s) => [s.Effect, s.Resource]), [["Allow", `${bucketArn}/*`]]);
    });

    it("ECS tasks, and only they, may assume the roles; the account condition guards the task role", () => {
        const [statement] = serviceTrustPolicy("ecs-tasks.amazonaws.com", "123456789012").Statement;
        assert.deepStrictEqual(statement.Principal, { Service: "ecs-tasks.amazonaws.com" });
        assert.deepStrictEqual(statement.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
        assert.strictEqual(serviceTrustPolicy("ecs-tasks.amazonaws.com").Statement[0].Condition, undefined);
    });

    it("reads exactly the declared secrets, trimming JSON-key suffixes to the secret ARN", () => {
        const secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
        const parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/app/key";
        assert.strictEqual(secretResourceArn(`${secret}:password::`), secret);
        const doc = secretsReadPolicy([`${secret}:password::`, `${secret}:username::`, parameter], "arn:aws:kms:us-east-1:123456789012:key/k1")!;
        const byAction = Object.fromEntries(doc.Statement.map((s: Statement) => [s.Action, s.Resource]));
        assert.deepStrictEqual(byAction, {
            "secretsmanager:GetSecretValue": [secret],
            "ssm:GetParameters": [parameter],
            "kms:Decrypt": "arn:aws:kms:us-east-1:123456789012:key/k1",
        });
    });

    it("grants nothing, not even KMS, when no secret is declared", () => {
        assert.strictEqual(secretsReadPolicy([], "arn:aws:kms:us-east-1:123456789012:key/k1"), undefined);
    });

    it("the bucket refuses every request that is not over TLS", () => {
        const [deny] = tlsOnlyBucketPolicy(bucketArn).Statement;
        assert.strictEqual(deny.Effect, "Deny");
        assert.deepStrictEqual(deny.Resource, [bucketArn, `${bucketArn}/*`]);
        assert.deepStrictEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
    });
});
