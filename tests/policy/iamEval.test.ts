import * as assert from "assert";
import { allowsRequest, clause, deniesPlainHttp, outsiderAllows, parseOperator, Request, unknownPart } from "../../policy/policies/iamEval";
import { refusedManagedPolicy } from "../../policy/policies/managedPolicies";
import { globsIntersect, policyDocument } from "../../policy/policies/util";
import { unknown } from "./harness";

const statements = (...s: Record<string, unknown>[]) => policyDocument(JSON.stringify({ Version: "2012-10-17", Statement: s })).statements;
const anyone = (condition?: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}), ...extra });
const open = (s: Record<string, unknown>[], anonymous = false) => outsiderAllows(statements(...s), anonymous).length > 0;

/**
 * The evaluator against AWS's documented evaluation logic (IAM User Guide pages named in each
 * describe): each row is a request context and a condition clause, and the outcome AWS states.
 */
describe("IAM evaluator (policy/policies/iamEval.ts)", () => {
    describe('"IAM JSON policy elements: Condition operators": one clause, one request', () => {
        const values = (...v: string[]) => ({ kind: "values" as const, values: v });
        const absent = { kind: "absent" as const };
        const table: [string, string, unknown, Parameters<typeof clause>[2], boolean][] = [
            ["StringEquals matches exactly", "StringEquals", "o-abc", values("o-abc"), true],
            ["StringEquals is case-sensitive", "StringEquals", "O-ABC", values("o-abc"), false],
            ["StringEqualsIgnoreCase is not", "StringEqualsIgnoreCase", "O-ABC", values("o-abc"), true],
            ["StringEquals takes * as a character", "StringEquals", "*", values("o-abc"), false],
            ["StringLike takes * as a wildcard", "StringLike", "o-*", values("o-abc"), true],
            ["several values: any one matches (OR)", "StringEquals", ["o-x", "o-abc"], values("o-abc"), true],
            ["a negated operator with several values: the key matches none (AND)", "StringNotEquals", ["o-x", "o-abc"], values("o-abc"), false],
            ["a missing key makes a condition false", "StringEquals", "o-abc", absent, false],
            ["a missing key makes a negated condition true", "StringNotEquals", "o-abc", absent, true],
            ["...IfExists is true when the key is missing", "StringEqualsIfExists", "o-abc", absent, true],
            ["...IfExists still checks a key that is there", "StringEqualsIfExists", "o-abc", values("o-x"), false],
            ["Null true: the key is missing", "Null", "true", absent, true],
            ["Null false: the key is there", "Null", "false", values("x"), true],
            ["Bool compares true/false", "Bool", "false", values("false"), true],
            ["ArnLike: a wildcard in a component", "ArnLike", "arn:aws:iam::123456789012:role/*", values("arn:aws:iam::123456789012:role/app"), true],
            ["ArnEquals also takes wildcards", "ArnEquals", "arn:aws:sns:*:123456789012:*", values("arn:aws:sns:us-east-1:123456789012:t"), true],
            ["IpAddress: an address inside the block", "IpAddress", "203.0.113.0/24", values("203.0.113.7"), true],
            ["NotIpAddress: an address outside the block", "NotIpAddress", "203.0.113.0/24", values("198.51.100.1"), true],
            ["NumericLessThan", "NumericLessThan", "1.2", values("1.0"), true],
            ["NumericLessThan on a missing key is false", "NumericLessThan", "1.2", absent, false],
        ];
        for (const [what, operator, policyValues, state, expected] of table) {
            it(`${what}: ${operator} ${JSON.stringify(policyValues)} on ${JSON.stringify(state)} is ${expected}`, () => {
                assert.deepStrictEqual(clause(operator, policyValues, state, false), { t: expected, f: !expected });
            });
        }
    });

    describe('"Set operators for multivalued context keys" (ForAllValues / ForAnyValue)', () => {
        it("ForAllValues is true when the key is missing or empty; ForAnyValue is false", () => {
            assert.strictEqual(clause("ForAllValues:StringEquals", "a", { kind: "absent" }, false).t, true);
            assert.strictEqual(clause("ForAllValues:StringEquals", "a", { kind: "values", values: [] }, false).t, true);
            assert.strictEqual(clause("ForAnyValue:StringEquals", "a", { kind: "absent" }, false).t, false);
        });
        it("ForAllValues: every request value is among the policy's; ForAnyValue: one is", () => {
            assert.strictEqual(clause("ForAllValues:StringEquals", ["a", "b"], { kind: "values", values: ["a", "c"] }, false).t, false);
            assert.strictEqual(clause("ForAnyValue:StringEquals", ["a", "b"], { kind: "values", values: ["a", "c"] }, false).t, true);
        });
        it("parses qualifier, base and IfExists", () => {
            assert.deepStrictEqual(parseOperator("ForAnyValue:StringNotLikeIfExists"), { base: "StringNotLike", set: "any", ifExists: true, negated: true, family: "String", wildcards: true, ignoreCase: false });
        });
    });

    describe('who from outside can assume or use it ("Policy evaluation logic", S3 "The meaning of public")', () => {
        const table: [string, Record<string, unknown>[], boolean][] = [
            ["no condition", [anyone()], true],
            ["StringEquals aws:PrincipalOrgID pins the organization", [anyone({ StringEquals: { "aws:PrincipalOrgID": "o-abc" } })], false],
            ["condition keys are case-insensitive", [anyone({ StringEquals: { "AWS:principalorgid": "o-abc" } })], false],
            ["StringNotEquals aws:PrincipalAccount lets every other account in", [anyone({ StringNotEquals: { "aws:PrincipalAccount": "123456789012" } })], true],
            ['StringLike aws:PrincipalAccount "*" pins nothing', [anyone({ StringLike: { "aws:PrincipalAccount": "*" } })], true],
            ["StringLike aws:PrincipalAccount with a wildcard pins nothing", [anyone({ StringLike: { "aws:PrincipalAccount": "1234*" } })], true],
            ["StringEqualsIfExists aws:PrincipalOrgID: an account outside every organization has no such key", [anyone({ StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc" } })], true],
            ["ForAllValues:StringEquals aws:PrincipalOrgID: true when the key is missing", [anyone({ "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-abc" } })], true],
            ["ForAnyValue:StringEquals aws:PrincipalOrgID pins it", [anyone({ "ForAnyValue:StringEquals": { "aws:PrincipalOrgID": "o-abc" } })], false],
            ["Null aws:PrincipalOrgID false pins nothing", [anyone({ Null: { "aws:PrincipalOrgID": "false" } })], true],
            ["ArnLike aws:PrincipalArn with the account fixed", [anyone({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::123456789012:role/*" } })], false],
            ["ArnLike aws:PrincipalArn with a wildcard account", [anyone({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/deployer" } })], true],
            ["StringLike aws:SourceArn of any bucket", [anyone({ ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" } })], true],
            ["a key the caller sets (sts:ExternalId) pins nothing", [anyone({ StringEquals: { "sts:ExternalId": "secret" } })], true],
            ["a pinned key next to a caller's key still pins", [anyone({ StringEquals: { "aws:PrincipalOrgID": "o-abc", "sts:ExternalId": "x" } })], false],
            ["IpAddress aws:SourceIp of one block pins the network", [anyone({ IpAddress: { "aws:SourceIp": "203.0.113.0/24" } })], false],
            ["IpAddress aws:SourceIp of half the internet does not", [anyone({ IpAddress: { "aws:SourceIp": "0.0.0.0/1" } })], true],
            ["NotPrincipal in an Allow is everyone else", [{ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::1:root" }, Action: "sts:AssumeRole" }], true],
            ['{"AWS": "arn:aws:iam::*:root"}: a wildcard principal', [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::*:root" }, Action: "sts:AssumeRole" }], true],
            ["a named account", [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sts:AssumeRole" }], false],
            ["an explicit Deny of everyone outside the organization wins", [anyone(), { Effect: "Deny", Principal: "*", Action: "*", Resource: "*", Condition: { StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-abc" } } }], false],
            ["a Deny that the caller can switch off does not", [anyone(), { Effect: "Deny", Principal: "*", Action: "*", Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-abc" }, StringEquals: { "aws:RequestTag/x": "y" } } }], true],
            ["a Deny of other actions does not", [anyone(), { Effect: "Deny", Principal: "*", Action: "sts:TagSession", Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-abc" } } }], true],
            ["GitHub's OIDC provider without a subject condition", [{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } } }], true],
            ["GitHub's OIDC provider pinned to one organization's repositories", [{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:octo-org/*" } } }], false],
        ];
        for (const [what, document, expected] of table) {
            it(`${what}: ${expected ? "open" : "closed"}`, () => assert.strictEqual(open(document), expected));
        }
        it("S3 takes unsigned requests: ...IfExists on the principal's account lets the anonymous in", () => {
            const s = [{ ...anyone({ StringEqualsIfExists: { "aws:PrincipalAccount": "123456789012" } }), Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }];
            assert.strictEqual(open(s, true), true);
            assert.strictEqual(open(s, false), false);
        });
        it("an unknown condition value (at preview) is taken as pinning; a known bad operator is still judged", () => {
            assert.strictEqual(open([anyone({ StringEquals: { "aws:PrincipalOrgID": unknown } })]), false);
            assert.strictEqual(open([anyone({ StringNotEquals: { "aws:PrincipalOrgID": "o-abc" } }, { Resource: unknown })]), true);
        });
    });

    describe('TLS required: a Deny over plain HTTP ("Policy evaluation logic", "Condition keys are case-insensitive")', () => {
        const arn = "arn:aws:s3:::files";
        const deny = (extra: Record<string, unknown> = {}) => ({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } }, ...extra });
        const table: [string, Record<string, unknown>[], boolean][] = [
            ["the usual deny", [deny()], true],
            ["the key in lower case", [deny({ Condition: { Bool: { "aws:securetransport": "false" } } })], true],
            ["BoolIfExists", [deny({ Condition: { BoolIfExists: { "aws:SecureTransport": "false" } } })], true],
            ["a bool value, not a string", [deny({ Condition: { Bool: { "aws:SecureTransport": false } } })], true],
            ["bucket and objects in two statements", [deny({ Resource: arn }), deny({ Resource: `${arn}/*` })], true],
            ["NumericLessThan s3:TlsVersion: a plain HTTP request has no TLS version, so it is not denied", [deny({ Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } })], false],
            ["NumericLessThanIfExists s3:TlsVersion denies it", [deny({ Condition: { NumericLessThanIfExists: { "s3:TlsVersion": "1.2" } } })], true],
            ["Bool true denies TLS, not HTTP", [deny({ Condition: { Bool: { "aws:SecureTransport": "true" } } })], false],
            ["a further condition the caller controls", [deny({ Condition: { Bool: { "aws:SecureTransport": "false" }, StringEquals: { "aws:UserAgent": "x" } } })], false],
            ["some actions only", [deny({ Action: "s3:GetObject" })], false],
            ["NotAction of an S3 action", [deny({ Action: undefined, NotAction: "s3:GetObject" })], false],
            ["NotPrincipal", [deny({ Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::1:root" } })], false],
            ["an Allow", [deny({ Effect: "Allow" })], false],
            ["the objects only", [deny({ Resource: `${arn}/*` })], false],
            ["another bucket", [deny({ Resource: ["arn:aws:s3:::other", "arn:aws:s3:::other/*"] })], false],
        ];
        for (const [what, document, expected] of table) {
            it(`${what}: ${expected ? "required" : "not required"}`, () => assert.strictEqual(deniesPlainHttp(statements(...document), arn), expected));
        }
        it("at preview, an unknown resource is taken to cover, but known actions are still judged", () => {
            assert.strictEqual(deniesPlainHttp(statements(deny({ Resource: unknown })), undefined), true);
            assert.strictEqual(deniesPlainHttp(statements(deny({ Resource: unknown, Action: "s3:GetObject" })), undefined), false);
        });
    });

    describe('one request: an Allow applies and no Deny does ("Policy evaluation logic")', () => {
        const key = "arn:aws:s3:::logs/alb/AWSLogs/210987654321/elasticloadbalancing/us-east-1/x.log.gz";
        const tls = { "aws:securetransport": { kind: "values" as const, values: ["true"] } };
        const elb = { account: "127311923021", action: "s3:PutObject", resource: key, context: tls };
        const grant = (extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::127311923021:root" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/alb/AWSLogs/210987654321/*", ...extra });
        const tlsDeny = (extra: Record<string, unknown> = {}) => ({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::logs/*", Condition: { Bool: { "aws:SecureTransport": "false" } }, ...extra });
        const table: [string, Record<string, unknown>[], Partial<Request>, boolean][] = [
            ["the grant, and the TLS deny (the request is over TLS)", [grant(), tlsDeny()], {}, true],
            ["the grant by account id", [grant({ Principal: { AWS: "127311923021" } })], {}, true],
            ["the grant in another partition's ARN form", [grant({ Principal: { AWS: "arn:aws-us-gov:iam::127311923021:root" } })], {}, true],
            ["a grant to *", [grant({ Principal: "*" })], {}, true],
            ["a grant to another account", [grant({ Principal: { AWS: "arn:aws:iam::111122223333:root" } })], {}, false],
            ["NotPrincipal naming the sender", [grant({ Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::127311923021:root" } })], {}, false],
            ["a grant for another account's path", [grant({ Resource: "arn:aws:s3:::logs/alb/AWSLogs/123456789012/*" })], {}, false],
            ["a grant of s3:Put*", [grant({ Action: "s3:Put*" })], {}, true],
            ["NotAction naming the action", [grant({ Action: undefined, NotAction: "s3:PutObject" })], {}, false],
            ["an unconditional deny wins", [grant(), tlsDeny({ Condition: undefined })], {}, false],
            ["a deny of TLS requests wins", [grant(), tlsDeny({ Condition: { Bool: { "aws:SecureTransport": "true" } } })], {}, false],
            ["a grant on a condition on a key the request may carry (it may hold)", [grant({ Condition: { StringEquals: { "aws:SourceAccount": "210987654321" } } })], {}, true],
            ["a deny on a condition on a key the request may carry (it may not hold)", [grant(), tlsDeny({ Condition: { StringNotEquals: { "aws:SourceAccount": "210987654321" } } })], {}, true],
            ["the service principal", [grant({ Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" } })], { account: undefined, service: "logdelivery.elasticloadbalancing.amazonaws.com" }, true],
            ["an account not known yet: the grant may be for it", [grant()], { resource: `arn:aws:s3:::logs/alb/AWSLogs/${unknownPart}/elasticloadbalancing/us-east-1/x.log.gz` }, true],
            ["an account not known yet: a grant under another prefix is not for it", [grant({ Resource: "arn:aws:s3:::logs/other/*" })], { resource: `arn:aws:s3:::logs/alb/AWSLogs/${unknownPart}/elasticloadbalancing/us-east-1/x.log.gz` }, false],
            ["a prefix not known yet: a deny of the whole bucket surely applies", [grant(), tlsDeny({ Condition: undefined })], { resource: `arn:aws:s3:::logs/${unknownPart}AWSLogs/210987654321/x.log.gz` }, false],
            ["a prefix not known yet: a deny of one prefix may not apply", [grant(), tlsDeny({ Condition: undefined, Resource: "arn:aws:s3:::logs/alb/*" })], { resource: `arn:aws:s3:::logs/${unknownPart}AWSLogs/210987654321/x.log.gz` }, true],
            ["a resource not known yet in the grant: it may be the path", [grant({ Resource: unknown })], {}, true],
            ["a resource not known yet in a deny: it may not cover", [grant(), tlsDeny({ Condition: undefined, Resource: unknown })], {}, true],
            ["a resource not known yet next to a known one in a deny: the known one covers", [grant(), tlsDeny({ Condition: undefined, Resource: [unknown, "arn:aws:s3:::logs/*"] })], {}, false],
        ];
        for (const [what, document, request, expected] of table) {
            it(`${what}: ${expected ? "allowed" : "not allowed"}`, () => assert.strictEqual(allowsRequest(statements(...document), { ...elb, ...request }), expected));
        }
    });

    describe("globs that intersect (some value matches both)", () => {
        const table: [string, string, boolean][] = [
            ["arn:aws:s3:::logs/alb/*", "arn:aws:s3:::logs/*/x", true],
            ["arn:aws:s3:::logs/alb/*", "arn:aws:s3:::logs/other/*", false],
            ["a?c", "*b*", true],
            ["a?c", "abd", false],
            ["*", "", true],
            ["a*", "b*", false],
        ];
        for (const [a, b, expected] of table) it(`${a} and ${b}: ${expected}`, () => assert.strictEqual(globsIntersect(a, b, true), expected));
    });

    describe("AWS managed policies by ARN (policy/policies/managedPolicies.ts, from the AWS Managed Policy Reference Guide)", () => {
        const arn = (name: string) => `arn:aws:iam::aws:policy/${name}`;
        for (const name of ["AdministratorAccess", "SecretsManagerReadWrite", "AmazonS3ReadOnlyAccess", "AmazonDynamoDBFullAccess", "job-function/SystemAdministrator", "SomethingNewFromAws"]) {
            it(`refuses ${name}`, () => assert.notStrictEqual(refusedManagedPolicy(arn(name)), undefined));
        }
        for (const name of ["service-role/AmazonECSTaskExecutionRolePolicy", "AmazonSSMManagedInstanceCore"]) {
            it(`accepts ${name}`, () => assert.strictEqual(refusedManagedPolicy(arn(name)), undefined));
        }
        it("accepts a customer's policy and one the config allows", () => {
            assert.strictEqual(refusedManagedPolicy("arn:aws:iam::123456789012:policy/AdministratorAccess"), undefined);
            assert.strictEqual(refusedManagedPolicy(arn("SomethingNewFromAws"), ["SomethingNewFromAws"]), undefined);
        });
    });
});
