/**
 * Helpers shared by the policies: reading JSON-or-object properties, IAM statements, the stack of
 * a URN, and whether one resource refers to another (by dependency, which works in a preview
 * where ARNs are not known yet, or by value).
 */
import { PolicyResource } from "@pulumi/policy";

/** A property that the provider takes as a JSON string but a program may give as an object. */
export function parseJson<T = any>(value: unknown): T | undefined {
    if (typeof value !== "string") {
        return value as T | undefined;
    }
    try {
        return JSON.parse(value) as T;
    } catch {
        return undefined;
    }
}

/** One IAM statement, with Action and Resource as lists. */
export interface IamStatement {
    effect: string;
    actions: string[];
    resources: string[];
    principals: unknown;
    condition: Record<string, Record<string, unknown>>;
}

const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** The statements of a policy document (string or object); none if it is not one. */
export function statements(document: unknown): IamStatement[] {
    const doc = parseJson<{ Statement?: unknown }>(document);
    const raw = doc?.Statement === undefined ? [] : Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    return raw.map((s: any) => ({ effect: s.Effect, actions: asList(s.Action), resources: asList(s.Resource), principals: s.Principal, condition: s.Condition ?? {} }));
}

/** The stack name in a URN (urn:pulumi:<stack>::<project>::...). */
export function stackOf(urn: string): string {
    return urn.split(":")[2] ?? "";
}

/** CIDR blocks that mean "anyone". */
export function isWorld(cidr: unknown): boolean {
    return cidr === "0.0.0.0/0" || cidr === "::/0";
}

/** Whether `from`'s property `prop` refers to `to`: a property dependency, or (values known) equality. */
export function refersTo(from: PolicyResource, prop: string, to: PolicyResource, value?: unknown, toValue?: unknown): boolean {
    if ((from.propertyDependencies?.[prop] ?? []).some((d) => d.urn === to.urn)) {
        return true;
    }
    return value !== undefined && toValue !== undefined && value === toValue;
}

/** Resources of one type. */
export function ofType(resources: PolicyResource[], type: string): PolicyResource[] {
    return resources.filter((r) => r.type === type);
}
