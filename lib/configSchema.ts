/**
 * The program's settings as Pulumi.yaml declares them: Pulumi.yaml is the one owner of every key's
 * type, description and default. The CLI reads the same declarations: before the program runs it
 * puts each declared `default:` into the stack's config for every key the stack file lacks, and
 * refuses a stack value of the wrong type (pulumi/pulumi pkg/v3 workspace/config.go, `mergeConfig`
 * and `validateStackConfigValues`). `stackConfig` below does the same for callers without the CLI
 * (the mock tests, `npm run deploy -- cost`), and the engine tests compare it with the CLI's.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

/** The Pulumi project name, which is also the config namespace of every key below. */
export const projectName = "flask-fargate";

/** The project's directory (where Pulumi.yaml and the stack files are). */
export const projectDir = path.join(__dirname, "..");

/** Every key the program reads; Pulumi.yaml must declare exactly these (checked at load). */
export const settingNames = [
    "cpu",
    "memory",
    "architecture",
    "containerPort",
    "desiredCount",
    "minCount",
    "maxCount",
    "capacity",
    "onDemandBase",
    "onDemandWeight",
    "spotWeight",
    "ec2InstanceTypes",
    "ec2MinSize",
    "ec2MaxSize",
    "ec2TargetCapacity",
    "ec2InstanceAmi",
    "logRetentionDays",
    "image",
    "buildOnPreview",
    "keepImages",
    "environment",
    "secrets",
    "apiKeysSecretArn",
    "publicRead",
    "secretsKmsKeyArn",
    "protectData",
    "healthCheckPath",
    "availabilityZones",
    "natGateways",
    "natInstanceAmi",
    "vpcEndpoints",
    "vpcId",
    "publicSubnetIds",
    "privateSubnetIds",
    "ingressCidrs",
    "idleTimeout",
    "accessLogsBucket",
    "domainName",
    "hostedZoneId",
    "healthCheckInterval",
    "healthyThreshold",
    "deregistrationDelay",
    "deploymentMinHealthyPercent",
    "deploymentMaxPercent",
    "applyDesiredCount",
    "enableExecuteCommand",
    "deploymentStrategy",
    "bakeTimeMinutes",
    "alarmEmails",
    "alarmHttpsEndpoints",
    "alarmErrorRatePercent",
    "alarmMinRequests",
    "alarmLatencyMs",
    "alarmUtilizationPercent",
    "alarmEvaluationMinutes",
    "accessLogs",
    "waf",
    "wafRateLimit",
] as const;

/** A key of the project's config. */
export type ConfigKeyName = (typeof settingNames)[number];

/** A value of a setting, typed as in a stack file. */
export type SettingValue = string | number | boolean | string[];

/** One key of the project's config, as Pulumi.yaml declares it. */
export interface ConfigKey {
    /** Pulumi.yaml config type. */
    type: "string" | "integer" | "boolean" | "array";
    /** Shown by `pulumi config` and in docs/configuration.md. */
    description: string;
    /** The value the CLI puts in the stack's config when the stack file lacks the key. */
    default: SettingValue;
    /** Item type, for arrays. */
    items?: { type: "string" };
}

/** A group of settings in Pulumi.yaml: a comment line `# Section: <title>` starts it, the comment lines after that introduce it. */
export interface ConfigSection {
    title: string;
    /** The comment lines after the title, joined ("" when there are none). */
    intro: string;
    /** Its settings, in Pulumi.yaml's order. */
    keys: ConfigKeyName[];
}

/** A project file's declarations of the program's settings, and the sections they are grouped in. */
export interface ProjectSettings {
    declarations: Record<ConfigKeyName, ConfigKey>;
    sections: ConfigSection[];
}

/**
 * Reads a project file's declarations of the program's settings, refusing any other or missing key,
 * and their sections (a setting before the first `# Section:` comment is refused too).
 */
export function readProjectSettings(file: string): ProjectSettings {
    const document = YAML.parseDocument(fs.readFileSync(file, "utf8"));
    const declared: Record<string, ConfigKey> = document.toJS().config ?? {};
    const own = Object.fromEntries(Object.entries(declared).filter(([key]) => !key.includes(":")));
    const missing = settingNames.filter((key) => !(key in own));
    const unknown = Object.keys(own).filter((key) => !(settingNames as readonly string[]).includes(key));
    if (missing.length > 0 || unknown.length > 0) {
        throw new Error(`${file} must declare exactly the program's settings; missing: [${missing.join(", ")}], unknown: [${unknown.join(", ")}]`);
    }
    for (const [key, spec] of Object.entries(own)) {
        if (spec.default === undefined || !matchesType(spec, spec.default)) {
            throw new Error(`${file}: ${key} needs a default of type ${spec.type}`);
        }
    }
    const sections: ConfigSection[] = [];
    const config = document.get("config");
    for (const pair of YAML.isMap(config) ? config.items : []) {
        const key = YAML.isScalar(pair.key) ? String(pair.key.value) : "";
        if (!(key in own)) {
            continue;
        }
        const comment = (YAML.isScalar(pair.key) ? pair.key.commentBefore : undefined) ?? "";
        const lines = comment.split("\n").map((line) => line.trim());
        const start = lines.findIndex((line) => line.startsWith("Section:"));
        if (start >= 0) {
            sections.push({ title: lines[start].slice("Section:".length).trim(), intro: lines.slice(start + 1).join(" ").trim(), keys: [] });
        } else if (sections.length === 0) {
            throw new Error(`${file}: ${key} comes before the first "# Section: <title>" comment`);
        }
        sections[sections.length - 1].keys.push(key as ConfigKeyName);
    }
    return { declarations: own as Record<ConfigKeyName, ConfigKey>, sections };
}

const projectSettings = readProjectSettings(path.join(projectDir, "Pulumi.yaml"));

/** Every setting of the program, from Pulumi.yaml. */
export const configSchema: Record<ConfigKeyName, ConfigKey> = projectSettings.declarations;

/** The settings' sections, in Pulumi.yaml's order (docs/configuration.md follows them). */
export const configSections: ConfigSection[] = projectSettings.sections;

/**
 * Whether a stack file value has the declared type, by the CLI's rules (sdk/v3 go/common/workspace
 * project.go, `ValidateConfigValue`): integers may be written as strings of digits, booleans as
 * "true"/"false", arrays must be arrays of the item type.
 */
export function matchesType(spec: Pick<ConfigKey, "type">, value: unknown): boolean {
    switch (spec.type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return Number.isInteger(value) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "array":
            return Array.isArray(value) && value.every((item) => typeof item === "string");
    }
}

/** A stack's config as the CLI hands it to the program: every value a string, arrays as JSON. */
export type RawConfig = Record<string, string>;

/** A value as the CLI passes it to the program (`pulumi.runtime.allConfig()`): objects as JSON with sorted keys, as Go marshals maps. */
function asCliString(value: unknown): string {
    const sorted = (v: unknown): unknown =>
        Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sorted(x)])) : v;
    return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(sorted(value)) : String(value);
}

/** A project file (Pulumi.yaml), parsed: its name and config declarations. */
export interface ProjectFile {
    name: string;
    config?: Record<string, { type?: ConfigKey["type"]; items?: { type: string }; default?: unknown; value?: unknown }>;
}

/**
 * A stack's config the way the CLI gives it to the program: the stack file's values (`fileConfig`,
 * keys as written there), type-checked against the project's declarations with the CLI's message,
 * plus each declared default or value the stack lacks. Secure (encrypted) values pass through as
 * they are: only the CLI can decrypt them.
 */
export function cliConfig(project: ProjectFile, stack: string, fileConfig: Record<string, unknown>): RawConfig {
    const ownKey = (full: string) => (full.startsWith(`${project.name}:`) ? full.slice(project.name.length + 1) : full);
    const config: RawConfig = {};
    for (const [key, value] of Object.entries(fileConfig)) {
        const full = key.includes(":") ? key : `${project.name}:${key}`;
        const secure = value !== null && typeof value === "object" && "secure" in value;
        const spec = project.config?.[ownKey(full)];
        if (spec?.type !== undefined && !secure && !matchesType({ type: spec.type }, value)) {
            const typeName = spec.type === "array" ? `array<${spec.items?.type}>` : spec.type;
            throw new Error(`Stack '${stack}' with configuration key '${ownKey(full)}' must be of type '${typeName}'`);
        }
        config[full] = asCliString(value);
    }
    for (const [key, spec] of Object.entries(project.config ?? {})) {
        const full = key.includes(":") ? key : `${project.name}:${key}`;
        const declared = spec.default ?? spec.value;
        if (!(full in config) && declared !== undefined) {
            config[full] = asCliString(declared);
        }
    }
    return config;
}

/** A committed stack's config as the CLI gives it to the program (see cliConfig), read from its files in `dir`. */
export function stackConfig(stack: string, dir = projectDir): RawConfig {
    const read = (file: string) => YAML.parse(fs.readFileSync(path.join(dir, file), "utf8")) ?? {};
    return cliConfig(read("Pulumi.yaml"), stack, read(`Pulumi.${stack}.yaml`).config ?? {});
}

/** The committed stacks of a checkout (its Pulumi.<stack>.yaml files). */
export function committedStacks(dir = projectDir): string[] {
    return fs
        .readdirSync(dir)
        .map((file) => /^Pulumi\.([^.]+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}
