/**
 * The program's typed configuration: the schema (the same keys, types, descriptions and defaults
 * as the `config:` block of Pulumi.yaml, held equal by tests/config.test.ts), the pure parser that
 * applies defaults and validates, and `loadConfig()` which reads the running stack's config.
 */
import * as pulumi from "@pulumi/pulumi";
import { validateFargateSize } from "./fargate";

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
        description: "Capacity the service runs on: fargate (on-demand) or fargate-spot (FARGATE_SPOT, cheaper, may be interrupted).",
        default: "fargate",
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
} satisfies Record<string, ConfigKey>;

/** A key of the project's config. */
export type ConfigKeyName = keyof typeof configSchema;

/** CPU architectures a Fargate task can run on. */
export type Architecture = "X86_64" | "ARM64";

/** Capacity a service can run on. */
export type Capacity = "fargate" | "fargate-spot";

/** The validated configuration of one stack, with every default applied. */
export interface StackConfig {
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
    capacity: Capacity;
    /** Log group retention in days (0 = never expire). */
    logRetentionDays: number;
    /** Existing image to run; undefined means build app/. */
    image?: string;
    /** Tagged images the ECR lifecycle policy keeps. */
    keepImages: number;
    /** Extra plain environment variables. */
    environment: Record<string, string>;
    /** Environment variables from Secrets Manager / SSM: name -> ARN. */
    secrets: Record<string, string>;
    /** KMS key of the secrets, if customer-managed. */
    secretsKmsKeyArn?: string;
    /** Protect and retain stateful resources. */
    protectData: boolean;
    /** Health endpoint path. */
    healthCheckPath: string;
}

/** Retention values CloudWatch Logs accepts (0 = never expire). */
export const logRetentionValues = [
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Environment variables the program sets itself; config may not override them. */
export const reservedEnvironment = ["PORT", "BUCKET_NAME", "AWS_REGION", "APP_STACK", "APP_VERSION", "HEALTH_PATH"];

/** Names that look like credentials: such values belong in `secrets`, never in plain `environment`. */
export const secretLookingName = /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL/i;

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const secretArn = /^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:.+|ssm:[a-z0-9-]+:\d{12}:parameter\/.+)$/;
const kmsKeyArn = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const imageUri = /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** A config error: names the key, the bad value and what is allowed. */
function invalid(key: string, value: unknown, allowed: string): Error {
    return new Error(`${projectName}:${key} is ${JSON.stringify(value)}; ${allowed}`);
}

/** Reads one raw value (from the CLI a string, from a parsed YAML file a typed value) as its declared type. */
function coerce(key: ConfigKeyName, raw: unknown): unknown {
    const spec: ConfigKey = configSchema[key];
    if (raw === undefined || raw === null) {
        return spec.default;
    }
    switch (spec.type) {
        case "integer": {
            const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
            if (typeof n !== "number" || !Number.isInteger(n)) {
                throw invalid(key, raw, "it must be a whole number");
            }
            return n;
        }
        case "boolean": {
            if (raw === true || raw === "true") return true;
            if (raw === false || raw === "false") return false;
            throw invalid(key, raw, "it must be true or false");
        }
        case "array": {
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
        default:
            if (typeof raw !== "string") {
                throw invalid(key, raw, "it must be a string");
            }
            return raw;
    }
}

/** Splits NAME=value entries into a map, checking names and duplicates. */
function pairs(key: ConfigKeyName, entries: string[]): Record<string, string> {
    const result: Record<string, string> = {};
    for (const entry of entries) {
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

/** Requires a non-negative whole number. */
function count(key: ConfigKeyName, value: number): number {
    if (value < 0) {
        throw invalid(key, value, "it must be a whole number of tasks, 0 or more");
    }
    return value;
}

/** Requires one of the listed strings. */
function oneOf<T extends string>(key: ConfigKeyName, value: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(value)) {
        throw invalid(key, value, `allowed: ${allowed.join(", ")}`);
    }
    return value as T;
}

/**
 * Applies the defaults and validates a stack's raw config (keys without the project namespace).
 * Throws one Error naming the first bad key, its value and what is allowed.
 */
export function parseConfig(raw: Record<string, unknown>): StackConfig {
    for (const key of Object.keys(raw)) {
        if (!(key in configSchema)) {
            throw new Error(
                `${projectName}:${key} is not a setting of this program; known settings: ${Object.keys(configSchema).join(", ")}`,
            );
        }
    }
    const value = <K extends ConfigKeyName>(key: K) => coerce(key, raw[key]);
    const int = (key: ConfigKeyName) => value(key) as number;
    const str = (key: ConfigKeyName) => value(key) as string;

    const cpu = int("cpu");
    const memory = int("memory");
    validateFargateSize(cpu, memory);

    const containerPort = int("containerPort");
    if (containerPort < 1024 || containerPort > 65535) {
        throw invalid("containerPort", containerPort, "allowed: 1024 to 65535 (the container runs as a non-root user, which cannot bind lower ports)");
    }

    const desiredCount = count("desiredCount", int("desiredCount"));
    const minCount = count("minCount", int("minCount"));
    const maxCount = count("maxCount", int("maxCount"));
    if (minCount > maxCount) {
        throw invalid("minCount", minCount, `it must not exceed flask-fargate:maxCount (${maxCount})`);
    }
    if (desiredCount < minCount || desiredCount > maxCount) {
        throw invalid("desiredCount", desiredCount, `it must lie between flask-fargate:minCount (${minCount}) and flask-fargate:maxCount (${maxCount})`);
    }

    const logRetentionDays = int("logRetentionDays");
    if (!logRetentionValues.includes(logRetentionDays)) {
        throw invalid("logRetentionDays", logRetentionDays, `allowed: ${logRetentionValues.join(", ")}`);
    }

    const image = str("image").trim();
    if (image !== "" && !imageUri.test(image)) {
        throw invalid("image", image, "it must be an image reference such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:<digest>");
    }

    const keepImages = int("keepImages");
    if (keepImages < 1) {
        throw invalid("keepImages", keepImages, "it must be 1 or more");
    }

    const environment = pairs("environment", value("environment") as string[]);
    for (const [name] of Object.entries(environment)) {
        if (secretLookingName.test(name)) {
            throw invalid("environment", name, "it looks like a credential: put it in flask-fargate:secrets as NAME=<Secrets Manager or SSM parameter ARN>");
        }
    }
    const secrets = pairs("secrets", value("secrets") as string[]);
    for (const [name, arn] of Object.entries(secrets)) {
        if (!secretArn.test(arn)) {
            throw invalid("secrets", `${name}=${arn}`, "each value must be a Secrets Manager secret ARN or an SSM parameter ARN");
        }
        if (name in environment) {
            throw invalid("secrets", name, "it is also set in flask-fargate:environment");
        }
    }
    const secretsKmsKeyArn = str("secretsKmsKeyArn").trim();
    if (secretsKmsKeyArn !== "" && !kmsKeyArn.test(secretsKmsKeyArn)) {
        throw invalid("secretsKmsKeyArn", secretsKmsKeyArn, "it must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or empty");
    }

    const healthCheckPath = str("healthCheckPath");
    if (!/^\/[A-Za-z0-9._~/-]*$/.test(healthCheckPath)) {
        throw invalid("healthCheckPath", healthCheckPath, "it must be a URL path starting with / (letters, digits, . _ ~ - /)");
    }

    return {
        cpu,
        memory,
        architecture: oneOf("architecture", str("architecture"), ["X86_64", "ARM64"] as const),
        containerPort,
        desiredCount,
        minCount,
        maxCount,
        capacity: oneOf("capacity", str("capacity"), ["fargate", "fargate-spot"] as const),
        logRetentionDays,
        image: image === "" ? undefined : image,
        keepImages,
        environment,
        secrets,
        secretsKmsKeyArn: secretsKmsKeyArn === "" ? undefined : secretsKmsKeyArn,
        protectData: value("protectData") as boolean,
        healthCheckPath,
    };
}

/** Reads and validates the running stack's config (every `flask-fargate:*` key it sets). */
export function loadConfig(): StackConfig {
    const prefix = `${projectName}:`;
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) {
            raw[key.slice(prefix.length)] = value;
        }
    }
    try {
        return parseConfig(raw);
    } catch (err) {
        // RunError ends `pulumi preview`/`up` with just this message, without a stack trace.
        throw new pulumi.RunError((err as Error).message);
    }
}
