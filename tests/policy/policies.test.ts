import * as assert from "assert";
import { policies } from "../../policy/policies";
import * as alb from "../../policy/policies/alb";
import * as ecr from "../../policy/policies/ecr";
import * as ecs from "../../policy/policies/ecs";
import * as iam from "../../policy/policies/iam";
import * as logs from "../../policy/policies/logs";
import * as s3 from "../../policy/policies/s3";
import * as sg from "../../policy/policies/securityGroups";
import * as service from "../../policy/policies/service";
import { ProgramRun, runStack, runWith } from "../harness";
import { fromRun, Input, violations } from "./harness";

const container = (overrides: Record<string, unknown> = {}) => ({
    name: "app",
    image: "repo@sha256:abc",
    user: "10001:10001",
    readonlyRootFilesystem: true,
    logConfiguration: { logDriver: "awslogs", options: {} },
    environment: [{ name: "LOG_LEVEL", value: "info" }],
    ...overrides,
});
const taskDef = (c: Record<string, unknown> = {}, props: Record<string, unknown> = {}): Input => ({
    type: "aws:ecs/taskDefinition:TaskDefinition",
    name: "td",
    props: { networkMode: "awsvpc", containerDefinitions: JSON.stringify([container(c)]), ...props },
});
const svc = (props: Record<string, unknown>): Input => ({ type: "aws:ecs/service:Service", name: "svc", props });
const lb = (props: Record<string, unknown>, stack = "prod"): Input => ({ type: "aws:lb/loadBalancer:LoadBalancer", name: "alb", stack, props: { loadBalancerType: "application", dropInvalidHeaderFields: true, enableDeletionProtection: true, ...props } });
const rule = (props: Record<string, unknown>): Input => ({ type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "rule", props: { description: "d", ipProtocol: "tcp", ...props } });
const rolePolicy = (statement: Record<string, unknown>): Input => ({
    type: "aws:iam/rolePolicy:RolePolicy",
    name: "p",
    props: { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", ...statement }] }) },
});

/** Resource policies: each with inputs it must report and inputs it must pass. */
const resourceCases: [string, { name: string }, Input[], Input[], Record<string, unknown>?][] = [
    ["ECS service with a public IP", ecs.serviceNoPublicIp, [svc({ networkConfiguration: { assignPublicIp: true } })], [svc({ networkConfiguration: { assignPublicIp: false } })]],
    ["privileged container, host network or PID", ecs.noPrivilegedContainers, [taskDef({ privileged: true }), taskDef({}, { networkMode: "host" }), taskDef({}, { pidMode: "host" })], [taskDef()]],
    ["writable root filesystem, root or unset user", ecs.readOnlyNonRoot, [taskDef({ readonlyRootFilesystem: false }), taskDef({ user: "0" }), taskDef({ user: "root:root" }), taskDef({ user: undefined })], [taskDef()]],
    // A stack in execStacks (ECS Exec, unsupported by AWS on a read-only root filesystem) may have a writable root, never a root user.
    ["execStacks: a writable root only in those stacks", ecs.readOnlyNonRoot, [{ ...taskDef({ readonlyRootFilesystem: false }), stack: "prod" }, { ...taskDef({ readonlyRootFilesystem: false, user: "0" }), stack: "exec" }], [{ ...taskDef({ readonlyRootFilesystem: false }), stack: "exec" }], { execStacks: ["exec"] }],
    ["container without awslogs", ecs.containersLog, [taskDef({ logConfiguration: undefined }), taskDef({ logConfiguration: { logDriver: "json-file" } })], [taskDef()]],
    [
        "credential in plain environment",
        ecs.noSecretsInEnvironment,
        [taskDef({ environment: [{ name: "DB_PASSWORD", value: "x" }] }), taskDef({ environment: [{ name: "STRIPE_API_KEY", value: "x" }] }), taskDef({ environment: [{ name: "KEY_ID", value: "AKIAIOSFODNN7EXAMPLE" }] })],
        [taskDef({ secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/db" }] })],
    ],
    ["Fargate service pinned to an old platform", ecs.fargatePlatformLatest, [svc({ launchType: "FARGATE", platformVersion: "1.3.0" }), svc({ capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT" }], platformVersion: "1.4.0" })], [svc({ capacityProviderStrategies: [{ capacityProvider: "FARGATE" }], platformVersion: "LATEST" })]],
    ["cluster without Container Insights", ecs.containerInsights, [{ type: "aws:ecs/cluster:Cluster", name: "c", props: {} }, { type: "aws:ecs/cluster:Cluster", name: "c", props: { settings: [{ name: "containerInsights", value: "disabled" }] } }], [{ type: "aws:ecs/cluster:Cluster", name: "c", props: { settings: [{ name: "containerInsights", value: "enabled" }] } }]],
    ["HTTPS listener without TLS 1.3", alb.tls13, [{ type: "aws:lb/listener:Listener", name: "l", props: { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" } }, { type: "aws:lb/listener:Listener", name: "l", props: { protocol: "HTTPS" } }], [{ type: "aws:lb/listener:Listener", name: "l", props: { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } }]],
    ["ALB keeping invalid headers", alb.dropInvalidHeaders, [lb({ dropInvalidHeaderFields: false }), lb({ dropInvalidHeaderFields: undefined })], [lb({}), lb({ loadBalancerType: "network", dropInvalidHeaderFields: undefined })]],
    ["prod ALB without deletion protection", alb.deletionProtection, [lb({ enableDeletionProtection: false }, "prod")], [lb({ enableDeletionProtection: false }, "dev"), lb({}, "prod")]],
    [
        "world ingress on a non-listener port",
        sg.noWorldIngress,
        [rule({ fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" }), rule({ fromPort: 0, toPort: 65535, cidrIpv6: "::/0" }), { type: "aws:ec2/securityGroup:SecurityGroup", name: "g", props: { description: "d", ingress: [{ fromPort: 8000, toPort: 8000, cidrBlocks: ["0.0.0.0/0"], description: "d" }] } }],
        [rule({ fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }), rule({ fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/16" }), rule({ fromPort: 8000, toPort: 8000, referencedSecurityGroupId: "sg-1" })],
    ],
    ["ingress from a CIDR outside allowedIngressCidrs", sg.noWorldIngress, [rule({ fromPort: 443, toPort: 443, cidrIpv4: "198.51.100.0/24" })], [rule({ fromPort: 443, toPort: 443, cidrIpv4: "203.0.113.0/24" })], { allowedIngressCidrs: ["203.0.113.0/24"] }],
    [
        "undescribed group or rule",
        sg.described,
        [rule({ description: undefined }), { type: "aws:ec2/securityGroup:SecurityGroup", name: "g", props: { description: "Managed by Pulumi" } }, { type: "aws:ec2/securityGroup:SecurityGroup", name: "g", props: { description: "web", egress: [{ fromPort: 443, toPort: 443 }] } }],
        [rule({ description: "HTTPS from the office" }), { type: "aws:ec2/securityGroup:SecurityGroup", name: "g", props: { description: "web" } }],
    ],
    ["repository without scan on push", ecr.scanOnPush, [{ type: "aws:ecr/repository:Repository", name: "r", props: {} }], [{ type: "aws:ecr/repository:Repository", name: "r", props: { imageScanningConfiguration: { scanOnPush: true } } }]],
    ["repository with mutable tags", ecr.immutableTags, [{ type: "aws:ecr/repository:Repository", name: "r", props: {} }, { type: "aws:ecr/repository:Repository", name: "r", props: { imageTagMutability: "MUTABLE" } }], [{ type: "aws:ecr/repository:Repository", name: "r", props: { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION" } }]],
    ["log group without or below the minimum retention", logs.retention, [{ type: "aws:cloudwatch/logGroup:LogGroup", name: "g", props: {} }, { type: "aws:cloudwatch/logGroup:LogGroup", name: "g", props: { retentionInDays: 3 } }], [{ type: "aws:cloudwatch/logGroup:LogGroup", name: "g", props: { retentionInDays: 7 } }, { type: "aws:cloudwatch/logGroup:LogGroup", name: "g", props: { retentionInDays: 0 } }]],
    ["log retention below a configured minimum", logs.retention, [{ type: "aws:cloudwatch/logGroup:LogGroup", name: "g", props: { retentionInDays: 30 } }], [{ type: "aws:cloudwatch/logGroup:LogGroup", name: "g", props: { retentionInDays: 90 } }], { minimumRetentionDays: 90 }],
    [
        "wildcard actions and unscoped resources",
        iam.noWildcards,
        [rolePolicy({ Action: "*", Resource: "arn:aws:s3:::b" }), rolePolicy({ Action: "s3:*", Resource: "arn:aws:s3:::b" }), rolePolicy({ Action: ["s3:GetObject"], Resource: "*" }), { type: "aws:iam/role:Role", name: "r", props: { inlinePolicies: [{ name: "x", policy: JSON.stringify({ Statement: { Effect: "Allow", Action: "ec2:*", Resource: "*" } }) }] } }],
        [rolePolicy({ Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }), rolePolicy({ Action: "ecr:GetAuthorizationToken", Resource: "*" }), { type: "aws:s3/bucketPolicy:BucketPolicy", name: "bp", props: { policy: JSON.stringify({ Statement: [{ Effect: "Deny", Action: "s3:*", Resource: "*" }] }) } }],
    ],
];

describe("policies: each reports a bad input and passes a good one", () => {
    it("every policy of the pack has a test here or below", () => {
        const tested = new Set([...resourceCases.map(([, p]) => p.name), ...stackPolicyNames]);
        assert.deepStrictEqual(policies.map((p) => p.name).filter((n) => !tested.has(n)), []);
    });

    for (const [what, policy, bad, good, config] of resourceCases) {
        it(`${policy.name}: ${what}`, async () => {
            for (const input of bad) {
                const found = await violations(policy as never, [input], config);
                assert.ok(found.length > 0, `not reported: ${JSON.stringify(input.props)}`);
            }
            for (const input of good) {
                assert.deepStrictEqual(await violations(policy as never, [input], config), [], JSON.stringify(input.props));
            }
        });
    }
});

/** Stack policies: the program's own resources pass; each weakened in one way is reported. */
const stackPolicyNames = [
    ecs.separateRoles.name,
    alb.httpRedirectsToHttps.name,
    ecr.lifecyclePolicy.name,
    iam.taskRoleTrust.name,
    s3.publicAccessBlocked.name,
    s3.encrypted.name,
    s3.tlsOnly.name,
    service.targetGroupForwarded.name,
    service.tasksOnlyFromLoadBalancer.name,
];

describe("stack policies over the program's resources, and the same weakened", () => {
    let base: ProgramRun;
    let https: ProgramRun;
    before(async () => {
        base = await runStack("prod");
        https = await runWith({ domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }, "prod");
    });
    const without = (run: ProgramRun, type: string) => fromRun(run).filter((r) => r.type !== type);
    const edit = (run: ProgramRun, type: string, change: (r: Input) => void) =>
        fromRun(run).map((r) => {
            if (r.type !== type) return r;
            const copy = JSON.parse(JSON.stringify(r)) as Input;
            change(copy);
            return copy;
        });
    const urn = (run: ProgramRun, type: string, suffix = "") => run.one(type, suffix).urn;

    it("ecs-separate-roles: the execution role used as task role", async () => {
        assert.deepStrictEqual(await violations(ecs.separateRoles, fromRun(base)), []);
        const execution = urn(base, "aws:iam/role:Role", "-execution");
        const same = edit(base, "aws:ecs/taskDefinition:TaskDefinition", (td) => {
            td.propertyDependencies!.taskRoleArn = [execution];
        });
        assert.strictEqual((await violations(ecs.separateRoles, same)).length, 1);
    });

    it("alb-http-redirects-to-https: an HTTP listener forwarding next to HTTPS", async () => {
        assert.deepStrictEqual(await violations(alb.httpRedirectsToHttps, fromRun(https)), []);
        const forwarding = edit(https, "aws:lb/listener:Listener", (l) => {
            if (l.props.protocol === "HTTP") l.props.defaultActions = [{ type: "forward", targetGroupArn: "tg" }];
        });
        assert.strictEqual((await violations(alb.httpRedirectsToHttps, forwarding)).length, 1);
        // Without HTTPS, HTTP may forward.
        assert.deepStrictEqual(await violations(alb.httpRedirectsToHttps, fromRun(base)), []);
    });

    it("ecr-lifecycle-policy: a repository without one", async () => {
        assert.deepStrictEqual(await violations(ecr.lifecyclePolicy, fromRun(base)), []);
        assert.strictEqual((await violations(ecr.lifecyclePolicy, without(base, "aws:ecr/lifecyclePolicy:LifecyclePolicy"))).length, 1);
    });

    it("iam-task-role-trust: a task role that another principal may assume", async () => {
        assert.deepStrictEqual(await violations(iam.taskRoleTrust, fromRun(base)), []);
        const taskRole = urn(base, "aws:iam/role:Role", "-task");
        const widened = fromRun(base).map((r) =>
            r.urn === taskRole
                ? { ...r, props: { ...r.props, assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"] }, Action: "sts:AssumeRole" }] }) } }
                : r,
        );
        assert.strictEqual((await violations(iam.taskRoleTrust, widened)).length, 1);
    });

    for (const [policy, type] of [
        [s3.publicAccessBlocked, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
        [s3.encrypted, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"],
        [s3.tlsOnly, "aws:s3/bucketPolicy:BucketPolicy"],
    ] as const) {
        it(`${policy.name}: a bucket without its ${type.split(":").pop()}`, async () => {
            assert.deepStrictEqual(await violations(policy, fromRun(base)), []);
            assert.strictEqual((await violations(policy, without(base, type))).length, 1);
        });
    }

    it("s3-public-access-blocked: a block with one setting off", async () => {
        const partial = edit(base, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", (b) => {
            b.props.restrictPublicBuckets = false;
        });
        assert.strictEqual((await violations(s3.publicAccessBlocked, partial)).length, 1);
    });

    it("service-target-group-has-listener: no listener forwards to the service's target group", async () => {
        assert.deepStrictEqual(await violations(service.targetGroupForwarded, fromRun(base)), []);
        assert.deepStrictEqual(await violations(service.targetGroupForwarded, fromRun(https)), []);
        assert.strictEqual((await violations(service.targetGroupForwarded, without(base, "aws:lb/listener:Listener"))).length, 1);
    });

    it("service-tasks-only-from-alb: the tasks' group also admitting a CIDR", async () => {
        assert.deepStrictEqual(await violations(service.tasksOnlyFromLoadBalancer, fromRun(base)), []);
        const opened = edit(base, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", (r) => {
            if (r.name === "app-from-lb") {
                r.props.cidrIpv4 = "10.0.0.0/8";
            }
        });
        assert.strictEqual((await violations(service.tasksOnlyFromLoadBalancer, opened)).length, 1);
    });
});
