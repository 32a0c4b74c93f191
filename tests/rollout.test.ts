import * as assert from "assert";
import { awsDefaultTimings, healthCheckGracePeriod, healthCheckTimeout, rolloutBudgetSeconds, rolloutSeconds } from "../lib/rollout";
import { requestCountLabel, targetTrackingPolicies } from "../lib/scaling";
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
});

describe("autoscaling policies", () => {
    it("track CPU, memory and requests per task; only the request metric takes the label", () => {
        const policies = targetTrackingPolicies("app/web/1/targetgroup/tg/2");
        assert.deepStrictEqual(
            policies.map((p) => [p.metric, p.resourceLabel]),
            [
                ["ECSServiceAverageCPUUtilization", undefined],
                ["ECSServiceAverageMemoryUtilization", undefined],
                ["ALBRequestCountPerTarget", "app/web/1/targetgroup/tg/2"],
            ],
        );
    });

    it("the request label joins the ALB's and target group's ARN suffixes, and refuses anything else", () => {
        assert.strictEqual(requestCountLabel("app/web-alb/50dc", "targetgroup/web-tg/943f"), "app/web-alb/50dc/targetgroup/web-tg/943f");
        assert.throws(() => requestCountLabel("arn:aws:elasticloadbalancing:...:loadbalancer/app/web/1", "targetgroup/tg/2"), /not an ALB and target group ARN suffix pair/);
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
