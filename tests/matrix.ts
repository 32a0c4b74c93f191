/**
 * The settings matrix: stack configs generated from the settings' declarations (Pulumi.yaml) and
 * their domains (lib/settingDomains.ts), so a new setting or bound is covered without editing a
 * test. Two parts:
 *
 * - every boundary of every setting: each choice, each end of each range, the empty and the longest
 *   string, the empty and the largest list; each tried with the settings it needs beside it
 *   (settingContexts), and packed several to a config where they do not interfere;
 * - every combination of the choices the docs describe: capacity × deploymentStrategy × network
 *   (each NAT choice, endpoints only, an existing VPC) × waf × domain.
 *
 * A config the program accepts must deploy; one it refuses must be refused naming a setting.
 */
import { configSchema, parseConfig, StackConfig } from "../lib/config";
import { ConfigKeyName, SettingValue } from "../lib/configSchema";
import { fargateSizes } from "../lib/fargate";
import { settingContexts, settingDomains } from "../lib/settingDomains";
import { cliSettings, region } from "./harness";

/** A stack file's settings (program keys only), named for the report. */
export interface MatrixConfig {
    name: string;
    settings: Record<string, SettingValue>;
}

/** One value of one setting, with the settings it needs beside it. */
interface Probe {
    key: ConfigKeyName;
    settings: Record<string, SettingValue>;
}

/** The values of one setting worth trying: its boundaries. */
function boundaryValues(key: ConfigKeyName): SettingValue[] {
    const domain = settingDomains[key];
    switch (domain.kind) {
        case "integer":
            return [domain.min, domain.max];
        case "integerOf":
            return [...domain.values];
        case "boolean":
            return [false, true];
        case "oneOf":
            return [...domain.values];
        case "string":
            return domain.optional ? ["", domain.longest] : [domain.longest];
        case "list":
            return domain.minItems === 0 ? [[], domain.largest] : [domain.largest.slice(0, domain.minItems), domain.largest];
    }
}

/** Every boundary of every setting, each with its context. cpu and memory go in pairs: each CPU value with its smallest and largest memory. */
export function boundaryProbes(): Probe[] {
    const probes: Probe[] = [];
    for (const [cpu, memories] of fargateSizes) {
        for (const memory of [memories[0], memories[memories.length - 1]]) {
            probes.push({ key: "cpu", settings: { cpu, memory } });
        }
    }
    for (const key of Object.keys(configSchema) as ConfigKeyName[]) {
        if (key === "cpu" || key === "memory") {
            continue;
        }
        for (const value of boundaryValues(key)) {
            probes.push({ key, settings: { ...settingContexts[key], [key]: value } });
        }
    }
    return probes;
}

/** The config the program makes of a stack file's settings, or the error it refuses them with. */
export function parse(settings: Record<string, SettingValue>, stack = "test"): StackConfig | Error {
    try {
        return parseConfig(cliSettings(settings, stack), region);
    } catch (err) {
        return err as Error;
    }
}

/** Whether two settings maps can be one stack file: no key set to two values. */
function compatible(a: Record<string, SettingValue>, b: Record<string, SettingValue>): boolean {
    return Object.entries(b).every(([key, value]) => !(key in a) || JSON.stringify(a[key]) === JSON.stringify(value));
}

/** What the matrix holds: the configs to run, and the probes the program refuses on their own. */
export interface Matrix {
    /** Accepted configs: every packed boundary config and every combination. */
    accepted: MatrixConfig[];
    /** Probes the program refuses alone, with its message. */
    refused: { probe: MatrixConfig; key: ConfigKeyName; message: string }[];
    /** Counts for the report. */
    probes: number;
    boundaryConfigs: number;
    combinations: number;
}

/**
 * The boundary probes packed into as few configs as the program accepts: each probe joins the first
 * config it is compatible with and that still parses with it; a probe refused alone is reported.
 */
function packBoundaries(probes: Probe[]): { configs: MatrixConfig[]; refused: Matrix["refused"] } {
    const bins: { settings: Record<string, SettingValue>; names: string[] }[] = [];
    const refused: Matrix["refused"] = [];
    for (const probe of probes) {
        const name = `${probe.key}=${JSON.stringify(probe.settings[probe.key]).slice(0, 40)}`;
        const alone = parse(probe.settings);
        if (alone instanceof Error) {
            refused.push({ probe: { name, settings: probe.settings }, key: probe.key, message: alone.message });
            continue;
        }
        const bin = bins.find((b) => compatible(b.settings, probe.settings) && !(parse({ ...b.settings, ...probe.settings }) instanceof Error));
        if (bin) {
            Object.assign(bin.settings, probe.settings);
            bin.names.push(name);
        } else {
            bins.push({ settings: { ...probe.settings }, names: [name] });
        }
    }
    return { configs: bins.map((b, i) => ({ name: `boundaries #${i + 1}: ${b.names.length} values (${b.names.slice(0, 3).join(", ")}${b.names.length > 3 ? ", ..." : ""})`, settings: b.settings })), refused };
}

/** The network choices: each NAT choice of a new VPC, endpoints without NAT, and an existing VPC. */
const networks: Record<string, Record<string, SettingValue>> = {
    "nat one-per-az": { natGateways: "one-per-az" },
    "nat single": { natGateways: "single" },
    "nat instance": { natGateways: "instance" },
    "endpoints, no nat": { natGateways: "none", vpcEndpoints: true },
    "existing vpc": { ...settingContexts.vpcId, vpcId: "vpc-0123456789abcdef0" },
};

/** Every combination of the choices the docs describe. */
export function choiceCombinations(): MatrixConfig[] {
    const configs: MatrixConfig[] = [];
    for (const capacity of ["fargate", "fargate-spot", "ec2"]) {
        for (const strategy of ["rolling", "blue-green"]) {
            for (const [networkName, network] of Object.entries(networks)) {
                for (const waf of [false, true]) {
                    for (const domain of [false, true]) {
                        configs.push({
                            name: `${capacity}, ${strategy}, ${networkName}, waf ${waf ? "on" : "off"}, ${domain ? "https" : "http"}`,
                            settings: {
                                capacity,
                                deploymentStrategy: strategy,
                                ...network,
                                waf,
                                ...(domain ? { domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" } : {}),
                            },
                        });
                    }
                }
            }
        }
    }
    return configs;
}

/** The whole matrix. */
export function settingsMatrix(): Matrix {
    const probes = boundaryProbes();
    const { configs, refused } = packBoundaries(probes);
    const combinations = choiceCombinations();
    return { accepted: [...configs, ...combinations], refused, probes: probes.length, boundaryConfigs: configs.length, combinations: combinations.length };
}
