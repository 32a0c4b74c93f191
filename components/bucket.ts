import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement, tlsOnlyBucketPolicy } from "../lib/policies";

export interface AppBucketArgs {
    /**
     * Protect the bucket from `pulumi destroy` and keep it (with its files) if it leaves the
     * program; when false, destroy empties and deletes it.
     * @default true
     */
    protectData?: boolean;
    /**
     * Delete objects this many days after they were written (for logs).
     * @default undefined (objects are kept until deleted)
     */
    expireAfterDays?: number;
    /**
     * Further bucket policy statements, given the bucket's ARN (e.g. a log delivery grant).
     * @default undefined (the TLS-only statement alone)
     */
    grants?: (bucketArn: pulumi.Output<string>) => pulumi.Input<Statement[]>;
}

/**
 * A private, encrypted (SSE-S3), versioned S3 bucket with a TLS-only policy: the app's files, and
 * the load balancer's access logs.
 */
export class AppBucket extends pulumi.ComponentResource {
    /** Bucket name (auto-generated), known once the bucket policy is in place. */
    public readonly name: pulumi.Output<string>;
    /** The bucket: add what you need on it (its policy is this component's). */
    public readonly bucket: aws.s3.Bucket;
    /** Bucket ARN. */
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: AppBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:bucket:AppBucket", name, {}, opts);
        const protectData = args.protectData ?? true;

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
                        ...(args.expireAfterDays ? { expiration: { days: args.expireAfterDays } } : {}),
                    },
                ],
            },
            { parent: this },
        );
        const tlsOnly = bucket.arn.apply((arn) => tlsOnlyBucketPolicy(arn));
        const grants = pulumi.output(args.grants?.(bucket.arn) ?? []);
        const policy = new aws.s3.BucketPolicy(
            `${name}-tls-only`,
            { ...bucketArgs, policy: pulumi.all([tlsOnly, grants]).apply(([doc, extra]) => JSON.stringify({ ...doc, Statement: [...doc.Statement, ...extra] })) },
            // S3 refuses a bucket policy while the public access block is being changed.
            { parent: this, dependsOn: [publicAccess] },
        );

        // Users of the name (the app, ELB log delivery) come after the policy that governs them.
        this.name = pulumi.all([bucket.bucket, policy.id]).apply(([bucketName]) => bucketName);
        this.arn = bucket.arn;
        this.bucket = bucket;
        this.registerOutputs({ name: this.name, arn: this.arn });
    }
}
