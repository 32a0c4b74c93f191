import { CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTasksCommand, ECSClient, RunTaskCommand } from "@aws-sdk/client-ecs";
import * as assert from "assert";
import { mockClient } from "aws-sdk-client-mock";
import { TaskStartError } from "../../automation/errors";
import { logsConsoleUrl, runOneOffTask } from "../../automation/oneOffTask";
import { RunTaskTarget } from "../../lib/runTask";

const target: RunTaskTarget = {
    cluster: "app-cluster-1",
    taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/flask-fargate-dev-app:7",
    subnets: ["subnet-private0", "subnet-private1"],
    securityGroup: "sg-tasks",
    capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    containerName: "app",
    logGroup: "/ecs/flask-fargate-dev-1",
    logStreamPrefix: "app",
};
const taskArn = "arn:aws:ecs:eu-west-1:123456789012:task/app-cluster-1/0123456789abcdef";

describe("automation: one-off tasks (aws-sdk-client-mock)", () => {
    const ecs = mockClient(ECSClient);
    const logs = mockClient(CloudWatchLogsClient);
    beforeEach(() => {
        ecs.reset();
        logs.reset();
        // Like CloudWatch: the end of a stream is a page with no events and the same token.
        logs.on(GetLogEventsCommand)
            .resolvesOnce({ events: [{ message: "migrating" }, { message: "done" }], nextForwardToken: "f/1" })
            .resolves({ events: [], nextForwardToken: "f/1" });
    });
    const stopped = (exitCode?: number, extra: object = {}) =>
        ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn, lastStatus: "STOPPED", containers: [{ name: "app", exitCode, ...extra }] }] });
    const run = (lines: string[] = []) =>
        runOneOffTask({ target, command: ["python", "manage.py", "migrate"], ecs: new ECSClient({ region: "eu-west-1" }), logs: new CloudWatchLogsClient({ region: "eu-west-1" }), pollSeconds: 1, onLog: (l) => lines.push(l) });

    it("starts the service's task definition on the service's network with the command overridden", async () => {
        ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn }], failures: [] });
        stopped(0);
        await run();
        const [call] = ecs.commandCalls(RunTaskCommand);
        const input = call.args[0].input;
        assert.strictEqual(input.cluster, target.cluster);
        assert.strictEqual(input.taskDefinition, target.taskDefinition);
        assert.deepStrictEqual(input.capacityProviderStrategy, target.capacityProviderStrategy);
        assert.strictEqual(input.launchType, undefined, "never a launch type next to a capacity provider strategy");
        assert.deepStrictEqual(input.networkConfiguration, {
            awsvpcConfiguration: { subnets: target.subnets, securityGroups: ["sg-tasks"], assignPublicIp: "DISABLED" },
        });
        assert.deepStrictEqual(input.overrides, { containerOverrides: [{ name: "app", command: ["python", "manage.py", "migrate"] }] });
    });

    it("waits for the task to stop, passes on its logs, and returns the container's exit code", async () => {
        ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn }] });
        stopped(3);
        const lines: string[] = [];
        const result = await run(lines);
        assert.strictEqual(result.exitCode, 3);
        assert.strictEqual(result.taskArn, taskArn);
        const [logCall] = logs.commandCalls(GetLogEventsCommand);
        assert.deepStrictEqual(
            [logCall.args[0].input.logGroupName, logCall.args[0].input.logStreamName],
            ["/ecs/flask-fargate-dev-1", "app/app/0123456789abcdef"],
        );
        assert.deepStrictEqual(lines.slice(1), ["migrating", "done"]);
        assert.match(lines[0], /logs: https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudwatch/);
    });

    it("a task ECS cannot place (e.g. no capacity) is a TaskStartError with ECS's reason", async () => {
        ecs.on(RunTaskCommand).resolves({ tasks: [], failures: [{ arn: target.taskDefinition, reason: "Capacity is unavailable at this time. Please try again later or in a different availability zone" }] });
        await assert.rejects(run(), (err: Error) => err instanceof TaskStartError && /Capacity is unavailable/.test(err.message));
        assert.strictEqual(ecs.commandCalls(DescribeTasksCommand).length, 0);
    });

    it("a task that stops before its command runs (e.g. the image cannot be pulled) is a TaskStartError", async () => {
        ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn }] });
        ecs.on(DescribeTasksCommand).resolves({
            tasks: [{ taskArn, lastStatus: "STOPPED", stoppedReason: "CannotPullContainerError: pull access denied", containers: [{ name: "app", reason: "CannotPullContainerError" }] }],
        });
        await assert.rejects(run(), (err: Error) => err instanceof TaskStartError && /CannotPullContainerError: pull access denied/.test(err.message));
    });

    it("links the task's log stream in the CloudWatch console", () => {
        assert.strictEqual(
            logsConsoleUrl("us-east-1", "/ecs/g", "app/app/1"),
            "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Fecs$252Fg/log-events/app$252Fapp$252F1",
        );
    });
});
