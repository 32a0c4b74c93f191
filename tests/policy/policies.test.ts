import * as assert from "assert";
import * as alb from "../../policy/policies/alb";
import * as ecr from "../../policy/policies/ecr";
import * as ecs from "../../policy/policies/ecs";
import * as iam from "../../policy/policies/iam";
import * as s3 from "../../policy/policies/s3";
import * as service from "../../policy/policies/service";
import { ProgramRun, runStack, runWith } from "../harness";
import { fromRun, Input, violations } from "./harness";

/**
 * Stack policies over the program's own resources: they pass; each weakened in one way is
 * reported. (Every policy's table of bad and good inputs is in corpus.ts.)
 */
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
            // Each of the stack's buckets (the app's, and prod's access-log bucket) is reported.
            assert.strictEqual((await violations(policy, without(base, type))).length, base.ofType("aws:s3/bucket:Bucket").length);
        });
    }

    it("s3-public-access-blocked: a block with one setting off", async () => {
        const partial = edit(base, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", (b) => {
            b.props.restrictPublicBuckets = false;
        });
        assert.strictEqual((await violations(s3.publicAccessBlocked, partial)).length, base.ofType("aws:s3/bucket:Bucket").length);
    });

    it("service-target-group-has-listener: no listener forwards to the service's target group", async () => {
        assert.deepStrictEqual(await violations(service.targetGroupForwarded, fromRun(base)), []);
        assert.deepStrictEqual(await violations(service.targetGroupForwarded, fromRun(https)), []);
        // The service names both target groups (blue, and green for ECS's routing): each is reported.
        const unrouted = fromRun(base).filter((r) => r.type !== "aws:lb/listener:Listener" && r.type !== "aws:lb/listenerRule:ListenerRule");
        assert.strictEqual((await violations(service.targetGroupForwarded, unrouted)).length, 2);
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
