/**
 * Helpers shared by the policies: resource properties read safely at preview, IAM statements in
 * one normal form, globs, CIDR coverage, resource type aliases, and whether one resource refers
 * to another (by dependency, which works in a preview where ARNs are not known yet, or by value).
 *
 * Unknown values. At preview, a property computed from another resource's outputs reaches the
 * pack as a sentinel string, and the SDK hands policies `props` wrapped in a proxy that throws
 * `UnknownValueError` when such a property is read; the SDK then reports the policy as
 * "advisory: can't run policy ... during preview" instead of deciding. Policies therefore never
 * read `props` directly: `propsOf` copies them without going through the proxy (a property
 * descriptor carries the raw value) and turns every sentinel into the `UNKNOWN` marker, which
 * the helpers below and the policies treat as "not known yet": they judge what is known, and
 * pass what depends only on the unknown (the update, where it is known, runs them again).
 */
import { PolicyResource } from "@pulumi/policy";

/** A value that is not known yet (at preview); it reads as "(unknown at preview)" in messages. */
export class Unknown {
    toString(): string {
        return "(unknown at preview)";
    }
    toJSON(): string {
        return this.toString();
    }
}
export const UNKNOWN: Unknown = Object.freeze(new Unknown());

// The SDK's sentinels for unknown values of each kind; the engine sends the string one.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkProxy = require("@pulumi/policy/proxy") as Record<string, unknown>;
const sentinels = new Set<unknown>([
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    ...Object.entries(sdkProxy)
        .filter(([k, v]) => /^unknown\w*Value$/.test(k) && typeof v === "string")
        .map(([, v]) => v),
]);

/** Whether a value is not known yet: the UNKNOWN marker or one of the SDK's sentinels. */
export function isUnknown(value: unknown): value is Unknown {
    return value instanceof Unknown || sentinels.has(value);
}

/** A plain copy of `value` (proxied or not) with every unknown replaced by UNKNOWN, read without tripping the SDK's proxy. */
export function known(value: unknown): any {
    if (isUnknown(value)) return UNKNOWN;
    if (value === null || typeof value !== "object") return value;
    const raw = (key: string | number) => Object.getOwnPropertyDescriptor(value, key)?.value;
    if (Array.isArray(value)) {
        return Array.from({ length: value.length }, (_, i) => known(raw(i)));
    }
    return Object.fromEntries(Object.keys(value).map((k) => [k, known(raw(k))]));
}

const copies = new WeakMap<object, Record<string, any>>();

/** A resource's properties, unknown-safe (see the module comment). */
export function propsOf(resource: { props: Record<string, any> }): Record<string, any> {
    let copy = copies.get(resource.props);
    if (copy === undefined) {
        copy = known(resource.props) as Record<string, any>;
        copies.set(resource.props, copy);
    }
    return copy;
}

/** A known string, else undefined. */
export function str(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

/** A list property as a list: [] when absent, one element when a single value; UNKNOWN stays. */
export function list(value: unknown): unknown[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
}

/** A property that the provider takes as a JSON string but a program may give as an object. */
export function parseJson<T = any>(value: unknown): T | Unknown | undefined {
    if (isUnknown(value)) return UNKNOWN;
    if (typeof value !== "string") {
        return value as T | undefined;
    }
    try {
        return known(JSON.parse(value)) as T;
    } catch {
        return undefined;
    }
}

/** An IAM glob (`*` any run of characters, `?` one) tested against a value, case-insensitively unless `caseSensitive`. */
export function globMatches(pattern: string, value: string, caseSensitive = false): boolean {
    const regex = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${regex}$`, caseSensitive ? "s" : "is").test(value);
}

/** Whether some value matches both IAM globs `a` and `b` (`*` any run of characters, `?` one), case-insensitively unless `caseSensitive`. */
export function globsIntersect(a: string, b: string, caseSensitive = false): boolean {
    const same = (x: string, y: string) => x === y || (!caseSensitive && x.toLowerCase() === y.toLowerCase());
    const memo = new Map<number, boolean>();
    const from = (i: number, j: number): boolean => {
        const key = i * (b.length + 1) + j;
        let result = memo.get(key);
        if (result !== undefined) return result;
        if (i === a.length && j === b.length) result = true;
        // A star matches nothing more, or takes the other's next character.
        else if (a[i] === "*") result = from(i + 1, j) || (j < b.length && from(i, j + 1));
        else if (b[j] === "*") result = from(i, j + 1) || (i < a.length && from(i + 1, j));
        else result = i < a.length && j < b.length && (a[i] === "?" || b[j] === "?" || same(a[i], b[j])) && from(i + 1, j + 1);
        memo.set(key, result);
        return result;
    };
    return from(0, 0);
}

/** Who a statement names: `*` (anyone), and each kind of principal's values. */
export interface Principals {
    anyone: boolean;
    aws: string[];
    service: string[];
    other: Record<string, string[]>;
}

/** One IAM statement in normal form: every list a list of known strings. */
export interface IamStatement {
    effect: string;
    actions: string[];
    notActions: string[];
    resources: string[];
    notResources: string[];
    principals?: Principals;
    notPrincipals?: Principals;
    condition: Record<string, Record<string, unknown>>;
    /** Whether some part of the statement is not known yet (its known parts are still here). */
    partial: boolean;
    /** The elements with a part not known yet: "Effect", "Action", "Resource", "Principal", "Condition". */
    unknownParts: string[];
}

/** A policy document's statements, and whether any of it is not known yet. */
export interface Document {
    statements: IamStatement[];
    unknown: boolean;
}

/** The elements of one statement with a part not known yet. */
type Partial = Set<string>;

const strings = (value: unknown, partial: Partial, part: string): string[] => {
    const items = isUnknown(value) ? [value] : list(value);
    if (items.some(isUnknown)) partial.add(part);
    return items.filter((v) => !isUnknown(v)).map(String);
};

function principalsOf(value: unknown, partial: Partial): Principals | undefined {
    if (value === undefined) return undefined;
    if (isUnknown(value)) {
        partial.add("Principal");
        return { anyone: false, aws: [], service: [], other: {} };
    }
    if (value === "*") return { anyone: true, aws: ["*"], service: [], other: {} };
    const byKind = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
    const other = Object.fromEntries(
        Object.entries(byKind)
            .filter(([k]) => k !== "AWS" && k !== "Service")
            .map(([k, v]) => [k, strings(v, partial, "Principal")]),
    );
    const aws = strings(byKind.AWS, partial, "Principal");
    return { anyone: aws.includes("*") || Object.values(other).some((v) => v.includes("*")), aws, service: strings(byKind.Service, partial, "Principal"), other };
}

/** The statements of a policy document (string or object) in normal form; none if it is not one. */
export function policyDocument(document: unknown): Document {
    const doc = parseJson<{ Statement?: unknown }>(document);
    if (isUnknown(doc)) return { statements: [], unknown: true };
    let unknown = isUnknown(doc?.Statement);
    const raw = unknown ? [] : list(doc?.Statement);
    const statements = raw.flatMap((s: any): IamStatement[] => {
        if (isUnknown(s) || s === null || typeof s !== "object") {
            unknown = true;
            return [];
        }
        const partial: Partial = new Set();
        if (containsUnknown(s.Condition)) partial.add("Condition");
        const statement: IamStatement = {
            effect: isUnknown(s.Effect) ? (partial.add("Effect"), "") : String(s.Effect),
            actions: strings(s.Action, partial, "Action"),
            notActions: strings(s.NotAction, partial, "Action"),
            resources: strings(s.Resource, partial, "Resource"),
            notResources: strings(s.NotResource, partial, "Resource"),
            principals: principalsOf(s.Principal, partial),
            notPrincipals: principalsOf(s.NotPrincipal, partial),
            condition: s.Condition ?? {},
            partial: partial.size > 0,
            unknownParts: [...partial],
        };
        unknown ||= statement.partial;
        return [statement];
    });
    return { statements, unknown };
}

/** The statements of a policy document (string or object); none if it is not one or not known yet. */
export function statements(document: unknown): IamStatement[] {
    return policyDocument(document).statements;
}

/** Whether a value is or holds a value not known yet. */
export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    return value !== null && typeof value === "object" && Object.values(value).some(containsUnknown);
}

/** The stack name in a URN (urn:pulumi:<stack>::<project>::...). */
export function stackOf(urn: string): string {
    return urn.split(":")[2] ?? "";
}

/** Resource types that are aliases of one another, by the name the pack uses. */
const aliases: [RegExp, string][] = [
    [/^aws:alb\//, "aws:lb/"],
    [/^aws:s3\/bucketV2:BucketV2$/, "aws:s3/bucket:Bucket"],
    [/^aws:s3\/(\w+)V2:(\w+)V2$/, "aws:s3/$1:$2"],
];

/** The pack's name for a resource type: `aws:alb/*` as `aws:lb/*`, the S3 `...V2` types as their plain names. */
export function canonicalType(type: string): string {
    for (const [pattern, replacement] of aliases) {
        if (pattern.test(type)) return type.replace(pattern, replacement);
    }
    return type;
}

/** Whether a resource type is `type` or one of its aliases. */
export function isType(actual: string, type: string): boolean {
    return canonicalType(actual) === type;
}

/** Resources of one type (or its aliases). */
export function ofType(resources: PolicyResource[], type: string): PolicyResource[] {
    return resources.filter((r) => isType(r.type, type));
}

/** Whether `from`'s property `prop` refers to `to`: a property dependency, or (values known) equality. */
export function refersTo(from: PolicyResource, prop: string, to: PolicyResource, value?: unknown, toValue?: unknown): boolean {
    if ((from.propertyDependencies?.[prop] ?? []).some((d) => d.urn === to.urn)) {
        return true;
    }
    const a = str(value);
    return a !== undefined && a === str(toValue);
}

/** An address block: its family and the half-open range [start, end) of addresses. */
interface Block {
    v6: boolean;
    start: bigint;
    end: bigint;
}

function parseIpv6(text: string): bigint | undefined {
    const [head, tail, more] = text.split("::");
    if (more !== undefined) return undefined;
    const groups = (s: string) => (s === "" ? [] : s.split(":"));
    let parts = groups(head);
    if (tail !== undefined) {
        const rest = groups(tail);
        parts = [...parts, ...Array(8 - parts.length - rest.length).fill("0"), ...rest];
    }
    if (parts.length !== 8 || parts.some((p) => !/^[0-9a-f]{1,4}$/i.test(p))) return undefined;
    return parts.reduce((acc, p) => (acc << 16n) + BigInt(parseInt(p, 16)), 0n);
}

/** A CIDR block as an address range; undefined if it is not one. */
export function parseCidr(cidr: string): Block | undefined {
    const [address, lengthText] = cidr.split("/");
    const v6 = address.includes(":");
    const bits = v6 ? 128 : 32;
    const length = lengthText === undefined ? bits : Number(lengthText);
    if (!Number.isInteger(length) || length < 0 || length > bits) return undefined;
    let value: bigint | undefined;
    if (v6) {
        value = parseIpv6(address);
    } else {
        const octets = address.split(".").map(Number);
        value = octets.length === 4 && octets.every((o) => Number.isInteger(o) && o >= 0 && o <= 255) ? octets.reduce((acc, o) => (acc << 8n) + BigInt(o), 0n) : undefined;
    }
    if (value === undefined) return undefined;
    const size = 1n << BigInt(bits - length);
    const start = (value / size) * size;
    return { v6, start, end: start + size };
}

/** Address space that is not reachable from the internet: private, shared, loopback and link-local. */
const internal = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128"].map((c) => parseCidr(c)!);

/** Thresholds of "a large share of the internet": a /8 of public IPv4 space, a /32 of public IPv6 space. */
const largeShare = { v4: 1n << 24n, v6: 1n << 96n };

/** How many public (internet-routable) addresses of each family the union of `cidrs` covers. */
export function publicCoverage(cidrs: string[]): { v4: bigint; v6: bigint } {
    const result = { v4: 0n, v6: 0n };
    for (const v6 of [false, true]) {
        const blocks = cidrs
            .map(parseCidr)
            .filter((b): b is Block => b !== undefined && b.v6 === v6)
            .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
        // The union, as disjoint ranges, minus the internal ranges.
        const union: [bigint, bigint][] = [];
        for (const b of blocks) {
            const last = union[union.length - 1];
            if (last !== undefined && b.start <= last[1]) last[1] = b.end > last[1] ? b.end : last[1];
            else union.push([b.start, b.end]);
        }
        let total = 0n;
        for (const [start, end] of union) {
            total += end - start;
            for (const i of internal.filter((x) => x.v6 === v6)) {
                const lo = i.start > start ? i.start : start;
                const hi = i.end < end ? i.end : end;
                if (hi > lo) total -= hi - lo;
            }
        }
        result[v6 ? "v6" : "v4"] = total;
    }
    return result;
}

/** Whether the union of `cidrs` covers the whole internet or a large share of it. */
export function coversLargeShare(cidrs: string[]): boolean {
    const { v4, v6 } = publicCoverage(cidrs);
    return v4 >= largeShare.v4 || v6 >= largeShare.v6;
}

/** Whether CIDR `inner` lies inside CIDR `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
    const a = parseCidr(inner);
    const b = parseCidr(outer);
    return a !== undefined && b !== undefined && a.v6 === b.v6 && a.start >= b.start && a.end <= b.end;
}
