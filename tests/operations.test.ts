import * as assert from "assert";
import { committedStack, json, ProgramRun, runStack, runWith } from "./harness";
import { dashboardBody, dashboardUrl, errorsAndSlowRequestsQuery } from "../lib/dashboard";
import { blueGreenPolicy, elbLogDeliveryPrincipal } from "../lib/policies";
import { blueGreenSeconds, rolloutSeconds } from "../lib/rollout";

const service = (run: ProgramRun) => run.one("aws:ecs/service:Service");
const alb = (run: ProgramRun) => run.one("aws:lb/loadBalancer:LoadBalancer");

describe("ALB access logs", () => {
    it("prod logs into a bucket the stack creates, which ELB may write to under the stack's prefix", async () => {
        const prod = await runStack("prod");
        const bucket = prod.one("aws:s3/bucket:Bucket", "access-logs-bucket");
        assert.deepStrictEqual(alb(prod).inputs.accessLogs, { bucket: bucket.state.bucket, prefix: "flask-fargate-prod", enabled: true });
        const grant = json(prod.one("aws:s3/bucketPolicy:BucketPolicy", "access-logs-tls-only").inputs.policy).Statement.find((s: any) => s.Sid === "ElbAccessLogDelivery");
        // us-east-1's ELB account ("Enable access logs for your Application Load Balancer", ELB user guide).
        assert.deepStrictEqual(grant, {
            Sid: "ElbAccessLogDelivery",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::127311923021:root" },
            Action: "s3:PutObject",
            Resource: `${bucket.state.arn}/flask-fargate-prod/AWSLogs/123456789012/*`,
        });
        assert.ok(alb(prod).propertyDependencies.accessLogs.includes(prod.one("aws:s3/bucketPolicy:BucketPolicy", "access-logs-tls-only").urn), "logging starts once ELB may write");
    });

    it("the log bucket is encrypted with SSE-S3 (ALB logs support no SSE-KMS), expires with the log retention and is protected like the app's", async () => {
        const prod = await runStack("prod");
        const sse = prod.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "access-logs-encryption").inputs;
        assert.strictEqual(sse.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
        assert.deepStrictEqual(prod.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "access-logs-lifecycle").inputs.rules[0].expiration, { days: 365 });
        const bucket = prod.one("aws:s3/bucket:Bucket", "access-logs-bucket");
        assert.deepStrictEqual([bucket.protect, bucket.retainOnDelete], [true, true]);
        assert.strictEqual(prod.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "access-logs-public-access").inputs.restrictPublicBuckets, true);
    });

    it("dev has none; a given bucket is used instead of a new one", async () => {
        assert.strictEqual(alb(await runStack("dev")).inputs.accessLogs, undefined);
        const given = await runWith({ accessLogsBucket: "my-alb-logs" });
        assert.strictEqual(given.ofType("aws:s3/bucket:Bucket").length, 1);
        assert.strictEqual(alb(given).inputs.accessLogs.bucket, "my-alb-logs");
    });

    it("regions opened since August 2022 grant the log delivery service principal instead of an account", () => {
        assert.deepStrictEqual(elbLogDeliveryPrincipal("eu-west-1"), { AWS: "arn:aws:iam::156460612806:root" });
        assert.deepStrictEqual(elbLogDeliveryPrincipal("ap-southeast-5"), { Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
    });
});

describe("deployment strategy", () => {
    it("rolling names its strategy, so that switching back from blue-green is a change the provider sees", async () => {
        const inputs = service(await runWith()).inputs;
        assert.deepStrictEqual(inputs.deploymentConfiguration, { strategy: "ROLLING" });
    });

    // Blue/green -> rolling used to delete the production rule at the end of the update, after the
    // service: production kept forwarding to green while its tasks drained. The routing is now the
    // same in both strategies, so a switch changes the service's strategy and nothing else.
    it("a switch between rolling and blue-green changes only the service's deployment strategy", async () => {
        const rolling = await runWith();
        const blueGreen = await runWith({ deploymentStrategy: "blue-green" });
        const shape = (run: ProgramRun) => run.resources.map((r) => r.urn).sort();
        assert.deepStrictEqual(shape(rolling), shape(blueGreen));
        const changed = rolling.resources.filter((r) => JSON.stringify(r.inputs) !== JSON.stringify(blueGreen.byUrn(r.urn).inputs)).map((r) => r.type);
        assert.deepStrictEqual(changed, ["aws:ecs/service:Service"]);
        const [before, after] = [service(rolling).inputs, service(blueGreen).inputs];
        assert.deepStrictEqual(Object.keys(before).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])), ["deploymentConfiguration"]);
        assert.deepStrictEqual(before.loadBalancers, after.loadBalancers);
        assert.ok(before.loadBalancers[0].advancedConfiguration.productionListenerRule);
    });

    describe("blue-green", () => {
        let run: ProgramRun;
        before(async () => {
            run = await runWith({ deploymentStrategy: "blue-green", bakeTimeMinutes: 10 });
        });
        const rule = (role: string) => run.one("aws:lb/listenerRule:ListenerRule", `web-${role}`);

        it("ECS native blue/green with the bake time, the green target group, both rules and its role", () => {
            const inputs = service(run).inputs;
            assert.deepStrictEqual(inputs.deploymentConfiguration, { strategy: "BLUE_GREEN", bakeTimeInMinutes: "10" });
            const [blue, green] = run.ofType("aws:lb/targetGroup:TargetGroup");
            assert.strictEqual(inputs.loadBalancers[0].targetGroupArn, blue.state.arn);
            assert.deepStrictEqual(inputs.loadBalancers[0].advancedConfiguration, {
                alternateTargetGroupArn: green.state.arn,
                productionListenerRule: rule("production-rule").state.arn,
                testListenerRule: rule("test-rule").state.arn,
                roleArn: run.one("aws:iam/role:Role", "web-blue-green-role").state.arn,
            });
            assert.ok(service(run).dependencies.includes(run.one("aws:iam/rolePolicy:RolePolicy", "web-blue-green-policy").urn), "the role may act before the service uses it");
            assert.deepStrictEqual(inputs.alarms.rollback, true);
        });

        it("both rules sit on the production listener, forward to blue and green, and leave the weights to ECS", () => {
            const listener = run.one("aws:lb/listener:Listener", "web-http").state.arn;
            const [blue, green] = run.ofType("aws:lb/targetGroup:TargetGroup").map((g) => g.state.arn);
            for (const role of ["production-rule", "test-rule"]) {
                assert.strictEqual(rule(role).inputs.listenerArn, listener);
                assert.deepStrictEqual(rule(role).inputs.actions[0].forward.targetGroups, [{ arn: blue, weight: 100 }, { arn: green, weight: 0 }]);
                assert.deepStrictEqual(rule(role).ignoreChanges, ["actions"]);
            }
            assert.deepStrictEqual(rule("test-rule").inputs.conditions, [{ httpHeader: { httpHeaderName: "X-Test-Traffic", values: ["green"] } }, { pathPattern: { values: ["/*"] } }]);
            assert.ok(rule("test-rule").inputs.priority < rule("production-rule").inputs.priority);
        });

        it("the role is ECS's, and may change only this listener, its rules and its two target groups", () => {
            const role = run.one("aws:iam/role:Role", "web-blue-green-role");
            assert.deepStrictEqual(json(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "ecs.amazonaws.com" });
            const statements = json(run.one("aws:iam/rolePolicy:RolePolicy", "web-blue-green-policy").inputs.policy).Statement;
            const scoped = statements.filter((s: any) => s.Resource !== "*");
            assert.deepStrictEqual(scoped.flatMap((s: any) => s.Resource).sort(), [
                ...run.ofType("aws:lb/targetGroup:TargetGroup").map((g) => g.state.arn),
                run.one("aws:lb/listener:Listener", "web-http").state.arn,
                rule("production-rule").state.arn,
                rule("test-rule").state.arn,
            ].sort());
            const unscoped = statements.filter((s: any) => s.Resource === "*").flatMap((s: any) => s.Action);
            assert.ok(unscoped.every((a: string) => a.startsWith("elasticloadbalancing:Describe")), "only the Describe actions, which take no resource");
        });

        it("alarms and the dashboard see both target groups", () => {
            const unhealthy = run.one("aws:cloudwatch/metricAlarm:MetricAlarm", "app-unhealthy-hosts").inputs.metricQueries;
            assert.strictEqual(unhealthy.filter((q: any) => q.metric).length, 2);
            const targets = json(run.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody).widgets.find((w: any) => w.properties.title === "Targets");
            assert.strictEqual(targets.properties.metrics.length, 4);
        });

    });

    it("rollout arithmetic: blue-green adds the bake time to the 50 s of a rolling step in prod", () => {
        const prod = committedStack("prod");
        assert.strictEqual(rolloutSeconds(prod), 50);
        assert.strictEqual(blueGreenSeconds(prod, 5), 350);
    });

    it("the blue/green policy puts the Describe actions alone on Resource *", () => {
        const doc = blueGreenPolicy({ listenerArns: ["l"], ruleArns: ["r1", "r2"], targetGroupArns: ["b", "g"] });
        assert.deepStrictEqual(doc.Statement.map((s) => s.Resource), ["*", ["l", "r1", "r2"], ["b", "g"]]);
    });
});

describe("dashboard and saved query", () => {
    const targets = { region: "eu-west-1", targets: { loadBalancer: "app/web/1", targetGroups: ["targetgroup/tg/2"] }, cluster: "c", service: "s", alarmArns: ["arn:a"] };

    it("shows requests, 2xx/4xx/5xx, p50/p99, targets, tasks, CPU and memory, deployments and the alarms", () => {
        const widgets = (dashboardBody(targets).widgets as any[]).map((w) => [w.properties.title, (w.properties.metrics ?? []).map((m: any[]) => `${m[1]}:${m.at(-1).stat}`)]);
        assert.deepStrictEqual(Object.fromEntries(widgets), {
            "Requests per minute": ["RequestCount:Sum"],
            "Responses per minute": ["HTTPCode_Target_2XX_Count:Sum", "HTTPCode_Target_4XX_Count:Sum", "HTTPCode_Target_5XX_Count:Sum"],
            "Target response time (s)": ["TargetResponseTime:p50", "TargetResponseTime:p99"],
            Targets: ["HealthyHostCount:Minimum", "UnHealthyHostCount:Maximum"],
            Tasks: ["RunningTaskCount:Average", "DesiredTaskCount:Average", "PendingTaskCount:Average"],
            "CPU and memory (%)": ["CPUUtilization:Average", "CPUUtilization:Maximum", "MemoryUtilization:Average", "MemoryUtilization:Maximum"],
            "Deployments in progress": ["DeploymentCount:Maximum"],
            Alarms: [],
        });
        const alarmWidget = (dashboardBody(targets).widgets as any[]).find((w) => w.type === "alarm");
        assert.deepStrictEqual(alarmWidget.properties.alarms, ["arn:a"]);
        // A worker's dashboard: no traffic, its tasks from the top.
        const worker = (dashboardBody({ ...targets, targets: undefined }).widgets as any[]).map((w) => [w.properties.title, w.y]);
        assert.deepStrictEqual(worker, [["Tasks", 0], ["CPU and memory (%)", 0], ["Deployments in progress", 6], ["Alarms", 6]]);
    });

    it("its console URL is a stack output, and the dashboard shows this stack's resources and every alarm", async () => {
        assert.strictEqual(dashboardUrl("eu-west-1", "flask-fargate-prod"), "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=flask-fargate-prod");
        const prod = await runStack("prod");
        assert.strictEqual(prod.outputs.dashboardUrl, "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=flask-fargate-prod");
        const body = json(prod.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody);
        const alarmArns = prod.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.state.arn);
        assert.deepStrictEqual([...body.widgets.find((w: any) => w.type === "alarm").properties.alarms].sort(), alarmArns.sort());
        // The service's own traffic: its target groups on this load balancer.
        const [, , , group, , loadBalancer] = body.widgets[0].properties.metrics[0];
        assert.deepStrictEqual([group, loadBalancer], [prod.one("aws:lb/targetGroup:TargetGroup", "-tg").state.arnSuffix, alb(prod).state.arnSuffix]);
    });

    it("the saved query reads the app's log group for its access records answered 5xx or slower than the latency threshold", async () => {
        const run = await runWith({ alarmLatencyMs: 800 });
        const query = run.one("aws:cloudwatch/queryDefinition:QueryDefinition").inputs;
        assert.deepStrictEqual(query.logGroupNames, [run.one("aws:cloudwatch/logGroup:LogGroup").state.name]);
        assert.strictEqual(query.queryString, errorsAndSlowRequestsQuery(800));
        // The fields the app's access log writes (app/app.py log_access).
        assert.match(query.queryString, /filter logger = "app.access" and \(status >= 500 or duration_ms >= 800\)/);
        assert.match(query.queryString, /by path, status/);
    });
});
