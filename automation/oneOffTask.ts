/**
 * One-off tasks (the walkthrough's `aws ecs run-task`): start the service's task definition on the
 * service's network with another command, wait for it to stop, show its logs, and return the
 * container's exit code.
 */
import { CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTasksCommand, ECSClient, RunTaskCommand, Task, waitUntilTasksStopped } from "@aws-sdk/client-ecs";
import { RunTaskTarget } from "../lib/runTask";
import { TaskStartError } from "./errors";

export interface OneOffTaskOptions {
    /** The stack's `runTaskTarget` output. */
    target: RunTaskTarget;
    /** What the container runs instead of its CMD. */
    command: string[];
    /** ECS client. @default a client for `region` with the default credential chain */
    ecs?: ECSClient;
    /** CloudWatch Logs client. @default a client for `region` with the default credential chain */
    logs?: CloudWatchLogsClient;
    /** AWS region (for the clients and the console link). @default the task definition's region */
    region?: string;
    /** Receives the link to the task's logs, then each log line once the task has stopped. */
    onLog?: (line: string) => void;
    /** Longest wait for the task to stop, in seconds. @default 3600 */
    maxWaitSeconds?: number;
    /** Seconds between status checks. @default 6 */
    pollSeconds?: number;
}

export interface OneOffTaskResult {
    /** The task's ARN. */
    taskArn: string;
    /** The container's exit code. */
    exitCode: number;
    /** Why ECS stopped the task. */
    stoppedReason?: string;
    /** The task's log stream in the CloudWatch console. */
    logsUrl: string;
    /** From RunTask to stopped. */
    durationMs: number;
}

/** The CloudWatch console address of a log stream (the console escapes "%" as "$25"). */
export function logsConsoleUrl(region: string, group: string, stream: string): string {
    const escape = (s: string) => encodeURIComponent(s).replace(/%/g, "$25");
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${escape(group)}/log-events/${escape(stream)}`;
}

/** Runs a one-off task and returns once it has stopped; throws TaskStartError when it cannot run the command. */
export async function runOneOffTask(opts: OneOffTaskOptions): Promise<OneOffTaskResult> {
    const region = opts.region ?? opts.target.taskDefinition.split(":")[3];
    const ecs = opts.ecs ?? new ECSClient({ region });
    const logs = opts.logs ?? new CloudWatchLogsClient({ region });
    const { target } = opts;
    const started = Date.now();

    const run = await ecs.send(
        new RunTaskCommand({
            cluster: target.cluster,
            taskDefinition: target.taskDefinition,
            count: 1,
            capacityProviderStrategy: target.capacityProviderStrategy,
            networkConfiguration: {
                awsvpcConfiguration: { subnets: target.subnets, securityGroups: [target.securityGroup], assignPublicIp: "DISABLED" },
            },
            overrides: { containerOverrides: [{ name: target.containerName, command: opts.command }] },
            startedBy: "flask-fargate",
            propagateTags: "TASK_DEFINITION",
        }),
    );
    const failure = run.failures?.[0];
    const taskArn = run.tasks?.[0]?.taskArn;
    if (failure !== undefined || taskArn === undefined) {
        const reason = failure ? `${failure.reason ?? "unknown reason"}${failure.detail ? ` (${failure.detail})` : ""}` : "ECS returned no task";
        throw new TaskStartError(`ECS could not start the task: ${reason}.`, "Capacity shortages pass: try again, or set flask-fargate:capacity to fargate.");
    }

    const stream = `${target.logStreamPrefix}/${target.containerName}/${taskArn.split("/").pop()}`;
    const logsUrl = logsConsoleUrl(region, target.logGroup, stream);
    opts.onLog?.(`task ${taskArn} started; logs: ${logsUrl}`);

    const poll = opts.pollSeconds ?? 6;
    await waitUntilTasksStopped(
        { client: ecs, maxWaitTime: opts.maxWaitSeconds ?? 3600, minDelay: poll, maxDelay: poll },
        { cluster: target.cluster, tasks: [taskArn] },
    );
    const described = await ecs.send(new DescribeTasksCommand({ cluster: target.cluster, tasks: [taskArn] }));
    const task: Task | undefined = described.tasks?.[0];
    const container = task?.containers?.find((c) => c.name === target.containerName);

    for (const line of await readLogLines(logs, target.logGroup, stream)) {
        opts.onLog?.(line);
    }
    if (container?.exitCode === undefined || container.exitCode === null) {
        const why = [task?.stoppedReason, container?.reason].filter(Boolean).join(": ") || "no reason given";
        throw new TaskStartError(`The task stopped without running the command: ${why}.`, `See ${logsUrl}`);
    }
    return { taskArn, exitCode: container.exitCode, stoppedReason: task?.stoppedReason, logsUrl, durationMs: Date.now() - started };
}

/** Every message of a log stream, oldest first; none if the stream was never created. */
async function readLogLines(logs: CloudWatchLogsClient, group: string, stream: string): Promise<string[]> {
    const lines: string[] = [];
    let token: string | undefined;
    for (;;) {
        let page;
        try {
            page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, nextToken: token }));
        } catch (err) {
            if ((err as Error).name === "ResourceNotFoundException") {
                return lines;
            }
            throw err;
        }
        lines.push(...(page.events ?? []).map((e) => e.message ?? ""));
        if (!page.nextForwardToken || page.nextForwardToken === token) {
            return lines;
        }
        token = page.nextForwardToken;
    }
}
