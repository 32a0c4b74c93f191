/**
 * Runs CrossGuard policies the way the engine does, without the pack's server: over resources
 * recorded from the program under mocks, or over hand-made ones, with values known (as in an
 * update) or unknown (as in a preview).
 */
import { Policy, PolicyResource, ResourceValidationPolicy, StackValidationPolicy, unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { ProgramRun, Recorded } from "../harness";

/** A value not known yet, as the engine sends it at preview (the SDK's unknown-string sentinel). */
export const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

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
export function configOf(policy: Policy, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const defaults = Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {}).map(([k, v]) => [k, (v as { default?: unknown }).default]));
    return { ...defaults, ...overrides };
}

export const urnOf = (r: Input) => r.urn ?? `urn:pulumi:${r.stack ?? "test"}::flask-fargate::${r.type}::${r.name}`;

/** Policy resources with their dependencies linked, as stack validations get them. */
export function policyResources(inputs: Input[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const resources = inputs.map((r) => {
        const resource = {
            type: r.type,
            name: r.name,
            urn: urnOf(r),
            // As the SDK's server does: reading an unknown value throws UnknownValueError.
            props: unknownCheckingProxy(r.props),
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

/**
 * The values a preview does not know yet: the outputs a provider computes on create (ARN, id,
 * URLs, digests: what the mock adds to the inputs, but for the names the provider picks in its
 * check, which a preview shows), and every input made from one of them (a string that contains
 * one, such as a JSON document or an image reference, is unknown as a whole).
 */
function previewUnknowns(run: ProgramRun): string[] {
    const values = new Set<string>();
    for (const r of run.resources) {
        for (const [key, value] of Object.entries(r.state)) {
            if (!(key in r.inputs) && !["name", "bucket"].includes(key) && typeof value === "string" && value.length >= 6) values.add(value);
        }
        if (r.id.length >= 6 && r.id !== r.state.name && r.id !== r.state.bucket) values.add(r.id);
    }
    return [...values];
}

/** The value with every leaf made from a value in `unknowns` replaced by `unknown`. */
function withUnknowns(value: any, unknowns: string[]): any {
    if (typeof value === "string") return unknowns.some((u) => value.includes(u)) ? unknown : value;
    if (Array.isArray(value)) return value.map((v) => withUnknowns(v, unknowns));
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withUnknowns(v, unknowns)]));
    return value;
}

/** The recorded resources of a run as a preview of a new stack shows them: computed outputs not known yet. */
export function previewOf(run: ProgramRun): Input[] {
    const unknowns = previewUnknowns(run);
    return fromRun(run).map((r) => {
        const recorded = run.resources.find((x) => x.urn === r.urn)!;
        const outputs = Object.fromEntries(Object.keys(recorded.state).filter((k) => !(k in recorded.inputs) && !["name", "bucket"].includes(k)).map((k) => [k, unknown]));
        return { ...r, props: { ...withUnknowns(r.props, unknowns), ...outputs, id: unknown } };
    });
}

/**
 * The violations one policy reports over `inputs`; a policy that reads an unknown value is
 * reported as the CLI reports it ("advisory: can't run policy ... during preview"), so a test
 * expecting no violation fails on it.
 */
export async function violations(policy: ResourceValidationPolicy | StackValidationPolicy, inputs: Input[], config: Record<string, unknown> = {}): Promise<string[]> {
    const found: string[] = [];
    const report = (message: string) => found.push(message);
    const getConfig = <T extends object>() => configOf(policy, config) as T;
    const notApplicable = (): never => {
        throw new Error("not applicable");
    };
    const guarded = async (validate: () => void | Promise<void>) => {
        try {
            await validate();
        } catch (e) {
            if (!(e instanceof UnknownValueError)) throw e;
            found.push(`advisory: can't run policy '${policy.name}' during preview: ${(e as Error).message}`);
        }
    };
    if ("validateStack" in policy) {
        await guarded(() => policy.validateStack({ resources: policyResources(inputs), stackTags: new Map(), getConfig, notApplicable }, report));
        return found;
    }
    const validations = [policy.validateResource ?? []].flat();
    for (const resource of policyResources(inputs)) {
        for (const validate of validations) {
            await guarded(() => validate({ ...resource, stackTags: new Map(), getConfig, notApplicable, isType: () => false, asType: () => undefined }, report));
        }
    }
    return found;
}
