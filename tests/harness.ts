/**
 * Runs the program under Pulumi mocks and records every resource with its inputs, its mocked
 * state and the options the SDK sent to the engine (parent, dependencies, protect, ...), which
 * `newResource` alone does not see.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { cliConfig, ownSettings, parseConfig, projectName, StackConfig, stackConfig } from "../lib/config";
import { createStack } from "../program";
// Internal SDK module: the mock monitor's request carries the resource options.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings");

export const account = "123456789012";
export const region = "us-east-1";
export const root = path.join(__dirname, "..");

/** One registered resource as the engine would have seen it. */
export interface Recorded {
    /** The id the mock provider gave it. */
    id: string;
    type: string;
    name: string;
    urn: string;
    custom: boolean;
    inputs: Record<string, any>;
    state: Record<string, any>;
    /** URN of the parent ("" for the stack's own children). */
    parent: string;
    /** URNs of every resource this one depends on (dependsOn and inputs). */
    dependencies: string[];
    /** For each input property, the URNs of the resources its value came from. */
    propertyDependencies: Record<string, string[]>;
    ignoreChanges: string[];
    /** customTimeouts as given ("30m"), "" when not set. */
    customTimeouts: { create: string; update: string };
    protect: boolean;
    retainOnDelete: boolean;
}

/** Pulumi's marker of a serialized special value (here: a secret). */
const specialSig = "4dabf18193072939515e22adb298388d";

/** The value with Pulumi's secret wrappers taken off, at any depth. */
function plain(value: any): any {
    if (Array.isArray(value)) {
        return value.map(plain);
    }
    if (value !== null && typeof value === "object") {
        if (specialSig in value) {
            return plain(value.value);
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    }
    return value;
}

/** A short, stable fake suffix for auto-named resources. */
function suffix(name: string): string {
    return createHash("sha256").update(name).digest("hex").slice(0, 7);
}

/** The state a real provider would return: the inputs plus the computed attributes users read. */
function mockState(type: string, name: string, inputs: Record<string, any>): { id: string; state: Record<string, any> } {
    const autoName = inputs.name ?? (inputs.namePrefix ? `${inputs.namePrefix}${suffix(name)}` : `${name}-${suffix(name)}`);
    const [pkg, mod] = type.split(":");
    const service = mod?.split("/")[0];
    const state: Record<string, any> = { ...inputs, name: autoName, arn: `arn:aws:${service}:${region}:${account}:${name}` };
    let id = `${name}-id`;
    switch (type) {
        case "aws:s3/bucket:Bucket":
            id = autoName;
            Object.assign(state, { bucket: autoName, arn: `arn:aws:s3:::${autoName}` });
            break;
        case "aws:ecr/repository:Repository":
            Object.assign(state, { registryId: account, repositoryUrl: `${account}.dkr.ecr.${region}.amazonaws.com/${autoName}` });
            break;
        case "aws:iam/role:Role":
            Object.assign(state, { arn: `arn:aws:iam::${account}:role/${autoName}` });
            break;
        case "aws:ecs/cluster:Cluster":
            Object.assign(state, { arn: `arn:aws:ecs:${region}:${account}:cluster/${autoName}` });
            break;
        case "aws:ecs/taskDefinition:TaskDefinition":
            Object.assign(state, { revision: 1, arn: `arn:aws:ecs:${region}:${account}:task-definition/${inputs.family}:1` });
            break;
        case "awsx:ec2:Vpc": {
            const zones = Array.from({ length: inputs.numberOfAvailabilityZones }, (_, i) => i);
            Object.assign(state, {
                vpcId: "vpc-0123456789abcdef0",
                publicSubnetIds: zones.map((i) => `subnet-public${i}`),
                privateSubnetIds: zones.map((i) => `subnet-private${i}`),
                // awsx gives every subnet a route table of its own.
                routeTableAssociations: zones.flatMap((i) =>
                    ["public", "private"].map((kind) => ({ subnetId: `subnet-${kind}${i}`, routeTableId: `rtb-${kind}${i}` })),
                ),
            });
            break;
        }
        case "aws:ec2/networkInterface:NetworkInterface":
            id = `eni-${suffix(name)}`;
            Object.assign(state, { arn: `arn:aws:ec2:${region}:${account}:network-interface/${id}` });
            break;
        case "aws:ec2/securityGroup:SecurityGroup":
            id = `sg-${suffix(name)}`;
            break;
        case "aws:lb/loadBalancer:LoadBalancer":
            Object.assign(state, {
                arnSuffix: `app/${autoName}/50dc6c495c0c9188`,
                dnsName: `${autoName}-1234567890.${region}.elb.amazonaws.com`,
                zoneId: "Z35SXDOTRQ7X7K",
            });
            break;
        case "aws:lb/targetGroup:TargetGroup":
            Object.assign(state, { arnSuffix: `targetgroup/${autoName}/943f017f100becff` });
            break;
        case "aws:acm/certificate:Certificate":
            Object.assign(state, {
                domainValidationOptions: [
                    {
                        domainName: inputs.domainName,
                        resourceRecordName: `_x1.${inputs.domainName}.`,
                        resourceRecordType: "CNAME",
                        resourceRecordValue: "_x2.acm-validations.aws.",
                    },
                ],
            });
            break;
        case "aws:ec2/launchTemplate:LaunchTemplate":
            Object.assign(state, { latestVersion: 1 });
            id = `lt-${suffix(name)}`;
            break;
        case "aws:route53/record:Record":
            Object.assign(state, { fqdn: inputs.name });
            break;
        case "docker-build:index:Image":
            Object.assign(state, { digest: `sha256:${createHash("sha256").update(JSON.stringify(inputs.tags)).digest("hex")}` });
            break;
    }
    return { id: pkg === "pulumi" ? "" : id, state };
}

const calls: Record<string, (inputs: any) => Record<string, any>> = {
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: account, arn: `arn:aws:iam::${account}:user/test`, userId: "AIDTEST" }),
    "aws:index/getRegion:getRegion": () => ({ name: region, region }),
    "aws:ssm/getParameter:getParameter": (inputs) => {
        const ami = inputs.name.includes("arm64") ? "ami-0a64a64a64a64a64a" : "ami-0086086086086086a";
        // The provider marks `value` sensitive; `insecureValue` is the same string in clear.
        return { name: inputs.name, type: "String", value: ami, insecureValue: ami };
    },
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": () => ({
        userName: "AWS",
        password: "token",
        proxyEndpoint: `https://${account}.dkr.ecr.${region}.amazonaws.com`,
    }),
};

/** Everything one run of the program registered, and its resolved stack outputs. */
export class ProgramRun {
    constructor(
        public readonly resources: Recorded[],
        public readonly outputs: Record<string, any>,
    ) {}

    /** Every resource of a type token. */
    ofType(type: string): Recorded[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of a type (whose name ends with `nameSuffix`, if given); fails otherwise. */
    one(type: string, nameSuffix = ""): Recorded {
        const found = this.ofType(type).filter((r) => r.name.endsWith(nameSuffix));
        if (found.length !== 1) {
            throw new Error(`expected one ${type}${nameSuffix ? ` named *${nameSuffix}` : ""}, found ${found.length}`);
        }
        return found[0];
    }

    /**
     * The resources of one component (`type` token and name) and of the components under it: lookups
     * scoped to it, so a program with a second service finds the first one's resources unchanged.
     */
    within(type: string, name: string): ProgramRun {
        const root = this.resources.find((r) => r.type === type && r.name === name);
        if (!root) {
            throw new Error(`no component ${type} named ${name}`);
        }
        const inside = new Set([root.urn]);
        for (let grew = true; grew; ) {
            grew = false;
            for (const r of this.resources) {
                if (!inside.has(r.urn) && inside.has(r.parent)) {
                    inside.add(r.urn);
                    grew = true;
                }
            }
        }
        return new ProgramRun(
            this.resources.filter((r) => inside.has(r.urn) && r.urn !== root.urn),
            this.outputs,
        );
    }

    /** The resource with this URN. */
    byUrn(urn: string): Recorded {
        const found = this.resources.find((r) => r.urn === urn);
        if (!found) {
            throw new Error(`no resource ${urn}`);
        }
        return found;
    }
}

/** The request's property dependencies: input property -> URNs. */
function propertyDependencies(req: any): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        result[key] = deps.getUrnsList();
    });
    return result;
}

/** Resolves an Output (or a plain value) under mocks. */
export function resolve<T>(value: pulumi.Input<T>): Promise<T> {
    return new Promise((ok) => pulumi.output(value).apply((v) => ok(v as T)));
}

/**
 * Records of the runs so far, by config and stack: the program is deterministic under mocks, so a
 * test that asks for a run already made gets a copy of its record (tests may edit what they get).
 */
const recorded = new Map<string, Promise<{ resources: Recorded[]; outputs: Record<string, any> }>>();

/** Runs the program with `config` as stack `stack`, waits for every registration, returns the record. */
export async function runProgram(config: StackConfig, stack = "dev"): Promise<ProgramRun> {
    const key = runKey(config, stack);
    if (!recorded.has(key)) {
        recorded.set(key, record(stack, () => ({ ...createStack(config).outputs })));
    }
    const { resources, outputs } = structuredClone(await recorded.get(key)!);
    return new ProgramRun(resources, outputs);
}

/** The key of a run in the records: its config and stack. */
function runKey(config: StackConfig, stack: string): string {
    return JSON.stringify([config, stack]);
}

/** Every run made so far that completed, by the key of its config and stack: the AWS request contract checks them all (tests/contract.test.ts). */
export async function recordedRuns(): Promise<{ key: string; resources: Recorded[] }[]> {
    const settled = await Promise.allSettled([...recorded.values()]);
    const keys = [...recorded.keys()];
    return settled.flatMap((s, i) => (s.status === "fulfilled" ? [{ key: keys[i], resources: s.value.resources }] : []));
}

/** The types of the custom resources every run so far registered (one per config and stack the suite has run), and how many runs. */
export async function typesDeclaredSoFar(): Promise<{ types: Set<string>; runs: number }> {
    const runs = await recordedRuns();
    return { types: new Set(runs.flatMap((r) => r.resources.filter((x) => x.custom).map((x) => x.type))), runs: runs.length };
}

/**
 * Runs any program (the stack's, one component alone, an example built on the stack) under mocks as
 * stack `stack`, and records every registration; `body` returns the outputs to resolve.
 */
export async function runAlone(body: () => Record<string, pulumi.Input<unknown>> | void, stack = "test"): Promise<ProgramRun> {
    const run = record(stack, body);
    // Kept with the program's runs: the AWS request contract and the policy coverage see them too.
    recorded.set(`alone ${recorded.size}`, run);
    const { resources, outputs } = structuredClone(await run);
    return new ProgramRun(resources, outputs);
}

/** Runs a program under mocks and records every registration and its outputs. */
async function record(stack: string, body: () => Record<string, pulumi.Input<unknown>> | void): Promise<{ resources: Recorded[]; outputs: Record<string, any> }> {
    const resources: Recorded[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => mockState(args.type, args.name, args.inputs),
            call: (args) => {
                const handler = calls[args.token];
                if (!handler) {
                    throw new Error(`the tests do not mock the call ${args.token}`);
                }
                return handler(args.inputs);
            },
        },
        projectName,
        stack,
        false,
    );
    const keep = (req: any, resp: any) =>
        resources.push({
            id: resp.getId(),
            type: req.getType(),
            name: req.getName(),
            urn: resp.getUrn(),
            custom: req.getCustom(),
            inputs: plain(pulumi.runtime.deserializeProperties(req.getObject())),
            state: plain(pulumi.runtime.deserializeProperties(resp.getObject())),
            parent: req.getParent(),
            dependencies: req.getDependenciesList(),
            propertyDependencies: propertyDependencies(req),
            ignoreChanges: req.getIgnorechangesList(),
            customTimeouts: { create: req.getCustomtimeouts()?.getCreate() ?? "", update: req.getCustomtimeouts()?.getUpdate() ?? "" },
            protect: req.getProtect() === true,
            retainOnDelete: req.getRetainondelete() === true,
        });
    const monitor = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) =>
        register(req, (err: any, resp: any) => {
            if (!err) {
                try {
                    keep(req, resp);
                } catch (recordErr) {
                    // Fail the registration rather than leave the program waiting forever.
                    callback(recordErr, undefined);
                    return;
                }
            }
            callback(err, resp);
        });

    // The SDK captures a stack trace for every promise it makes (runtime/debuggable.js:
    // `new Error().stack`), and under ts-node each one is source-mapped: two thirds of a run's time.
    // No frames while the program runs (its errors keep their messages, which is what tests read).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        const outputs: Record<string, any> = {};
        for (const [key, value] of Object.entries(body() ?? {})) {
            outputs[key] = await resolve(value as pulumi.Output<unknown>);
        }
        await settings.waitForRPCs();
        return { resources, outputs };
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
    }
}

/** The project file, parsed. */
const projectFile = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"));

/** The program's settings as the CLI hands them over for a stack file that sets `settings` (Pulumi.yaml's defaults merged, types checked). */
export function cliSettings(settings: Record<string, unknown>, stack = "test"): Record<string, string> {
    const fileConfig = Object.fromEntries(Object.entries(settings).map(([key, value]) => [`${projectName}:${key}`, value]));
    return ownSettings(cliConfig(projectFile, stack, fileConfig));
}

/** A committed stack's validated config, loaded the way the CLI loads it. */
export function committedStack(stack: string): StackConfig {
    const config = stackConfig(stack);
    return parseConfig(ownSettings(config), config["aws:region"]);
}

/** Runs the program with a committed stack's config, as `pulumi up` would load it. */
export function runStack(stack: string): Promise<ProgramRun> {
    return runProgram(committedStack(stack), stack);
}

/** The config of a stack file that sets only `overrides` (and the region). */
export function configWith(overrides: Record<string, unknown> = {}, stack = "test"): StackConfig {
    return parseConfig(cliSettings(overrides, stack), region);
}

/** Runs the program with a stack file that sets only `overrides` (and the region). */
export function runWith(overrides: Record<string, unknown> = {}, stack = "test"): Promise<ProgramRun> {
    return runProgram(configWith(overrides, stack), stack);
}

/** Parses a JSON string input (policies, container definitions). */
export function json(value: unknown): any {
    return typeof value === "string" ? JSON.parse(value) : value;
}
