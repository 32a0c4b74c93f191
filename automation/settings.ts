/**
 * A stack's settings as a typed object, and how they are written into a stack's config through the
 * CLI with their types: the CLI checks each value against Pulumi.yaml's declared type, and a
 * top-level `pulumi config set` value is always a string, which is fine for integers and booleans
 * ("3", "false") but not for arrays. An array is written item by item with path syntax
 * (`key[0]`, `key[1]`, ...; `pulumi config set --help`), which stores a YAML list; a secret array
 * stores each item encrypted.
 */
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { ConfigKeyName, projectName } from "../lib/configSchema";

/** Values of the program's settings, as they would be written in a stack file. */
export type ProgramSettings = Partial<Record<ConfigKeyName, string | number | boolean | string[]>>;

/** Everything a tool may set on a stack. */
export interface StackSettings {
    /** AWS region (aws:region). */
    region?: string;
    /** The program's own settings (flask-fargate:*). */
    settings?: ProgramSettings;
    /** Further config, by full key or path (e.g. "aws:profile", "aws:defaultTags.tags.team"); kept as plain values. */
    extra?: Record<string, string>;
    /** Further config to keep encrypted in the stack, by full key or path. */
    secrets?: Record<string, string>;
}

/** Settings whose values name secrets: stored as Pulumi secrets, so they never show in plain text. */
export const secretSettings: ReadonlySet<ConfigKeyName> = new Set<ConfigKeyName>(["secrets", "secretsKmsKeyArn"]);

/** The config writes that give a stack some settings. */
export interface ConfigPlan {
    /** Keys to remove first: every array that is set, so none of its old items remain. */
    remove: string[];
    /** Values to set with path syntax: scalars under their key, array items as `key[i]`. */
    set: ConfigMap;
    /** Arrays to leave empty: path syntax cannot write [], so an item is set and then removed. */
    empty: string[];
}

/** The config writes for `stack`: the program's settings namespaced, secret-naming settings and `secrets` as secrets. */
export function configPlan(stack: StackSettings): ConfigPlan {
    const plan: ConfigPlan = { remove: [], set: {}, empty: [] };
    const put = (key: string, value: string | number | boolean | string[], secret: boolean) => {
        if (!Array.isArray(value)) {
            plan.set[key] = { value: String(value), secret };
            return;
        }
        plan.remove.push(key);
        if (value.length === 0) {
            plan.empty.push(key);
        }
        value.forEach((item, i) => (plan.set[`${key}[${i}]`] = { value: item, secret }));
    };
    if (stack.region !== undefined) {
        put("aws:region", stack.region, false);
    }
    for (const [key, value] of Object.entries(stack.settings ?? {})) {
        if (value !== undefined) {
            put(`${projectName}:${key}`, value, secretSettings.has(key as ConfigKeyName));
        }
    }
    for (const [key, value] of Object.entries(stack.extra ?? {})) {
        put(key, value, false);
    }
    for (const [key, value] of Object.entries(stack.secrets ?? {})) {
        put(key, value, true);
    }
    return plan;
}

/** Writes `settings` into the stack's config (in the stack file of its workspace's directory). */
export async function applySettings(stack: Stack, settings: StackSettings): Promise<void> {
    const plan = configPlan(settings);
    const placeholders = plan.empty.map((key) => `${key}[0]`);
    if (plan.remove.length > 0) {
        await stack.removeAllConfig(plan.remove);
    }
    const values = { ...plan.set, ...Object.fromEntries(placeholders.map((key) => [key, { value: "-" }])) };
    if (Object.keys(values).length > 0) {
        await stack.setAllConfig(values, true);
    }
    if (placeholders.length > 0) {
        await stack.removeAllConfig(placeholders, true);
    }
}
