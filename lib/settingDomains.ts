/**
 * What each setting accepts on its own, as data: the config layer (lib/config.ts) validates every
 * value against it, and the settings matrix (tests/matrix.ts) generates each boundary from it. Rules
 * that join several settings (counts, the Fargate size, what applies to which choice) stay in
 * lib/config.ts. Every bound names where it comes from: an AWS API's published constraint (botocore's
 * service model), a documented quota, or the app.
 */
import type { ConfigKeyName, SettingValue } from "./configSchema";
import { amiIdPattern } from "./ami";
import { fargateSizes } from "./fargate";
import { secretArnMaxLength, secretArnPattern, secretArnText } from "./secretArns";
import { logRetentionValues } from "./logs";

export { logRetentionValues, secretArnPattern, secretArnText };
import { maxTasksPerService, maxWafRateLimit } from "./scaling";
import { wafMinRateLimit } from "./waf";

/** A whole number within [min, max]. */
export interface IntegerRange {
    kind: "integer";
    min: number;
    max: number;
    /** Appended to the range in messages (" seconds", " (percent)"). */
    unit?: string;
}

/** One of a list of whole numbers. */
export interface IntegerChoice {
    kind: "integerOf";
    values: readonly number[];
}

/** true or false. */
export interface Flag {
    kind: "boolean";
}

/** One of a list of strings. */
export interface Choice {
    kind: "oneOf";
    values: readonly string[];
}

/** A string of at most maxLength characters matching pattern; empty when optional. */
export interface Text {
    kind: "string";
    pattern: RegExp;
    maxLength: number;
    /** What a valid value looks like, for messages. */
    allowed: string;
    /** Empty means "not set". */
    optional: boolean;
    /** The longest valid value, for the matrix (maxLength characters). */
    longest: string;
}

/** A list of strings, each matching item. */
export interface List {
    kind: "list";
    minItems: number;
    maxItems: number;
    item: Omit<Text, "kind" | "optional" | "longest">;
    /** The largest valid list, for the matrix: maxItems items of maxLength characters where that is valid. */
    largest: string[];
}

/** What one setting accepts. */
export type Domain = IntegerRange | IntegerChoice | Flag | Choice | Text | List;

/**
 * Settings a value of this key needs beside it to be used at all (a Spot weight needs the Spot
 * capacity, a subnet list needs vpcId): the matrix sets them with each value it tries.
 */
export type Context = Partial<Record<ConfigKeyName, SettingValue>>;

const int = (min: number, max: number, unit?: string): IntegerRange => ({ kind: "integer", min, max, unit });
const flag: Flag = { kind: "boolean" };
const oneOf = (...values: string[]): Choice => ({ kind: "oneOf", values });

/** `n` characters: `prefix`, then `fill` repeated, then `suffix`. */
function padded(prefix: string, n: number, suffix = "", fill = "a"): string {
    return prefix + fill.repeat(n - prefix.length - suffix.length) + suffix;
}


/** An SSM parameter ARN of exactly `n` characters. */
const longParameterArn = (n: number, i = 0) => padded(`arn:aws:ssm:us-east-1:123456789012:parameter/p${i}-`, n);

/**
 * A container image reference; at most 255 characters ("Up to 255 letters (uppercase and
 * lowercase), numbers, hyphens, underscores, colons, periods, forward slashes, and number signs
 * are allowed": ECS API reference, ContainerDefinition image).
 */
const imageUri = /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
const hostname = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const emailPattern = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const httpsUrlPattern = /^https:\/\/[^\s/]+(\/\S*)?$/;
const subnetPattern = /^subnet-[0-9a-f]{8,17}$/;

/**
 * Most characters of an ACM certificate's domain name: "the length of the domain name (technically,
 * the Common Name) that you provide cannot exceed 64 octets (characters), including periods" (ACM
 * API reference, RequestCertificate DomainName).
 */
export const acmDomainNameLimit = 64;


/** Distinct x86 instance types of the sizes lib/ec2.ts knows, each holding the largest default task. */
const x86InstanceTypes = ["m5", "m6i", "m7i", "c5", "c6i", "c7i", "r5", "r6i", "r7i", "m5a"].flatMap((family) => [`${family}.large`, `${family}.xlarge`]);

/** An optional AMI id. */
const amiText = (allowed: string): Text => ({ kind: "string", pattern: amiIdPattern, maxLength: 21, allowed, optional: true, longest: "ami-0123456789abcdef0" });

/** Every setting's domain. */
export const settingDomains: Record<ConfigKeyName, Domain> = {
    cpu: { kind: "integerOf", values: [...fargateSizes.keys()] },
    memory: { kind: "integerOf", values: [...new Set([...fargateSizes.values()].flat())].sort((a, b) => a - b) },
    architecture: oneOf("X86_64", "ARM64"),
    containerPort: int(1024, 65535, " (the container runs as a non-root user, which cannot bind lower ports)"),
    desiredCount: int(0, maxTasksPerService, " tasks (ECS's tasks-per-service quota)"),
    minCount: int(0, maxTasksPerService, " tasks (ECS's tasks-per-service quota)"),
    maxCount: int(0, maxTasksPerService, " tasks (ECS's tasks-per-service quota)"),
    capacity: oneOf("fargate", "fargate-spot", "ec2"),
    // CapacityProviderStrategyItem: base 0-100000, weight 0-1000 (ECS API reference).
    onDemandBase: int(0, 100000),
    onDemandWeight: int(0, 1000),
    spotWeight: int(0, 1000),
    ec2InstanceTypes: {
        kind: "list",
        minItems: 1,
        // LaunchTemplateOverrides: at most 40 (Amazon EC2 Auto Scaling API reference, MixedInstancesPolicy).
        maxItems: 20,
        item: { pattern: /^([tmcr])(\d+)([a-z]*)\.([0-9]*x?large|medium|small|micro|nano)$/, maxLength: 30, allowed: "t, m, c or r instance types such as t3.medium, m7i.large or m7g.large" },
        largest: x86InstanceTypes,
    },
    ec2MinSize: int(0, 1000),
    ec2MaxSize: int(1, 1000),
    ec2TargetCapacity: int(1, 100, " (percent)"),
    ec2InstanceAmi: amiText("an ECS-optimized Amazon Linux 2023 AMI id such as ami-0123456789abcdef0"),
    // CloudWatch's values, but none under the policy pack's logs-retention minimum of 7 days: a
    // value the program accepts must not be one its own guardrails then refuse at preview.
    logRetentionDays: { kind: "integerOf", values: logRetentionValues.filter((days) => days === 0 || days >= 7) },
    image: {
        kind: "string",
        pattern: imageUri,
        maxLength: 255,
        allowed: "an image reference of at most 255 characters such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:<digest>",
        optional: true,
        longest: padded("123456789012.dkr.ecr.us-east-1.amazonaws.com/", 255, `@sha256:${"0".repeat(64)}`),
    },
    buildOnPreview: flag,
    // PutLifecyclePolicy countNumber: at least 1.
    keepImages: int(1, 1000),
    environment: {
        kind: "list",
        minItems: 0,
        // A task definition holds at most 64 KiB (ECS API reference, RegisterTaskDefinition): the
        // program's own container definition takes about 4 KiB, so the extra variables get 40 KiB.
        maxItems: 40,
        item: { pattern: /^[A-Za-z_][A-Za-z0-9_]*=/s, maxLength: 1024, allowed: "NAME=value with NAME made of letters, digits and _ (not starting with a digit)" },
        largest: Array.from({ length: 40 }, (_, i) => padded(`VAR_${i}=`, 1024, "", "v")),
    },
    secrets: {
        kind: "list",
        minItems: 0,
        maxItems: 40,
        item: { pattern: /^[A-Za-z_][A-Za-z0-9_]*=/, maxLength: 100 + secretArnMaxLength, allowed: "NAME=<secret ARN>" },
        largest: Array.from({ length: 40 }, (_, i) => `S_${i}=${longParameterArn(secretArnMaxLength, i)}`),
    },
    apiKeysSecretArn: { kind: "string", ...secretArnText, optional: true, longest: longParameterArn(secretArnMaxLength) },
    publicRead: flag,
    secretsKmsKeyArn: {
        kind: "string",
        pattern: /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]{1,128}$/,
        maxLength: 2048,
        allowed: "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)",
        optional: true,
        longest: "arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef",
    },
    protectData: flag,
    healthCheckPath: {
        kind: "string",
        pattern: /^\/[A-Za-z0-9._~/-]*$/,
        // CreateTargetGroup HealthCheckPath: 1 to 1024 characters (botocore elbv2 Path).
        maxLength: 1024,
        allowed: "a URL path of at most 1024 characters starting with / (letters, digits, . _ ~ - /)",
        optional: false,
        longest: padded("/", 1024),
    },
    availabilityZones: int(2, 6),
    natGateways: oneOf("one-per-az", "single", "instance", "none"),
    natInstanceAmi: amiText("an Amazon Linux 2023 arm64 AMI id such as ami-0123456789abcdef0"),
    vpcEndpoints: flag,
    vpcId: { kind: "string", pattern: /^vpc-[0-9a-f]{8,17}$/, maxLength: 21, allowed: "a VPC id such as vpc-0123456789abcdef0", optional: true, longest: "vpc-0123456789abcdef0" },
    // AwsVpcConfiguration subnets: at most 16 (ECS API reference).
    publicSubnetIds: { kind: "list", minItems: 0, maxItems: 16, item: { pattern: subnetPattern, maxLength: 24, allowed: "a subnet id such as subnet-0123456789abcdef0" }, largest: Array.from({ length: 16 }, (_, i) => `subnet-0a${String(i).padStart(15, "0")}`) },
    privateSubnetIds: { kind: "list", minItems: 0, maxItems: 16, item: { pattern: subnetPattern, maxLength: 24, allowed: "a subnet id such as subnet-0123456789abcdef0" }, largest: Array.from({ length: 16 }, (_, i) => `subnet-0b${String(i).padStart(15, "0")}`) },
    ingressCidrs: {
        kind: "list",
        minItems: 1,
        // "Inbound or outbound rules per security group": 60 for IPv4 and 60 for IPv6 (Amazon VPC
        // quotas); each CIDR takes one rule per listener port (lib/config.ts checks the product).
        maxItems: 60,
        item: { pattern: /^[0-9a-fA-F:.]+\/\d{1,3}$/, maxLength: 43, allowed: "a CIDR block such as 0.0.0.0/0, 203.0.113.0/24 or 2001:db8::/32" },
        largest: Array.from({ length: 30 }, (_, i) => `10.${i}.0.0/16`).concat(Array.from({ length: 30 }, (_, i) => `2001:db8:${i.toString(16)}::/48`)),
    },
    // ModifyLoadBalancerAttributes idle_timeout.timeout_seconds: 1-4000.
    idleTimeout: int(1, 4000, " seconds"),
    accessLogsBucket: {
        kind: "string",
        pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        maxLength: 63,
        allowed: "an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)",
        optional: true,
        longest: padded("logs-", 63),
    },
    domainName: {
        kind: "string",
        pattern: hostname,
        maxLength: acmDomainNameLimit,
        allowed: `a lowercase DNS name of at most ${acmDomainNameLimit} characters (an ACM certificate's limit) such as app.example.com`,
        optional: true,
        longest: padded("", acmDomainNameLimit, ".example.com"),
    },
    hostedZoneId: { kind: "string", pattern: /^Z[A-Z0-9]{1,31}$/, maxLength: 32, allowed: "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ", optional: true, longest: padded("Z", 32, "", "A") },
    // Target group health checks (ELB API reference, CreateTargetGroup): interval 5-300 s, above the
    // program's 5 s timeout; healthy threshold 2-10; deregistration delay 0-3600 s.
    healthCheckInterval: int(6, 300, " seconds (the check's 5 s timeout must be shorter)"),
    healthyThreshold: int(2, 10),
    deregistrationDelay: int(0, 3600, " seconds"),
    deploymentMinHealthyPercent: int(0, 100, " (percent)"),
    deploymentMaxPercent: int(100, 200, " (percent)"),
    applyDesiredCount: flag,
    enableExecuteCommand: flag,
    deploymentStrategy: oneOf("rolling", "blue-green"),
    // DeploymentConfiguration bakeTimeInMinutes: 0-1440 (ECS API reference); not 0, which the
    // policy pack's service-deployment-safety refuses: blue would go as traffic moves, leaving an
    // alarm nothing to roll back to.
    bakeTimeMinutes: int(1, 1440, " minutes (at least 1: blue must outlive the shift for an alarm to roll back to it)"),
    alarmEmails: {
        kind: "list",
        minItems: 0,
        maxItems: 100,
        item: { pattern: emailPattern, maxLength: 254, allowed: "an email address such as ops@example.com" },
        largest: Array.from({ length: 100 }, (_, i) => padded(`ops${i}@`, 254, ".example.com")),
    },
    alarmHttpsEndpoints: {
        kind: "list",
        minItems: 0,
        maxItems: 100,
        item: { pattern: httpsUrlPattern, maxLength: 2048, allowed: "an https:// URL (SNS refuses plain http for this protocol)" },
        largest: Array.from({ length: 100 }, (_, i) => padded(`https://hooks${i}.example.com/`, 2048)),
    },
    alarmErrorRatePercent: int(1, 100, " (percent)"),
    alarmMinRequests: int(0, 100000, " requests per minute"),
    alarmLatencyMs: int(10, 600000, " milliseconds"),
    alarmUtilizationPercent: int(1, 100, " (percent)"),
    alarmEvaluationMinutes: int(1, 30, " minutes"),
    accessLogs: flag,
    waf: flag,
    // At least WAF's lowest limit; at most what one client can send without passing one task's
    // request-count scaling target (lib/config.ts says why in its message).
    wafRateLimit: int(wafMinRateLimit, maxWafRateLimit),
};

/** The settings a value of each key needs beside it to apply (see Context). */
export const settingContexts: Partial<Record<ConfigKeyName, Context>> = {
    // Each count at both ends of its range, the other two where that end is valid.
    desiredCount: { minCount: 0, maxCount: 5000 },
    minCount: { desiredCount: 5000, maxCount: 5000 },
    maxCount: { minCount: 0, desiredCount: 0 },
    onDemandBase: { capacity: "fargate-spot" },
    onDemandWeight: { capacity: "fargate-spot" },
    spotWeight: { capacity: "fargate-spot" },
    ec2InstanceTypes: { capacity: "ec2" },
    ec2MinSize: { capacity: "ec2" },
    ec2MaxSize: { capacity: "ec2" },
    ec2TargetCapacity: { capacity: "ec2" },
    ec2InstanceAmi: { capacity: "ec2" },
    natInstanceAmi: { natGateways: "instance" },
    secretsKmsKeyArn: { secrets: ["DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"] },
    vpcId: { publicSubnetIds: ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"], privateSubnetIds: ["subnet-0b0b0b0b0b0b0b0b1", "subnet-0b0b0b0b0b0b0b0b2"] },
    publicSubnetIds: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0b0b0b0b0b0b0b0b1", "subnet-0b0b0b0b0b0b0b0b2"] },
    privateSubnetIds: { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"] },
    accessLogsBucket: { accessLogs: true },
    domainName: { hostedZoneId: "Z0123456789ABCDEFGHIJ" },
    hostedZoneId: { domainName: "app.example.com" },
    bakeTimeMinutes: { deploymentStrategy: "blue-green" },
    wafRateLimit: { waf: true },
};
