import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaultSettings } from "../lib/config";
import { tlsOnlyBucketPolicy } from "../lib/policies";

export interface AppBucketArgs {
    /**
     * Protect the bucket from `pulumi destroy` and keep it (with its files) if it leaves the
     * program; when false, destroy empties and deletes it.
     * @default Pulumi.yaml's default of the `protectData` setting
     */
    protectData?: boolean;
}

/** The private, encrypted, versioned S3 bucket the app stores its files in. */
export class AppBucket extends pulumi.ComponentResource {
    /** Bucket name (auto-generated). */
    public readonly name: pulumi.Output<string>;
    /** Bucket ARN. */
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: AppBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:bucket:AppBucket", name, {}, opts);
        const protectData = args.protectData ?? defaultSettings.protectData;

        const bucket = new aws.s3.Bucket(
            `${name}-bucket`,
            { forceDestroy: !protectData },
            { parent: this, protect: protectData, retainOnDelete: protectData },
        );
        const bucketArgs = { bucket: bucket.id };
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            { ...bucketArgs, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            { parent: this },
        );
        new aws.s3.BucketOwnershipControls(
            `${name}-ownership`,
            { ...bucketArgs, rule: { objectOwnership: "BucketOwnerEnforced" } },
            { parent: this },
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { ...bucketArgs, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
            { parent: this },
        );
        new aws.s3.BucketVersioning(
            `${name}-versioning`,
            { ...bucketArgs, versioningConfiguration: { status: "Enabled" } },
            { parent: this },
        );
        // Versioning keeps overwritten and deleted files; drop them after 30 days, and drop
        // abandoned multipart uploads after a week, so the bucket does not grow without bound.
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                ...bucketArgs,
                rules: [
                    {
                        id: "expire-old-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            { parent: this },
        );
        new aws.s3.BucketPolicy(
            `${name}-tls-only`,
            { ...bucketArgs, policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))) },
            // S3 refuses a bucket policy while the public access block is being changed.
            { parent: this, dependsOn: [publicAccess] },
        );

        this.name = bucket.bucket;
        this.arn = bucket.arn;
        this.registerOutputs({ name: this.name, arn: this.arn });
    }
}
