import * as assert from "assert";
import { json, runWith } from "./harness";

describe("AppBucket component", () => {
    it("blocks every kind of public access, encrypts, versions and enforces bucket-owner objects", async () => {
        const run = await runWith();
        const bucket = run.one("aws:s3/bucket:Bucket", "files-bucket").state.bucket;
        const block = run.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "files-public-access").inputs;
        assert.deepStrictEqual(
            [block.bucket, block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
            [bucket, true, true, true, true],
        );
        const sse = run.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "files-encryption").inputs;
        assert.strictEqual(sse.bucket, bucket);
        assert.strictEqual(sse.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
        const versioning = run.one("aws:s3/bucketVersioning:BucketVersioning", "files-versioning").inputs;
        assert.deepStrictEqual([versioning.bucket, versioning.versioningConfiguration.status], [bucket, "Enabled"]);
        assert.strictEqual(run.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "files-ownership").inputs.rule.objectOwnership, "BucketOwnerEnforced");
    });

    it("lets old versions and abandoned uploads expire", async () => {
        const [rule] = (await runWith()).one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "files-lifecycle").inputs.rules;
        assert.deepStrictEqual([rule.status, rule.noncurrentVersionExpiration, rule.abortIncompleteMultipartUpload], [
            "Enabled",
            { noncurrentDays: 30 },
            { daysAfterInitiation: 7 },
        ]);
    });

    it("denies non-TLS requests to this bucket, after the public access block is in place", async () => {
        const run = await runWith();
        const bucket = run.one("aws:s3/bucket:Bucket", "files-bucket");
        const policy = run.one("aws:s3/bucketPolicy:BucketPolicy", "files-tls-only");
        assert.strictEqual(policy.inputs.bucket, bucket.state.bucket);
        const [deny] = json(policy.inputs.policy).Statement;
        assert.deepStrictEqual(deny.Resource, [bucket.state.arn, `${bucket.state.arn}/*`]);
        assert.deepStrictEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.ok(policy.dependencies.includes(run.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "files-public-access").urn));
    });

    it("is protected and retained with protectData, and emptied on destroy without it", async () => {
        const kept = (await runWith({ protectData: true })).one("aws:s3/bucket:Bucket", "files-bucket");
        assert.deepStrictEqual([kept.protect, kept.retainOnDelete, kept.inputs.forceDestroy], [true, true, false]);
        const disposable = (await runWith({ protectData: false })).one("aws:s3/bucket:Bucket", "files-bucket");
        assert.deepStrictEqual([disposable.protect, disposable.retainOnDelete, disposable.inputs.forceDestroy], [false, false, true]);
    });

    it("lets AWS name the bucket, so it can be replaced", async () => {
        const bucket = (await runWith()).one("aws:s3/bucket:Bucket", "files-bucket");
        assert.strictEqual(bucket.inputs.bucket, undefined);
    });
});
