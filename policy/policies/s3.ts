/** S3 buckets: each needs its public access block, encryption and TLS-only policy. */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ofType, refersTo, statements } from "./util";

/**
 * A stack policy: every bucket has a resource of `type` configuring it for which `satisfies`
 * holds, or `missing` is reported.
 */
function everyBucketHas(name: string, description: string, type: string, satisfies: (r: PolicyResource) => boolean, missing: string): StackValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: "mandatory",
        validateStack: (args, report) => {
            const candidates = ofType(args.resources, type);
            for (const bucket of ofType(args.resources, "aws:s3/bucket:Bucket")) {
                const own = candidates.filter((r) => refersTo(r, "bucket", bucket, r.props.bucket, bucket.props.bucket));
                if (!own.some(satisfies)) {
                    report(`${bucket.name} ${missing}.`, bucket.urn);
                }
            }
        },
    };
}

export const publicAccessBlocked = everyBucketHas(
    "s3-public-access-blocked",
    "Every bucket blocks all four kinds of public access.",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    (b) => ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => b.props[k] === true),
    "has no public access block with all four settings on",
);

export const encrypted = everyBucketHas(
    "s3-encryption",
    "Every bucket has default server-side encryption configured.",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    (c) => (c.props.rules ?? []).some((r: any) => r.applyServerSideEncryptionByDefault?.sseAlgorithm),
    "has no default encryption configuration",
);

export const tlsOnly = everyBucketHas(
    "s3-tls-only",
    "Every bucket's policy denies requests that are not made over TLS.",
    "aws:s3/bucketPolicy:BucketPolicy",
    (p) => statements(p.props.policy).some((s) => s.effect === "Deny" && String(s.condition.Bool?.["aws:SecureTransport"]) === "false"),
    "has no policy denying non-TLS requests (aws:SecureTransport false)",
);
