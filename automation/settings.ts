/**
 * A stack's settings as a typed object, and their mapping onto Pulumi config values.
 */
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { ConfigKeyName, projectName } from "../lib/configSchema";

/** Values of the program's settings, as they would be written in a stack file. */
export type ProgramSettings = Partial<Record<ConfigKeyName, string | number | boolean | string[]>>;

/** Everything a tool may set on a stack. */
export interface StackSettings {
    /** AWS region (aws:region). */
    region?: string;
    /** The program's own settings (flask-fargate:*). */
    settings?: ProgramSettings;
    /** Further config, by full key, e.g. "aws:profile"; kept as plain values. */
    extra?: Record<string, string>;
    /** Further config to keep encrypted in the stack, by full key. */
    secrets?: Record<string, string>;
}

/** Settings whose values name secrets: stored as Pulumi secrets, so they never show in plain text. */
export const secretSettings: ReadonlySet<ConfigKeyName> = new Set<ConfigKeyName>(["secrets", "secretsKmsKeyArn"]);

/** The Pulumi config map for `settings`: arrays as JSON, secret-naming settings and `secrets` as secrets. */
export function toConfigMap(stack: StackSettings): ConfigMap {
    const config: ConfigMap = {};
    if (stack.region !== undefined) {
        config["aws:region"] = { value: stack.region };
    }
    for (const [key, value] of Object.entries(stack.settings ?? {})) {
        if (value === undefined) {
            continue;
        }
        config[`${projectName}:${key}`] = {
            value: Array.isArray(value) ? JSON.stringify(value) : String(value),
            secret: secretSettings.has(key as ConfigKeyName),
        };
    }
    for (const [key, value] of Object.entries(stack.extra ?? {})) {
        config[key] = { value };
    }
    for (const [key, value] of Object.entries(stack.secrets ?? {})) {
        config[key] = { value, secret: true };
    }
    return config;
}
