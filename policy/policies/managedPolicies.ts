/**
 * AWS managed policies, by name, as the pack judges them when a role, user or group attaches one.
 * Source: the AWS Managed Policy Reference Guide (docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html),
 * each policy's published document; what each grants is summed up here in a few words.
 *
 * An AWS managed policy is refused unless it is one of `scoped` (or the pack's config
 * `allowedManagedPolicies` names it): AWS adds managed policies every month, and one the pack does
 * not know may grant anything. `broad` says why the usual suspects are refused; names matching
 * `broadName` (every *FullAccess, *Administrator*, *PowerUser*, *ReadWrite*, *ReadOnly*) are
 * broad by their name.
 */

/** Policies that grant a whole service, every resource of one, or more. */
export const broad: Record<string, string> = {
    AdministratorAccess: "every action on every resource",
    PowerUserAccess: "every action but IAM and Organizations on every resource",
    IAMFullAccess: "iam:* on every resource (a way to any permission)",
    SecretsManagerReadWrite: "secretsmanager:* on every secret (and reads of RDS, Redshift and DocumentDB)",
    ReadOnlyAccess: "reads of every service, every bucket's objects and every secret's metadata among them",
    ViewOnlyAccess: "lists and descriptions of every service",
    SecurityAudit: "reads of every service's configuration",
    AmazonS3ReadOnlyAccess: "s3:Get* and s3:List* on every bucket",
    AmazonSSMReadOnlyAccess: "ssm:Get* on every parameter",
    AmazonEC2ContainerRegistryPowerUser: "pushes to every repository",
    AmazonEC2ContainerRegistryReadOnly: "pulls from every repository",
    AmazonEC2RoleforSSM: "ssm:*, ec2messages:* and s3:PutObject/GetObject on every bucket (deprecated)",
    AmazonSSMAutomationRole: "every action automation runbooks take: lambda, ec2 and iam:PassRole on every resource",
    AWSLambdaRole: "lambda:InvokeFunction on every function",
    CloudWatchLogsReadOnlyAccess: "reads of every log group",
    AWSKeyManagementServicePowerUser: "kms:Create*, Put*, Update* ... on every key",
    AmazonDynamoDBReadOnlyAccess: "reads of every table",
};

/** Names that say a policy grants a whole service: *FullAccess, *Administrator*, *PowerUser*, *ReadWrite*, *ReadOnly*. */
export const broadName = /FullAccess|Administrator|AdminAccess|PowerUser|ReadWrite|ReadOnly/i;

/** Policies scoped to what one AWS service's role needs, accepted. */
export const scoped: Record<string, string> = {
    AmazonECSTaskExecutionRolePolicy: "ECS's execution role: pull images (ecr:BatchGetImage ...) and write container logs",
    AmazonEC2ContainerServiceforEC2Role: "an ECS container instance: register with its cluster, poll for tasks, pull images, write logs",
    AmazonSSMManagedInstanceCore: "Session Manager on an instance: the ssm, ssmmessages and ec2messages channel actions (and ssm:GetParameter on *: it reads the account's parameters)",
    AmazonECSInfrastructureRolePolicyForLoadBalancers: "ECS blue/green: switch the service's listener rules and target groups",
    AmazonECSInfrastructureRolePolicyForVolumes: "ECS: create and attach the task's EBS volumes",
    AmazonEC2ContainerServiceAutoscaleRole: "Application Auto Scaling of an ECS service",
    AmazonEC2ContainerServiceEventsRole: "EventBridge running ECS tasks",
    CloudWatchAgentServerPolicy: "the CloudWatch agent: put metrics and logs",
    AWSXRayDaemonWriteAccess: "the X-Ray daemon: put trace segments",
    AWSLambdaBasicExecutionRole: "a Lambda function's own logs",
};

/** The name of an AWS managed policy from its ARN (arn:aws:iam::aws:policy/[path/]Name), or undefined for a customer's policy. */
export function awsManagedName(arn: string): string | undefined {
    return /^arn:aws[\w-]*:iam::aws:policy\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn)?.[1];
}

/** Why attaching this AWS managed policy is refused, or undefined if it is accepted (or not an AWS managed policy). */
export function refusedManagedPolicy(arn: string, allowed: string[] = []): string | undefined {
    const name = awsManagedName(arn);
    if (name === undefined || allowed.includes(name) || allowed.includes(arn)) return undefined;
    if (broad[name] !== undefined) return `it grants ${broad[name]}`;
    if (broadName.test(name)) return "its name says it grants a whole service";
    if (scoped[name] !== undefined) return undefined;
    return "the pack does not know what it grants (AWS managed policies it accepts: policy/policies/managedPolicies.ts; config allowedManagedPolicies)";
}
