/**
 * Runs CrossGuard policies the way the engine does, without the pack's server: over resources
 * recorded from the program under mocks, or over hand-made ones.
 */
import { Policy, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ProgramRun, Recorded } from "../harness";

/** A resource as a policy sees it, from a recorded one or from parts. */
export interface Input {
    type: string;
    name: string;
    props: Record<string, any>;
    stack?: string;
    /** The recorded URN; made from stack, type and name when absent. */
    urn?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    protect?: boolean;
}

/** The pack's config for a policy: the defaults of its config schema, then `overrides`. */
function configOf(policy: Policy, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const defaults = Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {}).map(([k, v]) => [k, (v as { default?: unknown }).default]));
    return { ...defaults, ...overrides };
}

const urnOf = (r: Input) => r.urn ?? `urn:pulumi:${r.stack ?? "test"}::flask-fargate::${r.type}::${r.name}`;

/** Policy resources with their dependencies linked, as stack validations get them. */
export function policyResources(inputs: Input[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const resources = inputs.map((r) => {
        const resource = {
            type: r.type,
            name: r.name,
            urn: urnOf(r),
            props: r.props,
            opts: { protect: r.protect ?? false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
            dependencies: [] as PolicyResource[],
            propertyDependencies: {} as Record<string, PolicyResource[]>,
            isType: () => false,
            asType: () => undefined,
        } as unknown as PolicyResource;
        byUrn.set(resource.urn, resource);
        return resource;
    });
    inputs.forEach((r, i) => {
        const link = (urns: string[]) => urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => x !== undefined);
        resources[i].dependencies.push(...link(r.dependencies ?? []));
        for (const [prop, urns] of Object.entries(r.propertyDependencies ?? {})) {
            resources[i].propertyDependencies[prop] = link(urns);
        }
    });
    return resources;
}

/** The recorded resources of a run, as inputs (their URNs kept, so dependencies link). */
export function fromRun(run: ProgramRun): Input[] {
    return run.resources
        .filter((r: Recorded) => r.custom)
        .map((r): Input => ({ type: r.type, name: r.name, props: r.inputs, dependencies: r.dependencies, propertyDependencies: r.propertyDependencies, protect: r.protect, urn: r.urn }));
}

/** The violations one policy reports over `inputs`. */
export async function violations(policy: ResourceValidationPolicy | StackValidationPolicy, inputs: Input[], config: Record<string, unknown> = {}): Promise<string[]> {
    const found: string[] = [];
    const report = (message: string) => found.push(message);
    const getConfig = <T extends object>() => configOf(policy, config) as T;
    const notApplicable = (): never => {
        throw new Error("not applicable");
    };
    if ("validateStack" in policy) {
        await policy.validateStack({ resources: policyResources(inputs), stackTags: new Map(), getConfig, notApplicable }, report);
        return found;
    }
    const validations = [policy.validateResource ?? []].flat();
    for (const resource of policyResources(inputs)) {
        for (const validate of validations) {
            await validate({ ...resource, stackTags: new Map(), getConfig, notApplicable, isType: () => false, asType: () => undefined }, report);
        }
    }
    return found;
}
