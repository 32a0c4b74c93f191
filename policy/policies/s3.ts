/** S3 buckets: each needs its public access block, encryption and TLS-only policy. */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ofType, refersTo, statements } from "./util";

const BUCKET = "aws:s3/bucket:Bucket";

/** The resources of `type` that configure `bucket`. */
function configuring(resources: PolicyResource[], type: string, bucket: PolicyResource): PolicyResource[] {
    return ofType(resources, type).filter((r) => refersTo(r, "bucket", bucket, r.props.bucket, bucket.props.bucket));
}

export const publicAccessBlocked: StackValidationPolicy = {
    name: "s3-public-access-blocked",
    description: "Every bucket blocks all four kinds of public access.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const bucket of ofType(args.resources, BUCKET)) {
            const blocks = configuring(args.resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket);
            const full = blocks.some((b) => ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => b.props[k] === true));
            if (!full) report(`${bucket.name} has no public access block with all four settings on.`, bucket.urn);
        }
    },
};

export const encrypted: StackValidationPolicy = {
    name: "s3-encryption",
    description: "Every bucket has default server-side encryption configured.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const bucket of ofType(args.resources, BUCKET)) {
            const configs = configuring(args.resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", bucket);
            if (!configs.some((c) => (c.props.rules ?? []).some((r: any) => r.applyServerSideEncryptionByDefault?.sseAlgorithm))) {
                report(`${bucket.name} has no default encryption configuration.`, bucket.urn);
            }
        }
    },
};

export const tlsOnly: StackValidationPolicy = {
    name: "s3-tls-only",
    description: "Every bucket's policy denies requests that are not made over TLS.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const bucket of ofType(args.resources, BUCKET)) {
            const policies = configuring(args.resources, "aws:s3/bucketPolicy:BucketPolicy", bucket);
            const denies = policies.some((p) =>
                statements(p.props.policy).some((s) => s.effect === "Deny" && String(s.condition.Bool?.["aws:SecureTransport"]) === "false"),
            );
            if (!denies) report(`${bucket.name} has no policy denying non-TLS requests (aws:SecureTransport false).`, bucket.urn);
        }
    },
};
