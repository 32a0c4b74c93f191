import * as assert from "assert";
import {
    availabilityZoneRebalancing,
    awsDefaultTimings,
    deploymentTimeoutMinutes,
    healthCheckGracePeriod,
    healthCheckTimeout,
    providerServiceTimeoutMinutes,
    rolloutBudgetSeconds,
    rolloutSeconds,
    rolloutStepTasks,
    stuckRolloutCount,
} from "../lib/rollout";
import { requestsPerTargetQueries, requestTargetPerTask, targetTrackingPolicies } from "../lib/scaling";
import { runTaskCommand } from "../lib/runTask";

describe("rollout arithmetic", () => {
    it("AWS's defaults spend 450 s of each rollout step on health checks and draining", () => {
        assert.strictEqual(rolloutSeconds(awsDefaultTimings), 30 * 5 + 300);
    });

    it("the defaults stay within the 55 s budget", () => {
        assert.strictEqual(rolloutSeconds({ healthCheckInterval: 10, healthyThreshold: 2, deregistrationDelay: 30 }), 50);
        assert.ok(50 <= rolloutBudgetSeconds);
    });

    it("the health check timeout is shorter than the shortest interval config allows", () => {
        assert.ok(healthCheckTimeout < 6);
    });

    it("the grace period covers the app's start twice over", () => {
        assert.strictEqual(healthCheckGracePeriod(15), 30);
    });

    // ECS API reference, DeploymentConfiguration: maximumPercent "rounded down", minimumHealthyPercent "rounded up".
    it("a rolling step replaces what ECS's rounding of the two percentages leaves room for", () => {
        assert.strictEqual(rolloutStepTasks(2, 100, 200), 2);
        assert.strictEqual(rolloutStepTasks(4, 50, 100), 2);
        assert.strictEqual(rolloutStepTasks(2, 100, 140), 0, "2 × 140 % rounds down to 2, 2 × 100 % up to 2: stuck");
        assert.strictEqual(rolloutStepTasks(1, 100, 150), 0);
        assert.strictEqual(stuckRolloutCount(1, 4, 100, 150), 1);
        assert.strictEqual(stuckRolloutCount(3, 10, 100, 150), undefined, "from 2 tasks on, 150 % leaves room for one more");
        assert.strictEqual(stuckRolloutCount(0, 0, 100, 101), undefined, "no task, nothing to deploy");
    });

    // The case: blue/green with a 15-minute bake, waitForSteadyState, and the provider's
    // default 20-minute update timeout fails a deployment ECS completes.
    it("the service's timeout outlasts the slowest deployment the settings allow, never below the provider's 20 minutes", () => {
        const timings = { healthCheckInterval: 10, healthyThreshold: 2, deregistrationDelay: 30 };
        const rolling = { timings, maxCount: 4, minHealthyPercent: 100, maxPercent: 200 };
        assert.strictEqual(deploymentTimeoutMinutes(rolling), providerServiceTimeoutMinutes);
        for (const bake of [0, 15, 16, 60, 1440]) {
            const minutes = deploymentTimeoutMinutes({ ...rolling, bakeTimeMinutes: bake });
            assert.ok(minutes >= providerServiceTimeoutMinutes && minutes > bake + 5 + 1, `bake ${bake}: ${minutes} min`);
        }
        // The slowest rolling deployment: 1 task at a time over 5,000, an hour of draining each.
        const slow = deploymentTimeoutMinutes({ timings: { healthCheckInterval: 300, healthyThreshold: 10, deregistrationDelay: 3600 }, maxCount: 5000, minHealthyPercent: 100, maxPercent: 101 });
        assert.ok(slow > 5000 * (300 * 10 + 3600) / 60 / 50, `${slow} min`);
    });

    it("Availability Zone rebalancing is on unless ECS refuses it: a maximum of 100 % or less, or binpack placement", () => {
        assert.strictEqual(availabilityZoneRebalancing(200, []), "ENABLED");
        assert.strictEqual(availabilityZoneRebalancing(101, ["spread"]), "ENABLED");
        assert.strictEqual(availabilityZoneRebalancing(100, []), "DISABLED");
        assert.strictEqual(availabilityZoneRebalancing(200, ["spread", "binpack"]), "DISABLED");
    });
});

describe("autoscaling policies", () => {
    it("track CPU, memory and requests per task; only the request metric is a customized one", () => {
        const policies = targetTrackingPolicies("queries", { cpu: 60, memory: 75, requests: requestTargetPerTask });
        assert.deepStrictEqual(
            policies.map((p) => [p.role, p.predefinedMetricType, p.metrics]),
            [
                ["cpu", "ECSServiceAverageCPUUtilization", undefined],
                ["memory", "ECSServiceAverageMemoryUtilization", undefined],
                ["requests", undefined, "queries"],
            ],
        );
    });

    // Under blue/green ECS moves production between the two groups at every deployment: the metric
    // must follow it, so it adds both groups' requests per target, an idle or empty group counting 0.
    it("requests per task are summed over every target group, an empty group's missing data counting 0", () => {
        const queries = requestsPerTargetQueries("app/web-alb/50dc", ["targetgroup/blue/943f", "targetgroup/green/1a2b"]);
        assert.deepStrictEqual(
            queries.filter((q) => q.metricStat).map((q) => [q.id, q.returnData, q.metricStat!.stat, q.metricStat!.metric.metricName, q.metricStat!.metric.dimensions.map((d) => d.value)]),
            [
                ["group0", false, "Sum", "RequestCountPerTarget", ["app/web-alb/50dc", "targetgroup/blue/943f"]],
                ["group1", false, "Sum", "RequestCountPerTarget", ["app/web-alb/50dc", "targetgroup/green/1a2b"]],
            ],
        );
        assert.deepStrictEqual(queries.filter((q) => q.returnData).map((q) => q.expression), ["FILL(group0, 0) + FILL(group1, 0)"]);
        assert.throws(() => requestsPerTargetQueries("arn:aws:elasticloadbalancing:...:loadbalancer/app/web/1", ["targetgroup/tg/2"]), /not an ALB and its target groups' ARN suffixes/);
    });
});

describe("run-task command", () => {
    const target = {
        cluster: "app-cluster-1",
        taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/flask-fargate-dev-app:3",
        subnets: ["subnet-a", "subnet-b"],
        securityGroup: "sg-1",
        capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
        containerName: "app",
        logGroup: "/ecs/flask-fargate-dev-1",
        logStreamPrefix: "app",
    };

    it("starts the service's task definition on its network, without a public IP, with an overridden command", () => {
        const command = runTaskCommand(target, ["python", "-c", "print('it''s done')"]);
        assert.ok(command.startsWith("aws ecs run-task --cluster app-cluster-1 --task-definition arn:aws:ecs:us-east-1:123456789012:task-definition/flask-fargate-dev-app:3"));
        assert.ok(command.includes("--capacity-provider-strategy capacityProvider=FARGATE,weight=1"));
        assert.ok(!command.includes("--launch-type"), "a capacity provider strategy and a launch type exclude each other");
        assert.ok(command.includes("'awsvpcConfiguration={subnets=[subnet-a,subnet-b],securityGroups=[sg-1],assignPublicIp=DISABLED}'"));
        assert.ok(command.includes(`--overrides '{"containerOverrides":[{"name":"app","command":["python","-c","print('\\''it'\\'''\\''s done'\\'')"]}]}'`));
    });
});
