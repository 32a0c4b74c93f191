/**
 * The `aws ecs run-task` command line for a one-off task from the service's task definition,
 * on the service's network, with an overridden command.
 */

/** What the command needs from the stack. */
export interface RunTaskTarget {
    /** Cluster name. */
    cluster: string;
    /** Task definition ARN. */
    taskDefinition: string;
    /** Private subnets of the tasks. */
    subnets: string[];
    /** The tasks' security group. */
    securityGroup: string;
    /** Capacity providers and weights of the service. */
    capacityProviderStrategy: { capacityProvider: string; weight: number; base?: number }[];
    /** The app's container. */
    containerName: string;
    /** Its log group. */
    logGroup: string;
    /** Its awslogs stream prefix: a task's stream is `<prefix>/<container>/<task id>`. */
    logStreamPrefix: string;
}

/** Quotes a word for a POSIX shell. */
function shellQuote(word: string): string {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A ready-to-paste command; `command` is what the container runs instead of its CMD. */
export function runTaskCommand(target: RunTaskTarget, command: string[] = ["python", "-c", "print('hello from a one-off task')"]): string {
    const strategy = target.capacityProviderStrategy
        .map((s) => `capacityProvider=${s.capacityProvider},weight=${s.weight}${s.base ? `,base=${s.base}` : ""}`)
        .join(" ");
    const network = `awsvpcConfiguration={subnets=[${target.subnets.join(",")}],securityGroups=[${target.securityGroup}],assignPublicIp=DISABLED}`;
    const overrides = JSON.stringify({ containerOverrides: [{ name: target.containerName, command }] });
    return [
        "aws ecs run-task",
        `--cluster ${shellQuote(target.cluster)}`,
        `--task-definition ${shellQuote(target.taskDefinition)}`,
        `--capacity-provider-strategy ${strategy}`,
        `--network-configuration ${shellQuote(network)}`,
        `--overrides ${shellQuote(overrides)}`,
    ].join(" ");
}
