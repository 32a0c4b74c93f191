/** S3 buckets: each needs its public access block, encryption and TLS-only policy, and grants nothing to the public. */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { deniesPlainHttp, outsiderAllows } from "./iamEval";
import { isUnknown, list, ofType, policyDocument, propsOf, refersTo, str } from "./util";

const BUCKET = "aws:s3/bucket:Bucket";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const ACL = "aws:s3/bucketAcl:BucketAcl";

/** Whether configuration resource `r` configures `bucket` (by dependency, or by a known name). */
const configures = (r: PolicyResource, bucket: PolicyResource) => refersTo(r, "bucket", bucket, propsOf(r).bucket, propsOf(bucket).bucket);

/**
 * A stack policy: every bucket (aws.s3.Bucket or BucketV2) is configured, by a resource of one
 * of `types` or inline, in a way for which `satisfies` holds, or `missing` is reported.
 */
function everyBucketHas(
    name: string,
    description: string,
    types: string[],
    satisfies: (props: Record<string, any>, bucket: PolicyResource) => boolean,
    missing: string,
    inline: (bucket: Record<string, any>) => Record<string, any>[] = () => [],
    extra?: StackValidationPolicy["validateStack"],
): StackValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: "mandatory",
        validateStack: async (args, report) => {
            const candidates = types.flatMap((t) => ofType(args.resources, t));
            for (const bucket of ofType(args.resources, BUCKET)) {
                const own = [...candidates.filter((r) => configures(r, bucket)).map(propsOf), ...inline(propsOf(bucket))];
                if (!own.some((props) => satisfies(props, bucket))) {
                    report(`${bucket.name} ${missing}.`, bucket.urn);
                }
            }
            await extra?.(args, report);
        },
    };
}

/** ACL grants to everyone or to every AWS account. */
const publicAcls = ["public-read", "public-read-write", "authenticated-read"];
const publicGrantee = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;

/** What an ACL (a canned name, or grants) opens to the public, if anything. */
function publicAcl(props: Record<string, any>): string | undefined {
    const canned = str(props.acl);
    if (canned !== undefined && publicAcls.includes(canned)) return `the ACL ${canned}`;
    const grants = [...list(props.grants), ...list(props.accessControlPolicy?.grants)];
    const grant = grants.find((g: any) => !isUnknown(g) && (publicGrantee.test(String(g?.uri ?? "")) || publicGrantee.test(String(g?.grantee?.uri ?? "")) || list(g?.uris).some((u) => publicGrantee.test(String(u)))));
    return grant === undefined ? undefined : "an ACL grant to all users or all AWS accounts";
}

export const publicAccessBlocked = everyBucketHas(
    "s3-public-access-blocked",
    "Every bucket blocks all four kinds of public access, and nothing grants public access anyway: no bucket policy allowing Principal * (outside a narrowing condition), no public ACL (canned or grant, on the bucket or in a BucketAcl).",
    ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    (b) => ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => b[k] === true || isUnknown(b[k])),
    "has no public access block with all four settings on",
    undefined,
    (args, report) => {
        for (const r of [...ofType(args.resources, POLICY), ...ofType(args.resources, BUCKET)]) {
            for (const s of outsiderAllows(policyDocument(propsOf(r).policy).statements, true)) {
                report(`${r.name}: its bucket policy lets anyone outside the account (${s.notPrincipals ? "NotPrincipal" : "Principal *"}, no condition pinning an account, organization, source or network) ${s.actions.join(", ") || "do everything but " + s.notActions.join(", ")}: grant named principals only.`, r.urn);
            }
        }
        for (const r of [...ofType(args.resources, ACL), ...ofType(args.resources, BUCKET)]) {
            const open = publicAcl(propsOf(r));
            if (open !== undefined) report(`${r.name}: ${open} makes the bucket public; use bucket policies for named principals (and BucketOwnerEnforced ownership).`, r.urn);
        }
    },
);

export const encrypted = everyBucketHas(
    "s3-encryption",
    "Every bucket has default server-side encryption configured (a configuration resource, or inline on the bucket).",
    ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"],
    (c) => isUnknown(c.rules) || list(c.rules).some((r: any) => isUnknown(r) || isUnknown(r?.applyServerSideEncryptionByDefault) || r?.applyServerSideEncryptionByDefault?.sseAlgorithm),
    "has no default encryption configuration",
    (bucket) => list(bucket.serverSideEncryptionConfiguration).map((c: any) => (isUnknown(c) ? { rules: c } : { rules: list(c?.rule ?? c?.rules) })),
);

export const tlsOnly = everyBucketHas(
    "s3-tls-only",
    "Every bucket's policy denies every principal every S3 action (s3:*) on the bucket and its objects when the request is not over TLS (aws:SecureTransport false, keys read case-insensitively, operators as IAM reads them); a deny covering only some actions or only the objects, or one a further condition can turn off, does not count.",
    [POLICY],
    (p, bucket) => {
        const doc = policyDocument(p.policy);
        const name = str(propsOf(bucket).bucket);
        return (doc.unknown && doc.statements.length === 0) || deniesPlainHttp(doc.statements, name === undefined ? undefined : `arn:aws:s3:::${name}`);
    },
    "has no policy denying every principal every S3 action over plain HTTP (s3:* on the bucket and its objects, aws:SecureTransport false)",
    (bucket) => (bucket.policy === undefined ? [] : [{ policy: bucket.policy }]),
);
