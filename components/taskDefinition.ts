import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { fargateSizeProblem } from "../lib/fargate";
import { executeCommandPolicy, PolicyDocument, roleInlinePoliciesMaxSize, secretsReadPolicy, serviceTrustPolicy, taskExecutionManagedPolicyArn } from "../lib/policies";
import { secretArnPattern, secretArnText } from "../lib/secretArns";
import { logRetentionValues } from "../lib/logs";
import { logGroupPrefix, stackScope, taskFamily } from "../lib/stackNames";
import { Architecture } from "../lib/types";

/** A container health check, as ECS runs it inside the task. */
export interface HealthCheck {
    /** The command, e.g. ["CMD", "python", "/app/healthcheck.py"]; exit 0 is healthy. */
    command: string[];
    /** Seconds between checks (5-300). */
    interval: number;
    /** Seconds a check may take (2-60). */
    timeout: number;
    /** Failures in a row before the container is unhealthy (1-10). */
    retries: number;
    /** Seconds after start during which failures do not count (0-300). */
    startPeriod: number;
}

/** The one container of a task. */
export interface ContainerSpec {
    /** Name of the container (letters, digits, hyphens, underscores; at most 255). */
    name: string;
    /** Image reference, best pinned to a digest. */
    image: pulumi.Input<string>;
    /** Command to run instead of the image's. @default the image's CMD */
    command?: string[];
    /** Plain environment variables. @default {} */
    environment?: Record<string, pulumi.Input<string>>;
    /** Environment variables read from Secrets Manager or SSM at task start: name -> ARN. @default {} */
    secrets?: Record<string, string>;
    /** Port the container listens on (TCP), for a load balancer; none for a worker. @default undefined (no port) */
    port?: number;
    /** ECS's health check of the container. @default undefined (none: the container is healthy while it runs) */
    healthCheck?: HealthCheck;
    /** UID:GID the container runs as. @default undefined (the image's USER) */
    user?: string;
    /**
     * Absolute paths the container writes to, each a task volume, on an otherwise read-only root
     * filesystem. On Fargate an empty bind mount is a root-owned directory; the data plane copies
     * the image's directory (contents, owner, mode) into it only when the Dockerfile declares a
     * `VOLUME` at the same path (Amazon ECS developer guide, "Use bind mounts with Amazon ECS").
     * @default []
     */
    writablePaths?: string[];
    /** Seconds ECS waits after SIGTERM before SIGKILL (2-120). @default 30 */
    stopTimeout?: number;
}

/** An IAM role a caller already has, to use instead of the one the component would create. */
export interface ExistingRole {
    /** The role's ARN. */
    arn: pulumi.Input<string>;
}

export interface TaskDefinitionArgs {
    /**
     * The task's container.
     */
    container: ContainerSpec;
    /**
     * Task CPU units (with Fargate: 256, 512, 1024, 2048, 4096, 8192 or 16384).
     * @default 256
     */
    cpu?: number;
    /**
     * Task memory in MiB (with Fargate: a size the cpu accepts).
     * @default 512
     */
    memory?: number;
    /**
     * CPU architecture of the task.
     * @default "X86_64"
     */
    architecture?: Architecture;
    /**
     * Launch types the task definition declares (EC2 too when the cluster has EC2 capacity).
     * @default ["FARGATE"]
     */
    compatibilities?: ("FARGATE" | "EC2")[];
    /**
     * Family of the task definition's revisions (at most 255 letters, digits, _ and -).
     * @default `<project>-<stack>-<name>`
     */
    family?: string;
    /**
     * AWS region of the log group (awslogs needs it).
     * @default the provider's region
     */
    region?: pulumi.Input<string>;
    /**
     * Log retention in days (one of CloudWatch's values; 0 = never expire). Ignored with `logGroupName`.
     * @default 30
     */
    logRetentionDays?: number;
    /**
     * An existing log group to write to instead of creating one.
     * @default undefined (a log group of the task's own)
     */
    logGroupName?: pulumi.Input<string>;
    /**
     * Keep the log group when the stack is destroyed.
     * @default true
     */
    protectData?: boolean;
    /**
     * Named policies of the task role, the container's own identity: `<name>-task-<key>` each.
     * @default {} (the role may do nothing)
     */
    taskRolePolicies?: Record<string, pulumi.Input<PolicyDocument>>;
    /**
     * What the task role is for, shown in IAM.
     * @default "The identity of the <container> container's tasks"
     */
    taskRoleDescription?: string;
    /**
     * An existing task role to use instead of creating one (the component then attaches nothing to it).
     * @default undefined (a role of the task's own, trusted by ECS tasks of this account only)
     */
    taskRole?: ExistingRole;
    /**
     * An existing execution role (pull the image, write the logs, read the secrets) to use instead of creating one.
     * @default undefined (a role of the task's own with AWS's ECS task execution policy and read access to exactly the container's secrets)
     */
    executionRole?: ExistingRole;
    /**
     * Customer-managed KMS key of the container's secrets (the execution role may decrypt with it).
     * @default undefined (AWS-managed key)
     */
    secretsKmsKeyArn?: string;
    /**
     * Allow ECS Exec: the task role may open the SSM channels, and the root filesystem is writable
     * (ECS Exec does not support a read-only one).
     * @default false
     */
    enableExecuteCommand?: boolean;
}

/** What a task definition refuses, before AWS would. */
function problems(args: TaskDefinitionArgs, cpu: number, memory: number, compatibilities: string[]): string[] {
    const c = args.container;
    const found: string[] = [];
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(c.name)) found.push(`container.name ${JSON.stringify(c.name)} must be 1-255 letters, digits, hyphens or underscores`);
    if (compatibilities.includes("FARGATE")) {
        const size = fargateSizeProblem(cpu, memory);
        if (size !== undefined) found.push(size);
    }
    if (c.port !== undefined && (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535)) found.push(`container.port ${c.port} must be 1-65535`);
    const h = c.healthCheck;
    if (h !== undefined) {
        const bounds: [keyof HealthCheck, number, number][] = [["interval", 5, 300], ["timeout", 2, 60], ["retries", 1, 10], ["startPeriod", 0, 300]];
        for (const [key, min, max] of bounds) {
            const v = h[key] as number;
            if (!Number.isInteger(v) || v < min || v > max) found.push(`container.healthCheck.${key} ${v} must be ${min}-${max} (ECS API reference, HealthCheck)`);
        }
        if (h.command.length === 0) found.push("container.healthCheck.command is empty");
    }
    const stop = c.stopTimeout ?? 30;
    if (!Number.isInteger(stop) || stop < 2 || stop > 120) found.push(`container.stopTimeout ${stop} must be 2-120 seconds`);
    for (const p of c.writablePaths ?? []) {
        if (!/^\/[A-Za-z0-9._/-]+$/.test(p)) found.push(`container.writablePaths: ${JSON.stringify(p)} is not an absolute path`);
    }
    for (const name of [...Object.keys(c.environment ?? {}), ...Object.keys(c.secrets ?? {})]) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) found.push(`container environment or secret name ${JSON.stringify(name)} must be letters, digits and _ (not starting with a digit)`);
    }
    for (const [name, arn] of Object.entries(c.secrets ?? {})) {
        if (!secretArnPattern.test(arn)) found.push(`container secret ${name}: ${JSON.stringify(arn)} must be ${secretArnText.allowed}`);
    }
    if (args.family !== undefined && !/^[A-Za-z0-9_-]{1,255}$/.test(args.family)) found.push(`family ${JSON.stringify(args.family)} must be 1-255 letters, digits, _ and -`);
    if (args.executionRole === undefined) {
        const size = JSON.stringify(secretsReadPolicy(Object.values(c.secrets ?? {}), args.secretsKmsKeyArn) ?? {}).length;
        if (size > roleInlinePoliciesMaxSize) found.push(`the execution role's policy that reads the container's secrets would have ${size} characters; IAM takes ${roleInlinePoliciesMaxSize} in a role's inline policies`);
    }
    const retention = args.logRetentionDays ?? 30;
    if (!logRetentionValues.includes(retention)) found.push(`logRetentionDays ${retention} is not one of CloudWatch's values (${logRetentionValues.join(", ")})`);
    if (args.taskRole !== undefined && Object.keys(args.taskRolePolicies ?? {}).length + (args.enableExecuteCommand ? 1 : 0) > 0) {
        found.push("taskRolePolicies and enableExecuteCommand grant permissions on the task role this component creates: with an existing taskRole, attach them to it yourself");
    }
    return found;
}

/** The task's volumes and the container's mount points: one per writable path. */
export function writableMounts(paths: string[]): { sourceVolume: string; containerPath: string; readOnly: boolean }[] {
    return paths.map((containerPath) => ({ sourceVolume: containerPath.slice(1).replace(/\//g, "-"), containerPath, readOnly: false }));
}

/**
 * An ECS task definition of one container (Fargate by default) with its log group, its execution
 * role (ECS pulls the image, writes the logs and reads the container's secrets) and its task role
 * (the container's own identity: the named policies it is given, nothing else), each created here
 * unless the caller hands over an existing one.
 */
export class TaskDefinition extends pulumi.ComponentResource {
    /** The task definition (its ARN names the revision). */
    public readonly taskDefinition: aws.ecs.TaskDefinition;
    /** The task role, when this component created it. */
    public readonly taskRole?: aws.iam.Role;
    /** The execution role, when this component created it. */
    public readonly executionRole?: aws.iam.Role;
    /** The log group, when this component created it. */
    public readonly logGroup?: aws.cloudwatch.LogGroup;
    /** Task definition ARN (with revision). */
    public readonly arn: pulumi.Output<string>;
    /** The task role's ARN. */
    public readonly taskRoleArn: pulumi.Output<string>;
    /** Name of the container. */
    public readonly containerName: string;
    /** Port of the container, if it has one. */
    public readonly containerPort?: number;
    /** Name of the log group the container writes to. */
    public readonly logGroupName: pulumi.Output<string>;
    /** awslogs stream prefix: a task's log stream is `<prefix>/<container>/<task id>`. */
    public readonly logStreamPrefix: string;

    constructor(name: string, args: TaskDefinitionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:task:TaskDefinition", name, {}, { ...opts, aliases: [{ type: "flask-fargate:task:AppTaskDefinition" }, ...(opts?.aliases ?? [])] });
        const c = args.container;
        const cpu = args.cpu ?? 256;
        const memory = args.memory ?? 512;
        const compatibilities = args.compatibilities ?? ["FARGATE"];
        const found = problems(args, cpu, memory, compatibilities);
        if (found.length > 0) {
            throw new pulumi.ResourceError(`TaskDefinition ${name}: ${found.join("; ")}`, this);
        }
        const enableExecuteCommand = args.enableExecuteCommand ?? false;
        this.containerName = c.name;
        this.containerPort = c.port;
        this.logStreamPrefix = c.name;

        this.logGroup =
            args.logGroupName === undefined
                ? new aws.cloudwatch.LogGroup(
                      `${name}-logs`,
                      { namePrefix: logGroupPrefix(stackScope(pulumi.getProject(), pulumi.getStack())), retentionInDays: args.logRetentionDays ?? 30 },
                      { parent: this, retainOnDelete: args.protectData ?? true },
                  )
                : undefined;
        const logGroupName = this.logGroup?.name ?? pulumi.output(args.logGroupName!);

        // Execution role: used by ECS itself to pull the image, write logs and fetch secrets.
        const secrets = c.secrets ?? {};
        const grants: pulumi.Resource[] = [];
        if (args.executionRole === undefined) {
            const executionRole = new aws.iam.Role(
                `${name}-execution`,
                {
                    description: `ECS pulls the ${c.name} image, writes its logs and reads its declared secrets`,
                    assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ecs-tasks.amazonaws.com")),
                },
                { parent: this },
            );
            grants.push(new aws.iam.RolePolicyAttachment(`${name}-execution-managed`, { role: executionRole.name, policyArn: taskExecutionManagedPolicyArn }, { parent: this }));
            const secretsPolicy = secretsReadPolicy(Object.values(secrets), args.secretsKmsKeyArn);
            if (secretsPolicy) {
                grants.push(new aws.iam.RolePolicy(`${name}-execution-secrets`, { role: executionRole.name, policy: JSON.stringify(secretsPolicy) }, { parent: this }));
            }
            this.executionRole = executionRole;
        }

        // Task role: the container's own identity, which reaches AWS with no credentials configured.
        if (args.taskRole === undefined) {
            const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
            const taskRole = new aws.iam.Role(
                `${name}-task`,
                {
                    description: args.taskRoleDescription ?? `The identity of the ${c.name} container's tasks`,
                    assumeRolePolicy: account.apply((id) => JSON.stringify(serviceTrustPolicy("ecs-tasks.amazonaws.com", id))),
                },
                { parent: this },
            );
            const policies: Record<string, pulumi.Input<PolicyDocument>> = { ...args.taskRolePolicies, ...(enableExecuteCommand ? { exec: executeCommandPolicy() } : {}) };
            for (const [key, policy] of Object.entries(policies)) {
                new aws.iam.RolePolicy(`${name}-task-${key}`, { role: taskRole.name, policy: pulumi.output(policy).apply((doc) => JSON.stringify(doc)) }, { parent: this });
            }
            this.taskRole = taskRole;
        }

        const mounts = writableMounts(c.writablePaths ?? []);
        const region = args.region ?? aws.getRegionOutput({}, { parent: this }).region;
        const environment = c.environment ?? {};
        const container: aws.ecs.ContainerDefinition = {
            name: c.name,
            image: c.image,
            essential: true,
            user: c.user,
            command: c.command,
            // AWS documents ECS Exec as unsupported with a read-only root filesystem (its SSM agent
            // writes under /var/lib/amazon and /var/log/amazon): with exec on, it is writable.
            readonlyRootFilesystem: !enableExecuteCommand,
            portMappings: c.port === undefined ? undefined : [{ containerPort: c.port, hostPort: c.port, protocol: "tcp" }],
            environment: Object.keys(environment)
                .sort()
                .map((key) => ({ name: key, value: environment[key] })),
            secrets: Object.keys(secrets)
                .sort()
                .map((key) => ({ name: key, valueFrom: secrets[key] })),
            mountPoints: mounts,
            healthCheck: c.healthCheck,
            stopTimeout: c.stopTimeout ?? 30,
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": logGroupName, "awslogs-region": region, "awslogs-stream-prefix": this.logStreamPrefix },
            },
        };

        const executionRoleArn = this.executionRole?.arn ?? pulumi.output(args.executionRole!.arn);
        this.taskRoleArn = this.taskRole?.arn ?? pulumi.output(args.taskRole!.arn);
        this.taskDefinition = new aws.ecs.TaskDefinition(
            `${name}-taskdef`,
            {
                family: args.family ?? taskFamily(stackScope(pulumi.getProject(), pulumi.getStack()), name),
                requiresCompatibilities: compatibilities,
                networkMode: "awsvpc",
                cpu: String(cpu),
                memory: String(memory),
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: args.architecture ?? "X86_64" },
                executionRoleArn,
                taskRoleArn: this.taskRoleArn,
                volumes: mounts.map((m) => ({ name: m.sourceVolume })),
                containerDefinitions: pulumi.jsonStringify(pulumi.output([container])),
            },
            // ECS must be able to pull the image and read the secrets before the first task starts.
            { parent: this, dependsOn: grants },
        );

        this.arn = this.taskDefinition.arn;
        this.logGroupName = logGroupName;
        this.registerOutputs({ arn: this.arn, logGroupName: this.logGroupName });
    }
}
