/**
 * Every setting the program reads, declared the way Pulumi.yaml declares it: the same keys,
 * types, descriptions and defaults (tests/config.test.ts holds the two equal).
 */

/** The Pulumi project name, which is also the config namespace of every key below. */
export const projectName = "flask-fargate";

/** One key of the project's config, declared the way Pulumi.yaml declares it. */
export interface ConfigKey {
    /** Pulumi.yaml config type. */
    type: "string" | "integer" | "boolean" | "array";
    /** Shown by `pulumi config` and in the README. */
    description: string;
    /** The value used when the stack does not set the key. */
    default: string | number | boolean | string[];
    /** Item type, for arrays. */
    items?: { type: "string" };
}

/** Every key the program reads. Keep in step with Pulumi.yaml (a test compares them). */
export const configSchema = {
    cpu: {
        type: "integer",
        description: "Task CPU units (1024 = 1 vCPU): 256, 512, 1024, 2048, 4096, 8192 or 16384.",
        default: 256,
    },
    memory: {
        type: "integer",
        description: "Task memory in MiB; must be a Fargate size for the chosen cpu.",
        default: 512,
    },
    architecture: {
        type: "string",
        description: "CPU architecture of the task and of the image build: X86_64 or ARM64.",
        default: "X86_64",
    },
    containerPort: {
        type: "integer",
        description: "Port the app listens on inside the container (1024-65535; the container runs as non-root).",
        default: 8000,
    },
    desiredCount: {
        type: "integer",
        description: "Number of tasks the service starts with; between minCount and maxCount.",
        default: 2,
    },
    minCount: {
        type: "integer",
        description: "Fewest tasks autoscaling may run.",
        default: 2,
    },
    maxCount: {
        type: "integer",
        description: "Most tasks autoscaling may run.",
        default: 4,
    },
    capacity: {
        type: "string",
        description: "Capacity the service runs on: fargate (on-demand), fargate-spot (a mix of on-demand and FARGATE_SPOT tasks) or ec2 (instances of an Auto Scaling group).",
        default: "fargate",
    },
    onDemandBase: {
        type: "integer",
        description: "With fargate-spot: tasks that always run on on-demand FARGATE before the weights apply.",
        default: 1,
    },
    onDemandWeight: {
        type: "integer",
        description: "With fargate-spot: share of the further tasks on on-demand FARGATE.",
        default: 1,
    },
    spotWeight: {
        type: "integer",
        description: "With fargate-spot: share of the further tasks on FARGATE_SPOT.",
        default: 3,
    },
    ec2InstanceTypes: {
        type: "array",
        items: { type: "string" },
        description: "With ec2: instance types of the Auto Scaling group (t, m, c or r classes; Graviton ones for ARM64), each big enough for a task.",
        default: ["t3.medium"],
    },
    ec2MinSize: {
        type: "integer",
        description: "With ec2: fewest instances.",
        default: 1,
    },
    ec2MaxSize: {
        type: "integer",
        description: "With ec2: most instances.",
        default: 4,
    },
    ec2TargetCapacity: {
        type: "integer",
        description: "With ec2: how full ECS managed scaling keeps the instances, in percent (1-100; below 100 keeps spare room for fast scale-out).",
        default: 100,
    },
    logRetentionDays: {
        type: "integer",
        description: "CloudWatch Logs retention of the app's log group, in days (one of CloudWatch's allowed values; 0 = never expire).",
        default: 30,
    },
    image: {
        type: "string",
        description: "An existing image URI to run instead of building app/ (empty: build app/ and push it to a new ECR repository).",
        default: "",
    },
    buildOnPreview: {
        type: "boolean",
        description: "Build the image during pulumi preview too (catches a broken build before up); previews never push it.",
        default: true,
    },
    keepImages: {
        type: "integer",
        description: "How many tagged images the ECR lifecycle policy keeps (untagged ones expire after a day).",
        default: 10,
    },
    environment: {
        type: "array",
        items: { type: "string" },
        description: "Extra plain environment variables for the container, each NAME=value.",
        default: [],
    },
    secrets: {
        type: "array",
        items: { type: "string" },
        description: "Environment variables read from Secrets Manager or SSM Parameter Store at task start, each NAME=arn.",
        default: [],
    },
    secretsKmsKeyArn: {
        type: "string",
        description: "ARN of the customer-managed KMS key that encrypts those secrets (empty: AWS-managed key).",
        default: "",
    },
    protectData: {
        type: "boolean",
        description: "Protect and retain stateful resources (bucket, image repository, log group) on delete; false lets pulumi destroy remove them with their contents.",
        default: true,
    },
    healthCheckPath: {
        type: "string",
        description: "HTTP path of the app's health endpoint, used by the container and load balancer health checks.",
        default: "/healthz",
    },
    availabilityZones: {
        type: "integer",
        description: "Availability zones of a new VPC (2-6), each with a public and a private subnet.",
        default: 2,
    },
    natGateways: {
        type: "string",
        description: "NAT gateways of a new VPC: one-per-az (survives a zone failure), single (cheaper) or none (needs vpcEndpoints).",
        default: "one-per-az",
    },
    vpcEndpoints: {
        type: "boolean",
        description: "Give a new VPC endpoints for ECR, CloudWatch Logs and S3, so tasks reach them without NAT.",
        default: false,
    },
    vpcId: {
        type: "string",
        description: "An existing VPC to use instead of creating one (empty: create a VPC); needs publicSubnetIds and privateSubnetIds.",
        default: "",
    },
    publicSubnetIds: {
        type: "array",
        items: { type: "string" },
        description: "With vpcId: at least two public subnets, in different zones, for the load balancer.",
        default: [],
    },
    privateSubnetIds: {
        type: "array",
        items: { type: "string" },
        description: "With vpcId: at least two private subnets for the tasks, with a route to NAT or to endpoints for ECR, Logs and S3.",
        default: [],
    },
    ingressCidrs: {
        type: "array",
        items: { type: "string" },
        description: "CIDR blocks (IPv4 or IPv6) allowed to reach the load balancer's listeners.",
        default: ["0.0.0.0/0"],
    },
    idleTimeout: {
        type: "integer",
        description: "Load balancer idle timeout in seconds (1-4000).",
        default: 60,
    },
    accessLogsBucket: {
        type: "string",
        description: "An existing S3 bucket, writable by Elastic Load Balancing, for the load balancer's access logs (empty: no access logs).",
        default: "",
    },
    domainName: {
        type: "string",
        description: "Domain name to serve over HTTPS with a DNS-validated ACM certificate (empty: plain HTTP on the load balancer's name); needs hostedZoneId.",
        default: "",
    },
    hostedZoneId: {
        type: "string",
        description: "Route 53 hosted zone of domainName, for the certificate validation and alias records.",
        default: "",
    },
    healthCheckInterval: {
        type: "integer",
        description: "Seconds between the load balancer's health checks of a task (6-300).",
        default: 10,
    },
    healthyThreshold: {
        type: "integer",
        description: "Consecutive passed health checks before a new task receives traffic (2-10).",
        default: 2,
    },
    deregistrationDelay: {
        type: "integer",
        description: "Seconds a stopping task keeps serving its in-flight requests after it leaves the load balancer (0-3600).",
        default: 30,
    },
    deploymentMinHealthyPercent: {
        type: "integer",
        description: "Share of desiredCount that must stay healthy during a rollout (0-100).",
        default: 100,
    },
    deploymentMaxPercent: {
        type: "integer",
        description: "Most tasks during a rollout, as a share of desiredCount (100-200, above deploymentMinHealthyPercent).",
        default: 200,
    },
    applyDesiredCount: {
        type: "boolean",
        description: "Set the running task count to desiredCount on this update; normally false, so a pulumi up never undoes autoscaling.",
        default: false,
    },
    enableExecuteCommand: {
        type: "boolean",
        description: "Allow ECS Exec (aws ecs execute-command) into the app's containers.",
        default: false,
    },
} satisfies Record<string, ConfigKey>;

/** A key of the project's config. */
export type ConfigKeyName = keyof typeof configSchema;
