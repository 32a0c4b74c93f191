import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Architecture, defaultSettings } from "../lib/config";
import { bucketAccessPolicy, executeCommandPolicy, secretsReadPolicy, serviceTrustPolicy, taskExecutionManagedPolicyArn } from "../lib/policies";

/** Name of the app's container in the task. */
export const containerName = "app";

/** UID:GID the container runs as; the Dockerfile creates this user. */
export const containerUser = "10001:10001";

/**
 * Seconds ECS waits after SIGTERM before SIGKILL. The app's gunicorn graceful timeout is shorter
 * (app/gunicorn.conf.py), so in-flight requests finish first.
 */
export const stopTimeoutSeconds = 30;

/**
 * The directories the app writes to on its read-only root filesystem, each a task volume. On Fargate
 * an empty bind mount is a root-owned directory, which UID 10001 cannot write; the data plane copies
 * the image's directory (contents, owner and mode) into it only when the Dockerfile declares a
 * `VOLUME` at the same path (Amazon ECS developer guide, "Use bind mounts with Amazon ECS",
 * considerations: "the data in the VOLUME directive path is copied to the data volume"). So
 * app/Dockerfile creates each of these owned by the container's user and declares it a VOLUME, and
 * a test holds the two sets equal. On EC2 the volume is a Docker volume, which Docker fills from
 * the image the same way.
 */
export const writablePaths = ["/tmp"];

/** The task's volumes and the container's mount points: one per writable path. */
export function writableMounts(): { sourceVolume: string; containerPath: string; readOnly: boolean }[] {
    return writablePaths.map((containerPath) => ({
        sourceVolume: containerPath.slice(1).replace(/\//g, "-"),
        containerPath,
        readOnly: false,
    }));
}

/** Container health check timing: the task is healthy once the app answers on its health path. */
export const containerHealthCheck = { interval: 10, timeout: 5, retries: 3, startPeriod: 15 };

export interface AppTaskDefinitionArgs {
    /**
     * AWS region of the stack (awslogs and the app's S3 client use it).
     */
    region: string;
    /**
     * Image reference, pinned to a digest.
     */
    image: pulumi.Input<string>;
    /**
     * Version label of the image, shown by the app.
     * @default "unknown"
     */
    version?: pulumi.Input<string>;
    /**
     * Name of the app's bucket (reaches the app as BUCKET_NAME).
     */
    bucketName: pulumi.Input<string>;
    /**
     * ARN of the app's bucket: the task role may use it, and nothing else.
     */
    bucketArn: pulumi.Input<string>;
    /**
     * Task CPU units.
     * @default Pulumi.yaml's default of the `cpu` setting
     */
    cpu?: number;
    /**
     * Task memory in MiB.
     * @default Pulumi.yaml's default of the `memory` setting
     */
    memory?: number;
    /**
     * CPU architecture of the task.
     * @default Pulumi.yaml's default of the `architecture` setting
     */
    architecture?: Architecture;
    /**
     * Launch types the task definition declares (EC2 too when the cluster has EC2 capacity).
     * @default ["FARGATE"]
     */
    compatibilities?: ("FARGATE" | "EC2")[];
    /**
     * Port the app listens on.
     * @default Pulumi.yaml's default of the `containerPort` setting
     */
    containerPort?: number;
    /**
     * Health endpoint path of the app.
     * @default Pulumi.yaml's default of the `healthCheckPath` setting
     */
    healthCheckPath?: string;
    /**
     * Extra plain environment variables.
     * @default {}
     */
    environment?: Record<string, string>;
    /**
     * Environment variables from Secrets Manager or SSM: name -> ARN.
     * @default Pulumi.yaml's default of the `secrets` setting
     */
    secrets?: Record<string, string>;
    /**
     * Let anyone list and download files without an API key (reaches the app as PUBLIC_READ).
     * @default Pulumi.yaml's default of the `publicRead` setting
     */
    publicRead?: boolean;
    /**
     * Customer-managed KMS key of those secrets.
     * @default undefined (AWS-managed key)
     */
    secretsKmsKeyArn?: string;
    /**
     * Log retention in days (0 = never expire).
     * @default Pulumi.yaml's default of the `logRetentionDays` setting
     */
    logRetentionDays?: number;
    /**
     * Keep the log group when the stack is destroyed.
     * @default Pulumi.yaml's default of the `protectData` setting
     */
    protectData?: boolean;
    /**
     * Seconds gunicorn keeps an idle connection open; longer than the load balancer's idle
     * timeout, so the load balancer always closes first and never sends to a closed connection.
     * @default 75
     */
    keepAliveSeconds?: number;
    /**
     * Allow ECS Exec: the task role may open the SSM channels, and the root filesystem is writable
     * (ECS Exec does not support a read-only one).
     * @default Pulumi.yaml's default of the `enableExecuteCommand` setting
     */
    enableExecuteCommand?: boolean;
}

/**
 * The Fargate task definition of the app, with its execution role (pull the image, write logs,
 * read the declared secrets), its task role (the app's own bucket, nothing more) and its log group.
 */
export class AppTaskDefinition extends pulumi.ComponentResource {
    /** Task definition ARN (with revision). */
    public readonly arn: pulumi.Output<string>;
    /** Name of the app's container. */
    public readonly containerName: string = containerName;
    /** Port the app's container listens on. */
    public readonly containerPort: number;
    /** Name of the log group the container writes to. */
    public readonly logGroupName: pulumi.Output<string>;
    /** awslogs stream prefix: a task's log stream is `<prefix>/<container>/<task id>`. */
    public readonly logStreamPrefix: string = containerName;

    constructor(name: string, args: AppTaskDefinitionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:task:AppTaskDefinition", name, {}, opts);
        const containerPort = args.containerPort ?? defaultSettings.containerPort;
        const cpu = args.cpu ?? defaultSettings.cpu;
        const memory = args.memory ?? defaultSettings.memory;
        const protectData = args.protectData ?? defaultSettings.protectData;
        this.containerPort = containerPort;

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { namePrefix: `/ecs/${pulumi.getProject()}-${pulumi.getStack()}-`, retentionInDays: args.logRetentionDays ?? defaultSettings.logRetentionDays },
            { parent: this, retainOnDelete: protectData },
        );

        // Execution role: used by ECS itself to pull the image, write logs and fetch secrets.
        const executionRole = new aws.iam.Role(
            `${name}-execution`,
            {
                description: "ECS pulls the app image, writes its logs and reads its declared secrets",
                assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ecs-tasks.amazonaws.com")),
            },
            { parent: this },
        );
        const managedGrant = new aws.iam.RolePolicyAttachment(
            `${name}-execution-managed`,
            { role: executionRole.name, policyArn: taskExecutionManagedPolicyArn },
            { parent: this },
        );
        const secrets = args.secrets ?? defaultSettings.secrets;
        const secretsPolicy = secretsReadPolicy(Object.values(secrets), args.secretsKmsKeyArn);
        const secretsGrant =
            secretsPolicy &&
            new aws.iam.RolePolicy(
                `${name}-execution-secrets`,
                { role: executionRole.name, policy: JSON.stringify(secretsPolicy) },
                { parent: this },
            );

        // Task role: the app's own identity, which reaches its bucket with no credentials configured.
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const taskRole = new aws.iam.Role(
            `${name}-task`,
            {
                description: "The app's identity: read and write its own bucket",
                assumeRolePolicy: account.apply((id) => JSON.stringify(serviceTrustPolicy("ecs-tasks.amazonaws.com", id))),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-task-bucket`,
            { role: taskRole.name, policy: pulumi.output(args.bucketArn).apply((arn) => JSON.stringify(bucketAccessPolicy(arn))) },
            { parent: this },
        );
        const enableExecuteCommand = args.enableExecuteCommand ?? defaultSettings.enableExecuteCommand;
        if (enableExecuteCommand) {
            new aws.iam.RolePolicy(
                `${name}-task-exec`,
                { role: taskRole.name, policy: JSON.stringify(executeCommandPolicy()) },
                { parent: this },
            );
        }
        const mounts = writableMounts();

        const region = args.region;
        const environment: Record<string, pulumi.Input<string>> = {
            ...args.environment,
            PORT: String(containerPort),
            HEALTH_PATH: args.healthCheckPath ?? defaultSettings.healthCheckPath,
            BUCKET_NAME: args.bucketName,
            AWS_REGION: region,
            APP_STACK: pulumi.getStack(),
            APP_VERSION: args.version ?? "unknown",
            TASK_CPU: String(cpu),
            // The app derives its workers and what each may hold from the task's size (app/budget.py).
            TASK_MEMORY_MIB: String(memory),
            KEEPALIVE_SECONDS: String(args.keepAliveSeconds ?? 75),
            PUBLIC_READ: String(args.publicRead ?? defaultSettings.publicRead),
        };
        const container: aws.ecs.ContainerDefinition = {
            name: containerName,
            image: args.image,
            essential: true,
            user: containerUser,
            // AWS documents ECS Exec as unsupported with a read-only root filesystem (its SSM agent
            // writes under /var/lib/amazon and /var/log/amazon): with exec on, the root filesystem
            // is writable (README, "ECS Exec").
            readonlyRootFilesystem: !enableExecuteCommand,
            portMappings: [{ containerPort, hostPort: containerPort, protocol: "tcp" }],
            environment: Object.keys(environment)
                .sort()
                .map((key) => ({ name: key, value: environment[key] })),
            secrets: Object.keys(secrets)
                .sort()
                .map((key) => ({ name: key, valueFrom: secrets[key] })),
            mountPoints: mounts,
            healthCheck: { command: ["CMD", "python", "/app/healthcheck.py"], ...containerHealthCheck },
            stopTimeout: stopTimeoutSeconds,
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": logGroup.name, "awslogs-region": region, "awslogs-stream-prefix": this.logStreamPrefix },
            },
        };

        const taskDefinition = new aws.ecs.TaskDefinition(
            `${name}-taskdef`,
            {
                family: `${pulumi.getProject()}-${pulumi.getStack()}-${name}`,
                requiresCompatibilities: args.compatibilities ?? ["FARGATE"],
                networkMode: "awsvpc",
                cpu: String(cpu),
                memory: String(memory),
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: args.architecture ?? defaultSettings.architecture },
                executionRoleArn: executionRole.arn,
                taskRoleArn: taskRole.arn,
                volumes: mounts.map((m) => ({ name: m.sourceVolume })),
                containerDefinitions: pulumi.jsonStringify(pulumi.output([container])),
            },
            // ECS must be able to pull the image and read the secrets before the first task starts.
            { parent: this, dependsOn: secretsGrant ? [managedGrant, secretsGrant] : [managedGrant] },
        );

        this.arn = taskDefinition.arn;
        this.logGroupName = logGroup.name;
        this.registerOutputs({ arn: this.arn, logGroupName: this.logGroupName });
    }
}
