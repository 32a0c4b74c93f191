/**
 * The program's typed configuration: the pure parser that validates every key (applying Pulumi.yaml's
 * defaults, as the CLI does, to keys a caller leaves out), and `loadConfig()` which reads the
 * running stack's config.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isIPv4, isIPv6 } from "net";
import { ConfigKeyName, configSchema, projectName, SettingValue } from "./configSchema";
import { AlarmThresholds } from "./alarms";
import { secretOutsideRegion } from "./endpoints";
import { instanceTypePattern, isGraviton, taskDoesNotFit } from "./ec2";
import { validateFargateSize } from "./fargate";
import { maxWafRateLimit, requestTargetPerTask, wafRateWindowMinutes } from "./scaling";
import { secretLookingName, secretLookingValue } from "./secretNames";
import { maxUploadBytes, WafConfig, wafMinRateLimit } from "./waf";

export { cliConfig, configSchema, projectName, stackConfig } from "./configSchema";

/** CPU architectures a Fargate task can run on. */
export type Architecture = "X86_64" | "ARM64";

/** Capacity a service can run on. */
export type Capacity = "fargate" | "fargate-spot" | "ec2";

/** The capacity choice with its settings. */
export type CapacityConfig =
    | { kind: "fargate" }
    | { kind: "fargate-spot"; onDemandBase: number; onDemandWeight: number; spotWeight: number }
    | { kind: "ec2"; instanceTypes: string[]; minSize: number; maxSize: number; targetCapacity: number };

/** NAT of a new VPC: gateways (one per zone, or one), a NAT instance, or none. */
export type NatGateways = "one-per-az" | "single" | "instance" | "none";

/** Where the app runs: a new VPC, or subnets of an existing one. */
export type NetworkConfig =
    | { vpcId?: undefined; availabilityZones: number; natGateways: NatGateways; vpcEndpoints: boolean }
    | { vpcId: string; publicSubnetIds: string[]; privateSubnetIds: string[] };

/** HTTPS on a domain of a Route 53 hosted zone. */
export interface DomainConfig {
    /** The name the app is served on. */
    domainName: string;
    /** Its Route 53 hosted zone. */
    hostedZoneId: string;
}

/** How a new task definition reaches production. */
export type DeploymentConfig = { strategy: "rolling" } | { strategy: "blue-green"; bakeTimeMinutes: number };

/** Who hears the alarms. */
export interface NotificationsConfig {
    /** Email addresses subscribed to the alarm topic. */
    emails: string[];
    /** HTTPS endpoints subscribed to the alarm topic. */
    httpsEndpoints: string[];
}

/** The validated configuration of one stack, with every default applied. */
export interface StackConfig {
    /** AWS region of the stack (aws:region). */
    region: string;
    /** Task CPU units. */
    cpu: number;
    /** Task memory, MiB. */
    memory: number;
    /** Task and image CPU architecture. */
    architecture: Architecture;
    /** Port the app listens on in the container. */
    containerPort: number;
    /** Tasks the service starts with. */
    desiredCount: number;
    /** Autoscaling floor. */
    minCount: number;
    /** Autoscaling ceiling. */
    maxCount: number;
    /** Capacity the service runs on. */
    capacity: CapacityConfig;
    /** Log group retention in days (0 = never expire). */
    logRetentionDays: number;
    /** Existing image to run; undefined means build app/. */
    image?: string;
    /** Build the image during previews. */
    buildOnPreview: boolean;
    /** Tagged images the ECR lifecycle policy keeps. */
    keepImages: number;
    /** Extra plain environment variables. */
    environment: Record<string, string>;
    /** Environment variables from Secrets Manager / SSM: name -> ARN (API_KEY_SHA256 among them, from apiKeysSecretArn). */
    secrets: Record<string, string>;
    /** The secret of the API keys' hashes; undefined means none (the files API answers 503). */
    apiKeysSecretArn?: string;
    /** Anyone may list and download without a key. */
    publicRead: boolean;
    /** KMS key of the secrets, if customer-managed. */
    secretsKmsKeyArn?: string;
    /** Protect and retain stateful resources; deletion protection on the load balancer. */
    protectData: boolean;
    /** Health endpoint path. */
    healthCheckPath: string;
    /** The network. */
    network: NetworkConfig;
    /** CIDR blocks allowed to reach the listeners. */
    ingressCidrs: string[];
    /** Load balancer idle timeout, seconds. */
    idleTimeout: number;
    /** Write the load balancer's access logs to S3. */
    accessLogs: boolean;
    /** Existing bucket for the access logs; undefined means the stack creates one (when accessLogs is on). */
    accessLogsBucket?: string;
    /** HTTPS domain, if any. */
    domain?: DomainConfig;
    /** Target group health check interval, seconds. */
    healthCheckInterval: number;
    /** Passed checks before a task receives traffic. */
    healthyThreshold: number;
    /** Connection draining, seconds. */
    deregistrationDelay: number;
    /** Rollout floor, percent of desiredCount. */
    deploymentMinHealthyPercent: number;
    /** Rollout ceiling, percent of desiredCount. */
    deploymentMaxPercent: number;
    /** Apply desiredCount over autoscaling's count on this update. */
    applyDesiredCount: boolean;
    /** ECS Exec on. */
    enableExecuteCommand: boolean;
    /** Rolling or blue/green deployments. */
    deployment: DeploymentConfig;
    /** Alarm thresholds. */
    alarms: AlarmThresholds;
    /** Alarm subscribers. */
    notifications: NotificationsConfig;
    /** The WAF web ACL in front of the load balancer; undefined when off. */
    waf?: WafConfig;
}

/** Retention values CloudWatch Logs accepts (0 = never expire). */
export const logRetentionValues = [
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Environment variables the program sets itself; config may not override them. */
export const reservedEnvironment = ["PORT", "BUCKET_NAME", "AWS_REGION", "APP_STACK", "APP_VERSION", "HEALTH_PATH", "TASK_CPU", "TASK_MEMORY_MIB", "KEEPALIVE_SECONDS", "API_KEY_SHA256", "PUBLIC_READ"];

/** The container secret that carries the API keys' hashes (app/auth.py KEYS_VARIABLE). */
export const apiKeysVariable = "API_KEY_SHA256";

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const secretArn = /^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:.+|ssm:[a-z0-9-]+:\d{12}:parameter\/.+)$/;
const kmsKeyArn = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const imageUri = /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
const hostname = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Most characters of an ACM certificate's domain name (its Common Name). */
export const acmDomainNameLimit = 64;

/** A config error: names the key, the bad value and what is allowed. */
function invalid(key: string, value: unknown, allowed: string): Error {
    return new Error(`${projectName}:${key} is ${JSON.stringify(value)}; ${allowed}`);
}

/** True for an IPv4 or IPv6 CIDR block. */
export function isCidr(value: string): boolean {
    const [address, prefix, ...rest] = value.split("/");
    const bits = isIPv4(address) ? 32 : isIPv6(address) ? 128 : 0;
    return rest.length === 0 && bits > 0 && /^\d{1,3}$/.test(prefix ?? "") && Number(prefix) <= bits;
}

/** Reads a stack's raw values (strings from the CLI, typed values from a YAML file) as their declared types. */
class Reader {
    constructor(private readonly raw: Record<string, unknown>) {
        for (const key of Object.keys(raw)) {
            if (!(key in configSchema)) {
                throw new Error(`${projectName}:${key} is not a setting of this program; known settings: ${Object.keys(configSchema).join(", ")}`);
            }
        }
    }

    /** The stack's value, or Pulumi.yaml's default where the caller left the key out (the CLI never does). */
    value(key: ConfigKeyName): unknown {
        const raw = this.raw[key];
        return raw === undefined || raw === null ? configSchema[key].default : raw;
    }

    /**
     * Whether the stack's value differs from Pulumi.yaml's default. The CLI hands the program every
     * declared key, defaults merged in, so "set by the user" can only mean "not the default": a
     * setting that applies to another choice is refused only when it was changed.
     */
    changed(key: ConfigKeyName): boolean {
        return JSON.stringify(this.typed(key)) !== JSON.stringify(configSchema[key].default);
    }

    /** The value read as its declared type. */
    typed(key: ConfigKeyName): SettingValue {
        return { integer: () => this.int(key), boolean: () => this.bool(key), array: () => this.list(key), string: () => this.str(key) }[configSchema[key].type]();
    }

    int(key: ConfigKeyName): number {
        const raw = this.value(key);
        const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
        if (typeof n !== "number" || !Number.isInteger(n)) {
            throw invalid(key, raw, "it must be a whole number");
        }
        return n;
    }

    /** A whole number within [min, max]. */
    intWithin(key: ConfigKeyName, min: number, max: number, unit = ""): number {
        const n = this.int(key);
        if (n < min || n > max) {
            throw invalid(key, n, `allowed: ${min} to ${max}${unit}`);
        }
        return n;
    }

    bool(key: ConfigKeyName): boolean {
        const raw = this.value(key);
        if (raw === true || raw === "true") return true;
        if (raw === false || raw === "false") return false;
        throw invalid(key, raw, "it must be true or false");
    }

    str(key: ConfigKeyName): string {
        const raw = this.value(key);
        if (typeof raw !== "string") {
            throw invalid(key, raw, "it must be a string");
        }
        return raw.trim();
    }

    /** A string that matches `pattern`. */
    matching(key: ConfigKeyName, pattern: RegExp, allowed: string): string {
        const s = this.str(key);
        if (!pattern.test(s)) {
            throw invalid(key, s, allowed);
        }
        return s;
    }

    /** A string that matches `pattern`, or undefined when empty. */
    optional(key: ConfigKeyName, pattern: RegExp, allowed: string): string | undefined {
        return this.str(key) === "" ? undefined : this.matching(key, pattern, allowed);
    }

    oneOf<T extends string>(key: ConfigKeyName, allowed: readonly T[]): T {
        const s = this.str(key);
        if (!(allowed as readonly string[]).includes(s)) {
            throw invalid(key, s, `allowed: ${allowed.join(", ")}`);
        }
        return s as T;
    }

    list(key: ConfigKeyName): string[] {
        const raw = this.value(key);
        let list = raw;
        if (typeof raw === "string") {
            try {
                list = JSON.parse(raw);
            } catch {
                throw invalid(key, raw, "it must be a list of strings");
            }
        }
        if (!Array.isArray(list) || list.some((item) => typeof item !== "string")) {
            throw invalid(key, raw, "it must be a list of strings");
        }
        return list;
    }

    /** NAME=value entries as a map, checking names, duplicates and reserved names. */
    pairs(key: ConfigKeyName): Record<string, string> {
        const result: Record<string, string> = {};
        for (const entry of this.list(key)) {
            const eq = entry.indexOf("=");
            const name = eq > 0 ? entry.slice(0, eq) : "";
            if (!envName.test(name)) {
                throw invalid(key, entry, "each entry must be NAME=value with NAME made of letters, digits and _ (not starting with a digit)");
            }
            if (name in result) {
                throw invalid(key, entry, `${name} is set twice`);
            }
            if (reservedEnvironment.includes(name)) {
                throw invalid(key, entry, `${name} is set by the program itself; reserved: ${reservedEnvironment.join(", ")}`);
            }
            result[name] = entry.slice(eq + 1);
        }
        return result;
    }
}

/** Task counts: non-negative, min <= desired <= max. */
function counts(read: Reader): Pick<StackConfig, "desiredCount" | "minCount" | "maxCount"> {
    const [desiredCount, minCount, maxCount] = (["desiredCount", "minCount", "maxCount"] as const).map((key) => {
        const n = read.int(key);
        if (n < 0) {
            throw invalid(key, n, "it must be a whole number of tasks, 0 or more");
        }
        return n;
    });
    if (minCount > maxCount) {
        throw invalid("minCount", minCount, `it must not exceed ${projectName}:maxCount (${maxCount})`);
    }
    if (desiredCount < minCount || desiredCount > maxCount) {
        throw invalid("desiredCount", desiredCount, `it must lie between ${projectName}:minCount (${minCount}) and ${projectName}:maxCount (${maxCount})`);
    }
    return { desiredCount, minCount, maxCount };
}

/** Settings that apply only to one capacity choice. */
const capacityKeys: Record<Capacity, ConfigKeyName[]> = {
    fargate: [],
    "fargate-spot": ["onDemandBase", "onDemandWeight", "spotWeight"],
    ec2: ["ec2InstanceTypes", "ec2MinSize", "ec2MaxSize", "ec2TargetCapacity"],
};

/** The capacity choice and its settings; an EC2 instance type must hold the task and match its architecture. */
function capacity(read: Reader, task: { cpu: number; memory: number; architecture: Architecture }): CapacityConfig {
    const kind = read.oneOf("capacity", ["fargate", "fargate-spot", "ec2"] as const);
    for (const [other, keys] of Object.entries(capacityKeys)) {
        const stray = other === kind ? undefined : keys.find((key) => read.changed(key));
        if (stray !== undefined) {
            throw invalid(stray, read.typed(stray), `it applies only when ${projectName}:capacity is ${other} (it is ${kind}); remove it from the stack`);
        }
    }
    if (kind === "fargate-spot") {
        const onDemandBase = read.intWithin("onDemandBase", 0, 100000);
        const onDemandWeight = read.intWithin("onDemandWeight", 0, 1000);
        const spotWeight = read.intWithin("spotWeight", 0, 1000);
        if (onDemandWeight + spotWeight === 0) {
            throw invalid("spotWeight", spotWeight, `${projectName}:onDemandWeight and ${projectName}:spotWeight are both 0; at least one must be above 0`);
        }
        return { kind, onDemandBase, onDemandWeight, spotWeight };
    }
    if (kind === "ec2") {
        const instanceTypes = read.list("ec2InstanceTypes");
        if (instanceTypes.length === 0) {
            throw invalid("ec2InstanceTypes", instanceTypes, "give at least one instance type");
        }
        for (const type of instanceTypes) {
            if (!instanceTypePattern.test(type)) {
                throw invalid("ec2InstanceTypes", type, "give t, m, c or r instance types such as t3.medium, m7i.large or m7g.large");
            }
            if (isGraviton(type) !== (task.architecture === "ARM64")) {
                throw invalid("ec2InstanceTypes", type, `${projectName}:architecture is ${task.architecture}: use ${task.architecture === "ARM64" ? "Graviton types (t4g, m7g, c7g, r7g ...)" : "x86 types (t3, m7i, c7i, r7i ...)"}`);
            }
            const misfit = taskDoesNotFit(type, task.cpu, task.memory);
            if (misfit !== undefined) {
                throw invalid("ec2InstanceTypes", type, `${misfit}: choose a larger type or a smaller ${projectName}:cpu / ${projectName}:memory`);
            }
        }
        const minSize = read.intWithin("ec2MinSize", 0, 1000);
        const maxSize = read.intWithin("ec2MaxSize", 1, 1000);
        if (minSize > maxSize) {
            throw invalid("ec2MinSize", minSize, `it must not exceed ${projectName}:ec2MaxSize (${maxSize})`);
        }
        return { kind, instanceTypes, minSize, maxSize, targetCapacity: read.intWithin("ec2TargetCapacity", 1, 100, " (percent)") };
    }
    return { kind };
}

/** Log retention: one of CloudWatch's values. */
function retention(read: Reader): number {
    const days = read.int("logRetentionDays");
    if (!logRetentionValues.includes(days)) {
        throw invalid("logRetentionDays", days, `allowed: ${logRetentionValues.join(", ")}`);
    }
    return days;
}

/** Plain environment and secrets: no credential-looking plain names, secrets by ARN, no overlap. */
function environmentAndSecrets(read: Reader): Pick<StackConfig, "environment" | "secrets" | "secretsKmsKeyArn" | "apiKeysSecretArn" | "publicRead"> {
    const environment = read.pairs("environment");
    const credential = Object.keys(environment).find((name) => secretLookingName.test(name));
    if (credential !== undefined) {
        throw invalid("environment", credential, `it looks like a credential: put it in ${projectName}:secrets as NAME=<Secrets Manager or SSM parameter ARN>`);
    }
    for (const [name, value] of Object.entries(environment)) {
        const why = secretLookingValue(value);
        if (why !== undefined) {
            throw invalid("environment", name, `its value looks like ${why}: put it in ${projectName}:secrets as NAME=<Secrets Manager or SSM parameter ARN>`);
        }
    }
    const secrets = read.pairs("secrets");
    for (const [name, arn] of Object.entries(secrets)) {
        if (!secretArn.test(arn)) {
            throw invalid("secrets", `${name}=${arn}`, "each value must be a Secrets Manager secret ARN or an SSM parameter ARN");
        }
        if (name in environment) {
            throw invalid("secrets", name, `it is also set in ${projectName}:environment`);
        }
    }
    const secretsKmsKeyArn = read.optional("secretsKmsKeyArn", kmsKeyArn, "it must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or empty");
    // The API keys are one more container secret: the execution role reads it, endpoints and the
    // region check see it, exactly as they do the `secrets` setting's.
    const apiKeysSecretArn = read.optional("apiKeysSecretArn", secretArn, "it must be a Secrets Manager secret ARN or an SSM parameter ARN, or empty");
    if (apiKeysSecretArn !== undefined) {
        secrets[apiKeysVariable] = apiKeysSecretArn;
    }
    return { environment, secrets, secretsKmsKeyArn, apiKeysSecretArn, publicRead: read.bool("publicRead") };
}

/** A new VPC, or validated subnets of an existing one. */
function network(read: Reader): NetworkConfig {
    const vpcId = read.optional("vpcId", /^vpc-[0-9a-f]{8,17}$/, "it must be a VPC id such as vpc-0123456789abcdef0, or empty");
    const subnetKeys = ["publicSubnetIds", "privateSubnetIds"] as const;
    if (vpcId === undefined) {
        for (const key of subnetKeys) {
            if (read.list(key).length > 0) {
                throw invalid(key, read.list(key), `subnets are used only with ${projectName}:vpcId; set it too, or remove this to create a VPC`);
            }
        }
        const natGateways = read.oneOf("natGateways", ["one-per-az", "single", "instance", "none"] as const);
        const vpcEndpoints = read.bool("vpcEndpoints");
        if (natGateways === "none" && !vpcEndpoints) {
            throw invalid("natGateways", natGateways, `tasks in private subnets need NAT or VPC endpoints to pull images and write logs: set ${projectName}:vpcEndpoints to true, or use instance, single or one-per-az`);
        }
        return { availabilityZones: read.intWithin("availabilityZones", 2, 6), natGateways, vpcEndpoints };
    }
    for (const key of ["natGateways", "vpcEndpoints", "availabilityZones"] as const) {
        if (read.changed(key)) {
            throw invalid(key, read.typed(key), `it applies only to a VPC this program creates; with ${projectName}:vpcId, the existing VPC's routes and endpoints are used as they are`);
        }
    }
    const [publicSubnetIds, privateSubnetIds] = subnetKeys.map((key) => {
        const ids = read.list(key);
        const bad = ids.find((id) => !/^subnet-[0-9a-f]{8,17}$/.test(id));
        if (bad !== undefined) {
            throw invalid(key, bad, "each entry must be a subnet id such as subnet-0123456789abcdef0");
        }
        if (new Set(ids).size < 2) {
            throw invalid(key, ids, `with ${projectName}:vpcId, give at least two different subnets (in two availability zones)`);
        }
        return ids;
    });
    const shared = publicSubnetIds.find((id) => privateSubnetIds.includes(id));
    if (shared !== undefined) {
        throw invalid("privateSubnetIds", shared, "a subnet cannot be both public (load balancer) and private (tasks)");
    }
    return { vpcId, publicSubnetIds, privateSubnetIds };
}

/** The load balancer's reach: ingress CIDRs, idle timeout, access logs and the HTTPS domain. */
function loadBalancer(read: Reader): Pick<StackConfig, "ingressCidrs" | "idleTimeout" | "accessLogs" | "accessLogsBucket" | "domain"> {
    const ingressCidrs = read.list("ingressCidrs");
    if (ingressCidrs.length === 0 || ingressCidrs.some((cidr) => !isCidr(cidr))) {
        throw invalid("ingressCidrs", ingressCidrs, "give one or more CIDR blocks such as 0.0.0.0/0, 203.0.113.0/24 or 2001:db8::/32");
    }
    const accessLogs = read.bool("accessLogs");
    const accessLogsBucket = read.optional("accessLogsBucket", /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "it must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens), or empty");
    if (!accessLogs && accessLogsBucket !== undefined) {
        throw invalid("accessLogsBucket", accessLogsBucket, `it applies only when ${projectName}:accessLogs is true; set that too, or remove it`);
    }
    const domainName = read.optional("domainName", hostname, "it must be a lowercase DNS name such as app.example.com, or empty");
    const hostedZoneId = read.optional("hostedZoneId", /^Z[A-Z0-9]{1,31}$/, "it must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, or empty");
    // ACM RequestCertificate: "the length of the domain name (technically, the Common Name) that you
    // provide cannot exceed 64 octets (characters), including periods" (RFC 5280; ACM API reference).
    if (domainName !== undefined && domainName.length > acmDomainNameLimit) {
        throw invalid("domainName", domainName, `it has ${domainName.length} characters; an ACM certificate's domain name has at most ${acmDomainNameLimit}`);
    }
    if (domainName !== undefined && hostedZoneId === undefined) {
        throw invalid("domainName", domainName, `HTTPS needs the domain's Route 53 zone: set ${projectName}:hostedZoneId too`);
    }
    if (domainName === undefined && hostedZoneId !== undefined) {
        throw invalid("hostedZoneId", hostedZoneId, `it is used only with ${projectName}:domainName; set both, or neither`);
    }
    return {
        ingressCidrs,
        idleTimeout: read.intWithin("idleTimeout", 1, 4000, " seconds"),
        accessLogs,
        accessLogsBucket,
        domain: domainName && hostedZoneId ? { domainName, hostedZoneId } : undefined,
    };
}

/** Health checks and rollout bounds. */
function rollout(read: Reader): Pick<StackConfig, "healthCheckInterval" | "healthyThreshold" | "deregistrationDelay" | "deploymentMinHealthyPercent" | "deploymentMaxPercent"> {
    const deploymentMinHealthyPercent = read.intWithin("deploymentMinHealthyPercent", 0, 100, " (percent)");
    const deploymentMaxPercent = read.intWithin("deploymentMaxPercent", 100, 200, " (percent)");
    if (deploymentMaxPercent <= deploymentMinHealthyPercent) {
        throw invalid("deploymentMaxPercent", deploymentMaxPercent, `it must exceed ${projectName}:deploymentMinHealthyPercent (${deploymentMinHealthyPercent}), or a rollout can neither start nor stop a task`);
    }
    return {
        healthCheckInterval: read.intWithin("healthCheckInterval", 6, 300, " seconds (the check's 5 s timeout must be shorter)"),
        healthyThreshold: read.intWithin("healthyThreshold", 2, 10),
        deregistrationDelay: read.intWithin("deregistrationDelay", 0, 3600, " seconds"),
        deploymentMinHealthyPercent,
        deploymentMaxPercent,
    };
}

/** The deployment strategy; the bake time applies only to blue-green. */
function deployment(read: Reader): DeploymentConfig {
    const strategy = read.oneOf("deploymentStrategy", ["rolling", "blue-green"] as const);
    if (strategy === "rolling") {
        if (read.changed("bakeTimeMinutes")) {
            throw invalid("bakeTimeMinutes", read.typed("bakeTimeMinutes"), `it applies only when ${projectName}:deploymentStrategy is blue-green (it is rolling); remove it from the stack`);
        }
        return { strategy };
    }
    return { strategy, bakeTimeMinutes: read.intWithin("bakeTimeMinutes", 0, 1440, " minutes") };
}

/** Alarm thresholds and evaluation time. */
function alarms(read: Reader): AlarmThresholds {
    return {
        errorRatePercent: read.intWithin("alarmErrorRatePercent", 1, 100, " (percent)"),
        minRequests: read.intWithin("alarmMinRequests", 0, 100000, " requests per minute"),
        latencyMs: read.intWithin("alarmLatencyMs", 10, 600000, " milliseconds"),
        utilizationPercent: read.intWithin("alarmUtilizationPercent", 1, 100, " (percent)"),
        evaluationMinutes: read.intWithin("alarmEvaluationMinutes", 1, 30, " minutes"),
    };
}

/** Alarm subscribers: email addresses and HTTPS URLs. */
function notifications(read: Reader): NotificationsConfig {
    const emails = read.list("alarmEmails");
    const badEmail = emails.find((e) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e));
    if (badEmail !== undefined) {
        throw invalid("alarmEmails", badEmail, "each entry must be an email address such as ops@example.com");
    }
    const httpsEndpoints = read.list("alarmHttpsEndpoints");
    const badUrl = httpsEndpoints.find((u) => !/^https:\/\/[^\s/]+(\/\S*)?$/.test(u));
    if (badUrl !== undefined) {
        throw invalid("alarmHttpsEndpoints", badUrl, "each entry must be an https:// URL (SNS refuses plain http for this protocol)");
    }
    return { emails, httpsEndpoints };
}

/**
 * The WAF web ACL, or undefined when off. The rate limit is at most maxWafRateLimit: one client's
 * requests per minute then never exceed one task's request-count target (lib/scaling.ts).
 */
function waf(read: Reader, environment: Record<string, string>): WafConfig | undefined {
    if (!read.bool("waf")) {
        if (read.changed("wafRateLimit")) {
            throw invalid("wafRateLimit", read.typed("wafRateLimit"), `it applies only when ${projectName}:waf is true; set that too, or remove it`);
        }
        return undefined;
    }
    const rateLimit = read.int("wafRateLimit");
    if (rateLimit < wafMinRateLimit || rateLimit > maxWafRateLimit) {
        throw invalid(
            "wafRateLimit",
            rateLimit,
            `allowed: ${wafMinRateLimit} (WAF's lowest) to ${maxWafRateLimit} requests per ${wafRateWindowMinutes} minutes: above that one client alone could pass the request-count scaling target of ${requestTargetPerTask} per task per minute and buy tasks`,
        );
    }
    const maxUpload = maxUploadBytes(environment);
    if (maxUpload === undefined) {
        throw invalid("environment", `MAX_UPLOAD_BYTES=${environment.MAX_UPLOAD_BYTES}`, "MAX_UPLOAD_BYTES must be a whole number of bytes above 0 (1 to 15 digits), as the app reads it");
    }
    return { rateLimit, maxUploadBytes: maxUpload };
}

/** A stack's settings, validated: everything of StackConfig but the region. */
export type Settings = Omit<StackConfig, "region">;

/**
 * Validates a stack's raw settings (keys without the project namespace, as strings from the CLI or
 * typed values from a YAML file); a key left out takes Pulumi.yaml's default. Throws one Error
 * naming the first bad key, its value and what is allowed.
 */
export function parseSettings(raw: Record<string, unknown>): Settings {
    const read = new Reader(raw);
    const cpu = read.int("cpu");
    const memory = read.int("memory");
    validateFargateSize(cpu, memory);
    const architecture = read.oneOf("architecture", ["X86_64", "ARM64"] as const);
    const environmentAndSecretSettings = environmentAndSecrets(read);
    return {
        cpu,
        memory,
        architecture,
        containerPort: read.intWithin("containerPort", 1024, 65535, " (the container runs as a non-root user, which cannot bind lower ports)"),
        ...counts(read),
        capacity: capacity(read, { cpu, memory, architecture }),
        logRetentionDays: retention(read),
        image: read.optional("image", imageUri, "it must be an image reference such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:<digest>, or empty"),
        buildOnPreview: read.bool("buildOnPreview"),
        keepImages: read.intWithin("keepImages", 1, 1000),
        ...environmentAndSecretSettings,
        protectData: read.bool("protectData"),
        healthCheckPath: read.matching("healthCheckPath", /^\/[A-Za-z0-9._~/-]*$/, "it must be a URL path starting with / (letters, digits, . _ ~ - /)"),
        network: network(read),
        ...loadBalancer(read),
        ...rollout(read),
        applyDesiredCount: read.bool("applyDesiredCount"),
        enableExecuteCommand: read.bool("enableExecuteCommand"),
        deployment: deployment(read),
        alarms: alarms(read),
        notifications: notifications(read),
        waf: waf(read, environmentAndSecretSettings.environment),
    };
}

/** Every setting at Pulumi.yaml's default: what a component falls back to for an argument its caller leaves out. */
export const defaultSettings: Settings = parseSettings({});

/** The ec2 capacity choice with its settings at Pulumi.yaml's defaults. */
export const defaultEc2Capacity = parseSettings({ capacity: "ec2" }).capacity as Extract<CapacityConfig, { kind: "ec2" }>;

/** The WAF settings at Pulumi.yaml's defaults (waf on). */
export const defaultWaf = parseSettings({ waf: true }).waf as WafConfig;

/** Validates a stack's AWS region and raw settings (see parseSettings). */
export function parseConfig(raw: Record<string, unknown>, region: string | undefined): StackConfig {
    if (region === undefined || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
        throw new Error(`aws:region is ${JSON.stringify(region ?? "")}; set the stack's AWS region, e.g. pulumi config set aws:region us-east-1`);
    }
    const settings = parseSettings(raw);
    // Without NAT the tasks reach AWS only through this region's VPC endpoints (lib/endpoints.ts).
    // With vpcId nothing is checked: the existing VPC's routes and endpoints are not known here.
    const network = settings.network;
    const outside = network.vpcId === undefined && network.natGateways === "none" ? secretOutsideRegion(settings.secrets, region) : undefined;
    if (outside !== undefined) {
        throw invalid("secrets", outside, `with ${projectName}:natGateways none, tasks reach AWS only through VPC endpoints of ${region}: use secrets in ${region}, or NAT gateways`);
    }
    return { region, ...settings };
}

/** The program's own settings in a config map as the CLI gives it (`flask-fargate:*` keys), without the namespace. */
export function ownSettings(config: Record<string, string>): Record<string, string> {
    const prefix = `${projectName}:`;
    return Object.fromEntries(Object.entries(config).filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
}

/** Reads and validates the running stack's config (every `flask-fargate:*` key, Pulumi.yaml's defaults merged by the CLI). */
export function loadConfig(): StackConfig {
    try {
        // The provider reads aws:region, or else AWS_REGION / AWS_DEFAULT_REGION; so does this.
        return parseConfig(ownSettings(pulumi.runtime.allConfig()), aws.config.region);
    } catch (err) {
        // RunError ends `pulumi preview`/`up` with just this message, without a stack trace.
        throw new pulumi.RunError((err as Error).message);
    }
}
