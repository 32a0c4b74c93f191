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
import { flaskReservedEnvironment } from "./flaskApp";
import type { Architecture, Capacity, CapacityConfig, DeploymentConfig, DomainConfig, NatGateways, NetworkConfig, NotificationsConfig } from "./types";
import { secretOutsideRegion } from "./endpoints";
import { isGraviton, taskDoesNotFit } from "./ec2";
import { roleInlinePoliciesMaxSize, secretsReadPolicy } from "./policies";
import { stuckRolloutCount } from "./rollout";
import { validateFargateSize } from "./fargate";
import { maxWafRateLimit, requestTargetPerTask, wafRateWindowMinutes } from "./scaling";
import { secretLookingName, secretLookingValue } from "./secretNames";
import { greaterThanPattern, maxUploadBytes, WafConfig, wafMinRateLimit, wafRegexMaxLength } from "./waf";
import { Domain, secretArnPattern, secretArnText, settingDomains } from "./settingDomains";
import { stackNameProblem } from "./stackNames";

export { cliConfig, configSchema, projectName, stackConfig } from "./configSchema";
export { acmDomainNameLimit, logRetentionValues } from "./settingDomains";
export type { Architecture, Capacity, CapacityConfig, DeploymentConfig, DomainConfig, NatGateways, NetworkConfig, NotificationsConfig } from "./types";

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

/** Environment variables the program sets itself (the Flask preset's); config may not override them. */
export const reservedEnvironment = flaskReservedEnvironment;

/** The container secret that carries the API keys' hashes (app/auth.py KEYS_VARIABLE). */
export const apiKeysVariable = "API_KEY_SHA256";

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

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

    /** The key's domain (lib/settingDomains.ts), which must be of the kind the caller reads. */
    private domain<K extends Domain["kind"]>(key: ConfigKeyName, kind: K): Extract<Domain, { kind: K }> {
        const domain = settingDomains[key];
        if (domain.kind !== kind) {
            throw new Error(`${projectName}:${key} is declared ${domain.kind}, read as ${kind}`);
        }
        return domain as Extract<Domain, { kind: K }>;
    }

    /** A whole number within the key's range. */
    intWithin(key: ConfigKeyName): number {
        const { min, max, unit } = this.domain(key, "integer");
        const n = this.int(key);
        if (n < min || n > max) {
            throw invalid(key, n, `allowed: ${min} to ${max}${unit ?? ""}`);
        }
        return n;
    }

    /** A whole number among the key's values. */
    intOf(key: ConfigKeyName): number {
        const { values } = this.domain(key, "integerOf");
        const n = this.int(key);
        if (!values.includes(n)) {
            throw invalid(key, n, `allowed: ${values.join(", ")}`);
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

    /** A string of the key's domain (its pattern, at most its length); undefined when empty and optional. */
    text(key: ConfigKeyName): string | undefined {
        const { pattern, maxLength, allowed, optional } = this.domain(key, "string");
        const s = this.str(key);
        if (s === "" && optional) {
            return undefined;
        }
        if (s.length > maxLength || !pattern.test(s)) {
            throw invalid(key, s.length > 200 ? `${s.slice(0, 200)}...` : s, `it must be ${allowed}${optional ? ", or empty" : ""}${s.length > maxLength ? ` (it has ${s.length} characters)` : ""}`);
        }
        return s;
    }

    /** A string the key's domain requires (not optional). */
    required(key: ConfigKeyName): string {
        const s = this.text(key);
        if (s === undefined) {
            throw invalid(key, "", "it must not be empty");
        }
        return s;
    }

    oneOf<T extends string>(key: ConfigKeyName): T {
        const { values } = this.domain(key, "oneOf");
        const s = this.str(key);
        if (!values.includes(s)) {
            throw invalid(key, s, `allowed: ${values.join(", ")}`);
        }
        return s as T;
    }

    /** A list of the key's domain: its number of items, each item's length and pattern. */
    list(key: ConfigKeyName): string[] {
        const { minItems, maxItems, item } = this.domain(key, "list");
        const list = this.strings(key);
        if (list.length < minItems || list.length > maxItems) {
            throw invalid(key, list.length > 5 ? `${list.length} entries` : list, `give ${minItems === 0 ? "at most" : `${minItems} to`} ${maxItems} entries, each ${item.allowed}`);
        }
        const bad = list.find((entry) => entry.length > item.maxLength || !item.pattern.test(entry));
        if (bad !== undefined) {
            throw invalid(key, bad.length > 200 ? `${bad.slice(0, 200)}...` : bad, `each entry must be ${item.allowed}, of at most ${item.maxLength} characters`);
        }
        return list;
    }

    /** The value as a list of strings. */
    private strings(key: ConfigKeyName): string[] {
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

/** Task counts: within ECS's quota, min <= desired <= max. */
function counts(read: Reader): Pick<StackConfig, "desiredCount" | "minCount" | "maxCount"> {
    const [desiredCount, minCount, maxCount] = (["desiredCount", "minCount", "maxCount"] as const).map((key) => read.intWithin(key));
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
    ec2: ["ec2InstanceTypes", "ec2MinSize", "ec2MaxSize", "ec2TargetCapacity", "ec2InstanceAmi"],
};

/** The capacity choice and its settings; an EC2 instance type must hold the task and match its architecture. */
function capacity(read: Reader, task: { cpu: number; memory: number; architecture: Architecture }): CapacityConfig {
    const kind = read.oneOf<Capacity>("capacity");
    for (const [other, keys] of Object.entries(capacityKeys)) {
        const stray = other === kind ? undefined : keys.find((key) => read.changed(key));
        if (stray !== undefined) {
            throw invalid(stray, read.typed(stray), `it applies only when ${projectName}:capacity is ${other} (it is ${kind}); remove it from the stack`);
        }
    }
    if (kind === "fargate-spot") {
        const onDemandBase = read.intWithin("onDemandBase");
        const onDemandWeight = read.intWithin("onDemandWeight");
        const spotWeight = read.intWithin("spotWeight");
        if (onDemandWeight + spotWeight === 0) {
            throw invalid("spotWeight", spotWeight, `${projectName}:onDemandWeight and ${projectName}:spotWeight are both 0; at least one must be above 0`);
        }
        return { kind, onDemandBase, onDemandWeight, spotWeight };
    }
    if (kind === "ec2") {
        const instanceTypes = read.list("ec2InstanceTypes");
        for (const type of instanceTypes) {
            if (isGraviton(type) !== (task.architecture === "ARM64")) {
                throw invalid("ec2InstanceTypes", type, `${projectName}:architecture is ${task.architecture}: use ${task.architecture === "ARM64" ? "Graviton types (t4g, m7g, c7g, r7g ...)" : "x86 types (t3, m7i, c7i, r7i ...)"}`);
            }
            const misfit = taskDoesNotFit(type, task.cpu, task.memory);
            if (misfit !== undefined) {
                throw invalid("ec2InstanceTypes", type, `${misfit}: choose a larger type or a smaller ${projectName}:cpu / ${projectName}:memory`);
            }
        }
        const minSize = read.intWithin("ec2MinSize");
        const maxSize = read.intWithin("ec2MaxSize");
        if (minSize > maxSize) {
            throw invalid("ec2MinSize", minSize, `it must not exceed ${projectName}:ec2MaxSize (${maxSize})`);
        }
        return { kind, instanceTypes, minSize, maxSize, targetCapacity: read.intWithin("ec2TargetCapacity"), ami: read.text("ec2InstanceAmi") };
    }
    return { kind };
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
        if (!secretArnPattern.test(arn)) {
            throw invalid("secrets", `${name}=${arn}`, `each value must be ${secretArnText.allowed}`);
        }
        if (name in environment) {
            throw invalid("secrets", name, `it is also set in ${projectName}:environment`);
        }
    }
    const secretsKmsKeyArn = read.text("secretsKmsKeyArn");
    // The API keys are one more container secret: the execution role reads it, endpoints and the
    // region check see it, exactly as they do the `secrets` setting's.
    const apiKeysSecretArn = read.text("apiKeysSecretArn");
    if (apiKeysSecretArn !== undefined) {
        secrets[apiKeysVariable] = apiKeysSecretArn;
    }
    // IAM: "the total size of all inline policies of a role" is at most 10,240 characters, white
    // space not counted (IAM User Guide, "IAM and AWS STS quotas"); the execution role's only inline
    // policy is the one that reads the secrets.
    const policySize = JSON.stringify(secretsReadPolicy(Object.values(secrets), secretsKmsKeyArn) ?? {}).length;
    if (policySize > roleInlinePoliciesMaxSize) {
        throw invalid("secrets", `${Object.keys(secrets).length} entries`, `the execution role's policy that reads them would have ${policySize} characters, and IAM takes at most ${roleInlinePoliciesMaxSize} in a role's inline policies: use fewer or shorter ARNs (one secret can hold several values as JSON, each read as arn:...:secret:<name>-AbCdEf:<json key>::)`);
    }
    return { environment, secrets, secretsKmsKeyArn, apiKeysSecretArn, publicRead: read.bool("publicRead") };
}

/** A new VPC, or validated subnets of an existing one. */
function network(read: Reader): NetworkConfig {
    const vpcId = read.text("vpcId");
    const subnetKeys = ["publicSubnetIds", "privateSubnetIds"] as const;
    if (vpcId === undefined) {
        for (const key of subnetKeys) {
            if (read.list(key).length > 0) {
                throw invalid(key, read.list(key), `subnets are used only with ${projectName}:vpcId; set it too, or remove this to create a VPC`);
            }
        }
        const natGateways = read.oneOf<NatGateways>("natGateways");
        const vpcEndpoints = read.bool("vpcEndpoints");
        if (natGateways === "none" && !vpcEndpoints) {
            throw invalid("natGateways", natGateways, `tasks in private subnets need NAT or VPC endpoints to pull images and write logs: set ${projectName}:vpcEndpoints to true, or use instance, single or one-per-az`);
        }
        const natInstanceAmi = read.text("natInstanceAmi");
        if (natInstanceAmi !== undefined && natGateways !== "instance") {
            throw invalid("natInstanceAmi", natInstanceAmi, `it applies only when ${projectName}:natGateways is instance (it is ${natGateways}); remove it from the stack`);
        }
        return { availabilityZones: read.intWithin("availabilityZones"), natGateways, vpcEndpoints, natInstanceAmi };
    }
    for (const key of ["natGateways", "vpcEndpoints", "availabilityZones", "natInstanceAmi"] as const) {
        if (read.changed(key)) {
            throw invalid(key, read.typed(key), `it applies only to a VPC this program creates; with ${projectName}:vpcId, the existing VPC's routes and endpoints are used as they are`);
        }
    }
    const [publicSubnetIds, privateSubnetIds] = subnetKeys.map((key) => {
        const ids = read.list(key);
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
    const notCidr = ingressCidrs.find((cidr) => !isCidr(cidr));
    if (notCidr !== undefined) {
        throw invalid("ingressCidrs", notCidr, "each entry must be a CIDR block such as 0.0.0.0/0, 203.0.113.0/24 or 2001:db8::/32");
    }
    const accessLogs = read.bool("accessLogs");
    const accessLogsBucket = read.text("accessLogsBucket");
    if (!accessLogs && accessLogsBucket !== undefined) {
        throw invalid("accessLogsBucket", accessLogsBucket, `it applies only when ${projectName}:accessLogs is true; set that too, or remove it`);
    }
    const domainName = read.text("domainName");
    const hostedZoneId = read.text("hostedZoneId");
    if (domainName !== undefined && hostedZoneId === undefined) {
        throw invalid("domainName", domainName, `HTTPS needs the domain's Route 53 zone: set ${projectName}:hostedZoneId too`);
    }
    if (domainName === undefined && hostedZoneId !== undefined) {
        throw invalid("hostedZoneId", hostedZoneId, `it is used only with ${projectName}:domainName; set both, or neither`);
    }
    return {
        ingressCidrs,
        idleTimeout: read.intWithin("idleTimeout"),
        accessLogs,
        accessLogsBucket,
        domain: domainName && hostedZoneId ? { domainName, hostedZoneId } : undefined,
    };
}

/** Health checks and rollout bounds. */
function rollout(read: Reader): Pick<StackConfig, "healthCheckInterval" | "healthyThreshold" | "deregistrationDelay" | "deploymentMinHealthyPercent" | "deploymentMaxPercent"> {
    const deploymentMinHealthyPercent = read.intWithin("deploymentMinHealthyPercent");
    const deploymentMaxPercent = read.intWithin("deploymentMaxPercent");
    if (deploymentMaxPercent <= deploymentMinHealthyPercent) {
        throw invalid("deploymentMaxPercent", deploymentMaxPercent, `it must exceed ${projectName}:deploymentMinHealthyPercent (${deploymentMinHealthyPercent}), or a rollout can neither start nor stop a task`);
    }
    return {
        healthCheckInterval: read.intWithin("healthCheckInterval"),
        healthyThreshold: read.intWithin("healthyThreshold"),
        deregistrationDelay: read.intWithin("deregistrationDelay"),
        deploymentMinHealthyPercent,
        deploymentMaxPercent,
    };
}

/**
 * A rolling deployment must be able to start or stop a task at every count autoscaling may reach:
 * ECS rounds the maximum down and the minimum up, so with few tasks two close percentages leave it
 * stuck (e.g. 2 tasks, 100 % and 140 %: at most 2 running, at least 2 healthy).
 */
function checkRolloutMoves(taskCounts: Pick<StackConfig, "minCount" | "maxCount">, bounds: Pick<StackConfig, "deploymentMinHealthyPercent" | "deploymentMaxPercent">): void {
    const { deploymentMinHealthyPercent: min, deploymentMaxPercent: max } = bounds;
    const stuck = stuckRolloutCount(taskCounts.minCount, taskCounts.maxCount, min, max);
    if (stuck !== undefined) {
        throw invalid(
            "deploymentMaxPercent",
            max,
            `with ${projectName}:deploymentMinHealthyPercent ${min}, a rolling deployment of ${stuck} task${stuck === 1 ? "" : "s"} (autoscaling runs ${taskCounts.minCount} to ${taskCounts.maxCount}) can neither start nor stop a task: ECS runs at most ${stuck} × ${max} % rounded down and keeps ${stuck} × ${min} % rounded up; raise it or lower ${projectName}:deploymentMinHealthyPercent`,
        );
    }
}

/** The deployment strategy; the bake time applies only to blue-green. */
function deployment(read: Reader): DeploymentConfig {
    const strategy = read.oneOf<DeploymentConfig["strategy"]>("deploymentStrategy");
    if (strategy === "rolling") {
        if (read.changed("bakeTimeMinutes")) {
            throw invalid("bakeTimeMinutes", read.typed("bakeTimeMinutes"), `it applies only when ${projectName}:deploymentStrategy is blue-green (it is rolling); remove it from the stack`);
        }
        return { strategy };
    }
    return { strategy, bakeTimeMinutes: read.intWithin("bakeTimeMinutes") };
}

/** Alarm thresholds and evaluation time. */
function alarms(read: Reader): AlarmThresholds {
    return {
        errorRatePercent: read.intWithin("alarmErrorRatePercent"),
        minRequests: read.intWithin("alarmMinRequests"),
        latencyMs: read.intWithin("alarmLatencyMs"),
        utilizationPercent: read.intWithin("alarmUtilizationPercent"),
        evaluationMinutes: read.intWithin("alarmEvaluationMinutes"),
    };
}

/** Alarm subscribers: email addresses and HTTPS URLs. */
function notifications(read: Reader): NotificationsConfig {
    return { emails: read.list("alarmEmails"), httpsEndpoints: read.list("alarmHttpsEndpoints") };
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
    const pattern = greaterThanPattern(maxUpload);
    if (pattern.length > wafRegexMaxLength) {
        throw invalid(
            "environment",
            `MAX_UPLOAD_BYTES=${environment.MAX_UPLOAD_BYTES}`,
            `with ${projectName}:waf, the web ACL's Content-Length rule for it is a ${pattern.length}-character regex, and WAF takes at most ${wafRegexMaxLength}: use a value of at most 10 digits (or a rounder one), or turn waf off`,
        );
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
    const architecture = read.oneOf<Architecture>("architecture");
    const environmentAndSecretSettings = environmentAndSecrets(read);
    const taskCounts = counts(read);
    const rolloutSettings = rollout(read);
    const deploymentSettings = deployment(read);
    if (deploymentSettings.strategy === "rolling") {
        checkRolloutMoves(taskCounts, rolloutSettings);
    }
    return {
        cpu,
        memory,
        architecture,
        containerPort: read.intWithin("containerPort"),
        ...taskCounts,
        capacity: capacity(read, { cpu, memory, architecture }),
        logRetentionDays: read.intOf("logRetentionDays"),
        image: read.text("image"),
        buildOnPreview: read.bool("buildOnPreview"),
        keepImages: read.intWithin("keepImages"),
        ...environmentAndSecretSettings,
        protectData: read.bool("protectData"),
        healthCheckPath: read.required("healthCheckPath"),
        network: network(read),
        ...loadBalancer(read),
        ...rolloutSettings,
        applyDesiredCount: read.bool("applyDesiredCount"),
        enableExecuteCommand: read.bool("enableExecuteCommand"),
        deployment: deploymentSettings,
        alarms: alarms(read),
        notifications: notifications(read),
        waf: waf(read, environmentAndSecretSettings.environment),
    };
}


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
        const badName = stackNameProblem(pulumi.getProject(), pulumi.getStack());
        if (badName !== undefined) {
            throw new Error(badName);
        }
        // The provider reads aws:region, or else AWS_REGION / AWS_DEFAULT_REGION; so does this.
        return parseConfig(ownSettings(pulumi.runtime.allConfig()), aws.config.region);
    } catch (err) {
        // RunError ends `pulumi preview`/`up` with just this message, without a stack trace.
        throw new pulumi.RunError((err as Error).message);
    }
}
