import * as assert from "assert";
import { alarmSpecs, capacityAlarmMinutes } from "../lib/alarms";
import { defaultSettings } from "../lib/config";
import { json, ProgramRun, runStack, runWith } from "./harness";

const alarmsOf = (run: ProgramRun) => run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
const alarm = (run: ProgramRun, role: string) => run.one("aws:cloudwatch/metricAlarm:MetricAlarm", `app-${role}`);
const service = (run: ProgramRun) => run.one("aws:ecs/service:Service");
const topicArn = (run: ProgramRun) => run.one("aws:sns/topic:Topic").state.arn;
const dims = { loadBalancer: "app/web/1", targetGroups: ["targetgroup/tg/2"], cluster: "cluster", service: "svc" };

describe("alarms (lib/alarms.ts)", () => {
    const specs = alarmSpecs(dims, defaultSettings.alarms);
    const byRole = (role: string) => specs.find((s) => s.role === role)!;

    it("ECS watches exactly the 5xx and latency alarms during deployments, and none of them references the service", () => {
        const deployment = specs.filter((s) => s.deployment);
        assert.deepStrictEqual(deployment.map((s) => s.role), ["target-5xx", "elb-5xx", "latency-p99"]);
        for (const spec of deployment) {
            const dimensions = spec.metricQueries.flatMap((q) => Object.values(q.metric?.dimensions ?? {}));
            assert.ok(!dimensions.includes("svc") && !dimensions.includes("cluster"), `${spec.role} must not need the service, which is created after it`);
        }
    });

    it("the 5xx alarms are rates of requests, quiet below the minimum request count, and no traffic is not a breach", () => {
        for (const role of ["target-5xx", "elb-5xx"]) {
            const spec = byRole(role);
            const [errors, requests, result] = spec.metricQueries;
            assert.deepStrictEqual([errors.metric?.stat, requests.metric?.metricName, requests.metric?.stat], ["Sum", "RequestCount", "Sum"]);
            assert.match(result.expression!, /^IF\(FILL\(requests, 0\)( \+ FILL\(errors, 0\))? >= 10, 100 \* FILL\(errors, 0\) \//);
            assert.deepStrictEqual([result.returnData, spec.threshold, spec.treatMissingData, spec.evaluationPeriods], [true, 5, "notBreaching", 3]);
        }
        assert.strictEqual(byRole("target-5xx").metricQueries[0].metric?.metricName, "HTTPCode_Target_5XX_Count");
        assert.strictEqual(byRole("elb-5xx").metricQueries[0].metric?.metricName, "HTTPCode_ELB_5XX_Count");
    });

    it("latency compares the p99 target response time, in seconds, with alarmLatencyMs", () => {
        const spec = alarmSpecs(dims, { ...defaultSettings.alarms, latencyMs: 750 }).find((s) => s.role === "latency-p99")!;
        assert.deepStrictEqual([spec.metricQueries[0].metric?.metricName, spec.metricQueries[0].metric?.stat, spec.threshold], ["TargetResponseTime", "p99", 0.75]);
    });

    it("watches unhealthy tasks in every target group (blue and green)", () => {
        const spec = alarmSpecs({ ...dims, targetGroups: ["targetgroup/blue/1", "targetgroup/green/2"] }, defaultSettings.alarms).find((s) => s.role === "unhealthy-hosts")!;
        assert.deepStrictEqual(spec.metricQueries.filter((q) => q.metric).map((q) => q.metric!.dimensions.TargetGroup), ["targetgroup/blue/1", "targetgroup/green/2"]);
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

    it("a 5xx alarm and the latency alarm are the service's deployment alarms, with rollback, beside the circuit breaker", () => {
        for (const run of [dev, prod]) {
            const inputs = service(run).inputs;
            assert.deepStrictEqual(inputs.alarms, {
                alarmNames: ["target-5xx", "elb-5xx", "latency-p99"].map((role) => alarm(run, role).state.name),
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
        assert.strictEqual(alarm(prod, "target-5xx").inputs.metricQueries[0].metric.dimensions.LoadBalancer, lbSuffix);
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
        assert.deepStrictEqual(publishers.map((s: any) => s.Principal.Service), ["cloudwatch.amazonaws.com"]);
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
        const events = json(dev.one("aws:sns/topicPolicy:TopicPolicy").inputs.policy).Statement.find((s: any) => s.Principal.Service === "events.amazonaws.com");
        assert.deepStrictEqual(events.Condition, { ArnEquals: { "aws:SourceArn": rule.state.arn } });
        assert.strictEqual(prod.ofType("aws:cloudwatch/eventRule:EventRule").length, 0);
    });

    it("thresholds come from config", async () => {
        const run = await runWith({ alarmErrorRatePercent: 2, alarmEvaluationMinutes: 5, alarmUtilizationPercent: 80 });
        assert.deepStrictEqual([alarm(run, "target-5xx").inputs.threshold, alarm(run, "target-5xx").inputs.evaluationPeriods, alarm(run, "memory-high").inputs.threshold], [2, 5, 80]);
    });
});
