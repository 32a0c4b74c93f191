import * as assert from "assert";
import { alarmSpecs, capacityAlarmMinutes, defaultAlarmThresholds } from "../lib/alarms";
import { configSchema } from "../lib/config";
import { json, ProgramRun, runStack, runWith } from "./harness";

const alarmsOf = (run: ProgramRun) => run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
const alarm = (run: ProgramRun, role: string) => run.one("aws:cloudwatch/metricAlarm:MetricAlarm", `app-${role}`);
const service = (run: ProgramRun) => run.one("aws:ecs/service:Service");
const topicArn = (run: ProgramRun) => run.one("aws:sns/topic:Topic").state.arn;
const dims = { targets: { loadBalancer: "app/web/1", targetGroups: ["targetgroup/blue/2", "targetgroup/green/3"] }, loadBalancerWide: "app/web/1", cluster: "cluster", service: "svc" };

describe("alarms (lib/alarms.ts)", () => {
    const specs = alarmSpecs(dims, defaultAlarmThresholds);
    const byRole = (role: string) => specs.find((s) => s.role === role)!;

    it("Pulumi.yaml's alarm defaults are the component's", () => {
        const declared = (key: string) => (configSchema as Record<string, { default: unknown }>)[key].default;
        assert.deepStrictEqual(defaultAlarmThresholds, {
            errorRatePercent: declared("alarmErrorRatePercent"),
            minRequests: declared("alarmMinRequests"),
            latencyMs: declared("alarmLatencyMs"),
            utilizationPercent: declared("alarmUtilizationPercent"),
            evaluationMinutes: declared("alarmEvaluationMinutes"),
        });
    });

    // Issue 20: a second service's errors must not roll back the first one's deployments, so the
    // deployment alarms watch the service's own target groups; the load balancer's own 5xx could
    // be any service's, and rolls nothing back.
    it("ECS watches exactly the service's own 5xx and latency alarms during deployments, and none of them references the service", () => {
        const deployment = specs.filter((s) => s.deployment);
        assert.deepStrictEqual(deployment.map((s) => s.role), ["target-5xx", "latency-p99"]);
        for (const spec of deployment) {
            const groups = spec.metricQueries.filter((q) => q.metric).map((q) => q.metric!.dimensions.TargetGroup);
            assert.ok(groups.every((g) => dims.targets.targetGroups.includes(g)), `${spec.role}: ${groups}`);
        }
        assert.strictEqual(byRole("elb-5xx").deployment, false);
        for (const spec of deployment) {
            const dimensions = spec.metricQueries.flatMap((q) => Object.values(q.metric?.dimensions ?? {}));
            assert.ok(!dimensions.includes("svc") && !dimensions.includes("cluster"), `${spec.role} must not need the service, which is created after it`);
        }
    });

    it("the 5xx alarms are rates of requests, quiet below the minimum request count, and no traffic is not a breach", () => {
        const target = byRole("target-5xx");
        assert.deepStrictEqual(
            target.metricQueries.filter((q) => q.metric).map((q) => [q.id, q.metric!.metricName, q.metric!.stat]),
            [
                ["errors0", "HTTPCode_Target_5XX_Count", "Sum"],
                ["errors1", "HTTPCode_Target_5XX_Count", "Sum"],
                ["requests0", "RequestCount", "Sum"],
                ["requests1", "RequestCount", "Sum"],
            ],
        );
        assert.strictEqual(
            target.metricQueries.at(-1)!.expression,
            "IF((FILL(requests0, 0) + FILL(requests1, 0)) >= 10, 100 * (FILL(errors0, 0) + FILL(errors1, 0)) / (FILL(requests0, 0) + FILL(requests1, 0)), 0)",
        );
        const elb = byRole("elb-5xx");
        assert.deepStrictEqual(elb.metricQueries.filter((q) => q.metric).map((q) => [q.metric!.metricName, q.metric!.dimensions]), [
            ["HTTPCode_ELB_5XX_Count", { LoadBalancer: "app/web/1" }],
            ["RequestCount", { LoadBalancer: "app/web/1" }],
        ]);
        assert.match(elb.metricQueries.at(-1)!.expression!, /^IF\(FILL\(requests, 0\) \+ FILL\(errors, 0\) >= 10, 100 \* FILL\(errors, 0\) \//);
        for (const spec of [target, elb]) {
            assert.deepStrictEqual([spec.metricQueries.at(-1)!.returnData, spec.threshold, spec.treatMissingData, spec.evaluationPeriods], [true, 5, "notBreaching", 3]);
        }
    });

    it("a worker (no route) has only the service's alarms", () => {
        assert.deepStrictEqual(alarmSpecs({ cluster: "c", service: "s" }, defaultAlarmThresholds).map((s) => s.role), ["tasks-below-desired", "cpu-high", "memory-high"]);
    });

    it("latency compares the p99 target response time, in seconds, with alarmLatencyMs", () => {
        const spec = alarmSpecs(dims, { ...defaultAlarmThresholds, latencyMs: 750 }).find((s) => s.role === "latency-p99")!;
        assert.deepStrictEqual([spec.metricQueries[0].metric?.metricName, spec.metricQueries[0].metric?.stat, spec.threshold], ["TargetResponseTime", "p99", 0.75]);
        assert.match(spec.metricQueries.at(-1)!.expression!, /MAX\(\[FILL\(p990, 0\), FILL\(p991, 0\)\]\)/);
    });

    it("watches unhealthy tasks in every target group (blue and green)", () => {
        const spec = byRole("unhealthy-hosts");
        assert.deepStrictEqual(spec.metricQueries.filter((q) => q.metric).map((q) => q.metric!.dimensions.TargetGroup), ["targetgroup/blue/2", "targetgroup/green/3"]);
        assert.strictEqual(spec.metricQueries.at(-1)!.expression, "MAX([FILL(unhealthy0, 0), FILL(unhealthy1, 0)])");
        assert.strictEqual(spec.threshold, 0);
    });

    it("capacity alarms (tasks below desired, CPU, memory) wait longer and keep their state without data", () => {
        for (const role of ["tasks-below-desired", "cpu-high", "memory-high"]) {
            const spec = byRole(role);
            assert.deepStrictEqual([spec.evaluationPeriods, spec.treatMissingData, spec.deployment], [capacityAlarmMinutes, "missing", false]);
        }
        assert.deepStrictEqual(byRole("tasks-below-desired").metricQueries.map((q) => q.metric?.metricName ?? q.expression), ["RunningTaskCount", "DesiredTaskCount", "desired - running"]);
        assert.strictEqual(byRole("cpu-high").threshold, 90);
    });
});

describe("alarms, notifications and rollback in the program", () => {
    let dev: ProgramRun;
    let prod: ProgramRun;
    before(async () => {
        [dev, prod] = [await runStack("dev"), await runStack("prod")];
    });

    it("the service's own 5xx and latency alarms are its deployment alarms, with rollback, beside the circuit breaker", () => {
        for (const run of [dev, prod]) {
            const inputs = service(run).inputs;
            assert.deepStrictEqual(inputs.alarms, {
                alarmNames: ["target-5xx", "latency-p99"].map((role) => alarm(run, role).state.name),
                enable: true,
                rollback: true,
            });
            assert.deepStrictEqual(inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
            assert.ok(service(run).dependencies.includes(alarm(run, "target-5xx").urn), "the service is created after the alarms it watches");
        }
    });

    it("every alarm notifies the stack's topic on alarm and on recovery", () => {
        for (const run of [dev, prod]) {
            assert.strictEqual(alarmsOf(run).length, 7);
            for (const a of alarmsOf(run)) {
                assert.deepStrictEqual([a.inputs.alarmActions, a.inputs.okActions], [[topicArn(run)], [topicArn(run)]], a.name);
            }
        }
    });

    it("the alarms watch this stack's load balancer and service", () => {
        const lbSuffix = prod.one("aws:lb/loadBalancer:LoadBalancer").state.arnSuffix;
        const groups = prod.ofType("aws:lb/targetGroup:TargetGroup").map((g) => g.state.arnSuffix);
        assert.deepStrictEqual(alarm(prod, "target-5xx").inputs.metricQueries[0].metric.dimensions, { LoadBalancer: lbSuffix, TargetGroup: groups[0] });
        assert.deepStrictEqual(alarm(prod, "elb-5xx").inputs.metricQueries[0].metric.dimensions, { LoadBalancer: lbSuffix });
        const cpu = alarm(prod, "cpu-high").inputs.metricQueries[0].metric.dimensions;
        assert.deepStrictEqual(cpu, { ClusterName: prod.one("aws:ecs/cluster:Cluster").state.name, ServiceName: service(prod).state.name });
    });

    it("the topic is encrypted with a customer-managed key that CloudWatch alarms may use (aws/sns cannot be)", () => {
        const key = prod.one("aws:kms/key:Key");
        assert.strictEqual(prod.one("aws:sns/topic:Topic").inputs.kmsMasterKeyId, key.state.arn);
        assert.strictEqual(key.inputs.enableKeyRotation, true);
        const grant = json(key.inputs.policy).Statement.find((s: any) => s.Sid === "AlarmsAndEventsEncrypt");
        assert.ok(grant.Principal.Service.includes("cloudwatch.amazonaws.com"));
        assert.deepStrictEqual(grant.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
        const publishers = json(prod.one("aws:sns/topicPolicy:TopicPolicy").inputs.policy).Statement;
        // One owner of the topic's one policy: this account's alarms and event rules, in this region.
        assert.deepStrictEqual(
            publishers.map((s: any) => [s.Principal.Service, s.Condition.ArnLike["aws:SourceArn"]]),
            [
                ["cloudwatch.amazonaws.com", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*"],
                ["events.amazonaws.com", "arn:aws:events:us-east-1:123456789012:rule/*"],
            ],
        );
        assert.strictEqual(prod.one("aws:sns/topicPolicy:TopicPolicy").parent, prod.one("flask-fargate:notifications:Notifications").urn);
    });

    it("subscribes the configured email addresses and HTTPS endpoints, and no one by default", async () => {
        assert.strictEqual(prod.ofType("aws:sns/topicSubscription:TopicSubscription").length, 0);
        const run = await runWith({ alarmEmails: ["ops@example.com"], alarmHttpsEndpoints: ["https://hooks.example.com/sns"] });
        const subs = run.ofType("aws:sns/topicSubscription:TopicSubscription").map((s) => [s.inputs.protocol, s.inputs.endpoint, s.inputs.topic]);
        assert.deepStrictEqual(subs, [
            ["email", "ops@example.com", topicArn(run)],
            ["https", "https://hooks.example.com/sns", topicArn(run)],
        ]);
    });

    it("with tasks on Spot (dev), Spot interruptions of the service's tasks reach the topic; prod has none", () => {
        const rule = dev.one("aws:cloudwatch/eventRule:EventRule");
        const pattern = json(rule.inputs.eventPattern);
        assert.deepStrictEqual(pattern.detail.stopCode, ["SpotInterruption"]);
        assert.deepStrictEqual(pattern.detail.group, [`service:${service(dev).state.name}`]);
        assert.deepStrictEqual(pattern.detail.clusterArn, [dev.one("aws:ecs/cluster:Cluster").state.arn]);
        assert.strictEqual(dev.one("aws:cloudwatch/eventTarget:EventTarget").inputs.arn, topicArn(dev));
        assert.strictEqual(prod.ofType("aws:cloudwatch/eventRule:EventRule").length, 0);
    });

    it("thresholds come from config", async () => {
        const run = await runWith({ alarmErrorRatePercent: 2, alarmEvaluationMinutes: 5, alarmUtilizationPercent: 80 });
        assert.deepStrictEqual([alarm(run, "target-5xx").inputs.threshold, alarm(run, "target-5xx").inputs.evaluationPeriods, alarm(run, "memory-high").inputs.threshold], [2, 5, 80]);
    });
});
