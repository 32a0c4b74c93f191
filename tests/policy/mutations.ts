/**
 * The generated set (issue 21, item 5): the corpus's cases mutated one field at a time by a
 * bounded, deterministic table of operators chosen to flip a verdict, or to keep it.
 *
 * - IAM documents (trust, bucket, repository, topic, key and identity policies): Effect swapped;
 *   Principal made `*`, `{"AWS": "*"}`, another account, a service, or NotPrincipal; Action made
 *   `*`, `service:*` or NotAction; Resource made `*`, a pattern amounting to every resource of its
 *   kind (`role*`, `arn:aws:s3:::*`) or NotResource; a condition operator negated, made
 *   `...IfExists`, `ForAnyValue:` or `ForAllValues:`, or removed; a condition value made `*` or
 *   another account's. The expected verdicts come from the evaluator (oracles.ts).
 * - Security group rules: the source widened to the internet, to a /8 of it, or to the internet
 *   split over two rules; ports widened; protocol -1 (oracle: which ports the internet reaches).
 * - Every other guarded field flipped to a bad value, and some to another good one, from a table
 *   that says, per row, which policies must then report (fieldRows in oracles.ts).
 * - Semantics-preserving mutations, after which every policy keeps its verdict: a condition
 *   key's case, statement order, a single value wrapped in a list, an action name's case,
 *   `tcp` written `6`, a CIDR split into its halves, the resources in reverse order, the case in
 *   another account. These are
 *   applied to the bad cases too (a bad case must not pass in disguise).
 */
import { canonicalType } from "../../policy/policies/util";
import { Input, urnOf } from "./harness";

/** One generated input: a case with one field changed. */
export interface Mutation {
    /** Which resource and field changed, and how. */
    what: string;
    inputs: Input[];
    /** "preserving": every policy keeps its verdict; "iam": expected from the evaluator; "sg": from the reachability oracle; "field": from the row. */
    kind: "preserving" | "iam" | "sg" | "field";
    /** For "field" mutations: the policies that must report (the row's verdict on the mutated inputs). */
    reports?: string[];
    /** The resource changed (none for a change of the whole case). */
    target?: Input;
}

/** A mutation before it is placed in its case: the label, what the changed part becomes, and whether it keeps every verdict. */
interface Change<T> {
    label: string;
    value: T;
    preserving?: boolean;
}

export const otherAccount = "999999999999";
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === "object" && !Array.isArray(v);
const without = (o: Record<string, any>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
/** `o` with `from` renamed `to`, in place (key order kept). */
const renamed = (o: Record<string, any>, from: string, to: string) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k === from ? to : k, v]));
/** A JSON string's value, or undefined. */
function json(value: unknown): unknown {
    if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return undefined;
    try {
        return JSON.parse(value);
    } catch {
        return undefined;
    }
}

// ---------------------------------------------------------------------------------------------
// IAM documents

/** Negations of condition operators (IAM User Guide, "Condition operators"); Bool and Null are negated by their value. */
const negations: Record<string, string> = {
    StringEquals: "StringNotEquals",
    StringEqualsIgnoreCase: "StringNotEqualsIgnoreCase",
    StringLike: "StringNotLike",
    ArnEquals: "ArnNotEquals",
    ArnLike: "ArnNotLike",
    IpAddress: "NotIpAddress",
    NumericEquals: "NumericNotEquals",
    NumericLessThan: "NumericGreaterThanEquals",
    NumericGreaterThan: "NumericLessThanEquals",
    DateEquals: "DateNotEquals",
};
for (const [a, b] of Object.entries(negations)) negations[b] = a;

/** A value pinned to someone else: every account id, organization, endpoint or VPC id in it replaced by another's. */
function anothers(value: string): string | undefined {
    const changed = value
        .replace(/\b\d{12}\b/g, otherAccount)
        .replace(/\bo-[a-z0-9]{3,32}\b/g, "o-zzzzzzzzzz")
        .replace(/\b(vpce?)-[0-9a-f]{8,17}\b/g, "$1-0ffffffffffffffff");
    return changed === value ? undefined : changed;
}

/** A resource pattern amounting to every resource of the kind `arn` names: `arn:aws:s3:::*`, `arn:aws:iam::123456789012:role*`. */
function everyOfKind(arn: string): string | undefined {
    const parts = arn.split(":");
    if (parts.length < 6 || /^\*+$/.test(arn)) return undefined;
    const rest = parts.slice(5).join(":");
    const type = /^[A-Za-z-]+(?=[/:])/.exec(rest)?.[0];
    // Untyped ARNs (S3 buckets, SNS topics, SQS queues) name the resource first.
    const prefix = ["s3", "sns", "sqs"].includes(parts[2]) || type === undefined ? "" : type;
    return `${parts.slice(0, 5).join(":")}:${prefix}*`;
}

/** A condition key with its case changed (keys are case-insensitive; the tag key after `/` is left as written). */
const recased = (key: string) => key.replace(/^[^/]+/, (head) => (head === head.toUpperCase() ? head.toLowerCase() : head.toUpperCase()));

function conditionChanges(condition: Record<string, Record<string, unknown>>): Change<Record<string, unknown> | undefined>[] {
    const out: Change<Record<string, unknown> | undefined>[] = [{ label: "Condition removed", value: undefined }];
    const ops = Object.keys(condition);
    const withOp = (op: string, to: string, block: unknown) => Object.fromEntries(ops.map((o) => (o === op ? [to, block] : [o, condition[o]])));
    for (const op of ops) {
        const block = condition[op];
        if (!isObject(block)) continue;
        const qualifier = /^(ForAnyValue|ForAllValues):/.exec(op)?.[0] ?? "";
        const bare = op.slice(qualifier.length).replace(/IfExists$/, "");
        const ifExists = op.endsWith("IfExists") ? "IfExists" : "";
        if (negations[bare]) out.push({ label: `${op} → ${qualifier}${negations[bare]}${ifExists}`, value: withOp(op, `${qualifier}${negations[bare]}${ifExists}`, block) });
        if (bare === "Bool" || bare === "Null") {
            const flipped = Object.fromEntries(Object.entries(block).map(([k, v]) => [k, String(v).toLowerCase() === "true" ? "false" : "true"]));
            out.push({ label: `${op} value negated`, value: withOp(op, op, flipped) });
        }
        if (!ifExists && bare !== "Null") out.push({ label: `${op} → ${op}IfExists`, value: withOp(op, `${op}IfExists`, block) });
        if (!qualifier) for (const q of ["ForAnyValue:", "ForAllValues:"]) out.push({ label: `${op} → ${q}${op}`, value: withOp(op, `${q}${op}`, block) });
        if (ops.length > 1) out.push({ label: `${op} removed`, value: without(condition, op) });
        for (const [key, v] of Object.entries(block)) {
            const withValue = (value: unknown) => withOp(op, op, Object.fromEntries(Object.entries(block).map(([k, x]) => [k, k === key ? value : x])));
            if (!same(v, "*")) out.push({ label: `${op} ${key} → "*"`, value: withValue("*") });
            const other = typeof v === "string" ? anothers(v) : undefined;
            if (other !== undefined) out.push({ label: `${op} ${key} → another's (${other})`, value: withValue(other) });
            out.push({ label: `${op} ${key} written ${recased(key)}`, value: withOp(op, op, renamed(block, key, recased(key))), preserving: true });
            if (!Array.isArray(v)) out.push({ label: `${op} ${key} value in a list`, value: withValue([v]), preserving: true });
            if (typeof v === "boolean") out.push({ label: `${op} ${key} value as a string`, value: withValue(String(v)), preserving: true });
            if (Object.keys(block).length > 1) out.push({ label: `${op} ${key} removed`, value: withOp(op, op, without(block, key)) });
        }
    }
    return out;
}

/** The changes of one statement. */
function statementChanges(s: Record<string, any>): Change<Record<string, any>>[] {
    const out: Change<Record<string, any>>[] = [];
    const set = (label: string, patch: Record<string, unknown>, preserving = false) => {
        const value = { ...s, ...patch };
        if (!same(value, s)) out.push({ label, value, preserving });
    };
    if (s.Effect === "Allow" || s.Effect === "Deny") set(`Effect → ${s.Effect === "Allow" ? "Deny" : "Allow"}`, { Effect: s.Effect === "Allow" ? "Deny" : "Allow" });
    const principal = "Principal" in s ? "Principal" : "NotPrincipal" in s ? "NotPrincipal" : undefined;
    if (principal !== undefined) {
        const choices: [string, unknown][] = [
            ['"*"', "*"],
            ['{"AWS": "*"}', { AWS: "*" }],
            ["another account", { AWS: `arn:aws:iam::${otherAccount}:root` }],
            ["a service", { Service: "lambda.amazonaws.com" }],
        ];
        for (const [label, value] of choices) set(`${principal} → ${label}`, { [principal]: value });
        out.push({ label: `${principal} → ${principal === "Principal" ? "NotPrincipal" : "Principal"}`, value: renamed(s, principal, principal === "Principal" ? "NotPrincipal" : "Principal") });
        const p = s[principal];
        if (isObject(p)) for (const [k, v] of Object.entries(p)) if (typeof v === "string") set(`${principal}.${k} in a list`, { [principal]: { ...p, [k]: [v] } }, true);
    }
    for (const [element, not] of [
        ["Action", "NotAction"],
        ["Resource", "NotResource"],
    ]) {
        const key = element in s ? element : not in s ? not : undefined;
        if (key === undefined) continue;
        const values = [s[key]].flat().filter((v): v is string => typeof v === "string");
        set(`${key} → "*"`, { [key]: "*" });
        if (element === "Action") {
            const service = values.map((a) => a.split(":")[0]).find((x) => x && x !== "*");
            if (service !== undefined) set(`${key} → "${service}:*"`, { [key]: `${service}:*` });
            // "The prefix and the action name are case insensitive" (IAM JSON policy elements: Action).
            set(`${key} in upper case`, { [key]: Array.isArray(s[key]) ? values.map((a) => a.toUpperCase()) : String(s[key]).toUpperCase() }, true);
        } else {
            const every = values.map(everyOfKind).find((x) => x !== undefined);
            if (every !== undefined) set(`${key} → ${every}`, { [key]: every });
        }
        out.push({ label: `${key} → ${key === element ? not : element}`, value: renamed(s, key, key === element ? not : element) });
        if (typeof s[key] === "string") set(`${key} in a list`, { [key]: [s[key]] }, true);
    }
    if (isObject(s.Condition)) {
        for (const c of conditionChanges(s.Condition)) out.push({ label: c.label, value: c.value === undefined ? without(s, "Condition") : { ...s, Condition: c.value }, preserving: c.preserving });
    }
    return out;
}

/** The changes of a policy document: each statement's, and the document's own (statement order, a single statement as a list). */
function documentChanges(doc: Record<string, any>): Change<Record<string, any>>[] {
    const single = !Array.isArray(doc.Statement);
    const statements: any[] = single ? [doc.Statement] : doc.Statement;
    const out: Change<Record<string, any>>[] = [];
    if (single) out.push({ label: "Statement in a list", value: { ...doc, Statement: [doc.Statement] }, preserving: true });
    else if (statements.length === 1) out.push({ label: "Statement as a single object", value: { ...doc, Statement: statements[0] }, preserving: true });
    if (statements.length > 1) out.push({ label: "statements in reverse order", value: { ...doc, Statement: [...statements].reverse() }, preserving: true });
    statements.forEach((s, i) => {
        if (!isObject(s)) return;
        for (const c of statementChanges(s)) {
            const replaced = single ? c.value : statements.map((x, j) => (j === i ? c.value : x));
            out.push({ label: `Statement[${i}] ${c.label}`, value: { ...doc, Statement: replaced }, preserving: c.preserving });
        }
    });
    return out;
}

// ---------------------------------------------------------------------------------------------
// Walking a case

/** A place in one input's props: its path, value, and the case with the value replaced. */
interface Site {
    input: Input;
    path: string;
    value: unknown;
    replace: (value: unknown) => Input[];
}

/** Every node of every input's props (inside JSON strings too), as sites. */
function sites(inputs: Input[]): Site[] {
    const out: Site[] = [];
    const walk = (input: Input, path: string, value: unknown, replace: (v: unknown) => Input[]) => {
        out.push({ input, path, value, replace });
        const parsed = json(value);
        if (parsed !== undefined) walk(input, `${path}(json)`, parsed, (v) => replace(JSON.stringify(v)));
        else if (Array.isArray(value)) value.forEach((v, i) => walk(input, `${path}[${i}]`, v, (u) => replace(value.map((x, j) => (j === i ? u : x)))));
        else if (isObject(value)) for (const k of Object.keys(value)) walk(input, `${path}.${k}`, value[k], (u) => replace(u === undefined ? without(value, k) : { ...value, [k]: u }));
    };
    inputs.forEach((input, i) => {
        const replaceProps = (props: unknown) => inputs.map((x, j) => (j === i ? { ...x, props: props as Record<string, any> } : x));
        walk(input, input.name, input.props, replaceProps);
    });
    return out;
}

/** The IAM documents of a case (any value with a Statement), each changed by every operator. */
export function iamMutations(inputs: Input[]): Mutation[] {
    return sites(inputs)
        .filter((s) => isObject(s.value) && [s.value.Statement].flat().every((x) => isObject(x) && "Effect" in x))
        .flatMap((s) => documentChanges(s.value as Record<string, any>).map((c): Mutation => ({ what: `${s.path}: ${c.label}`, inputs: s.replace(c.value), kind: c.preserving ? "preserving" : "iam", target: s.input })));
}

// ---------------------------------------------------------------------------------------------
// Security group rules

const RULE_TYPES = ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aws:ec2/securityGroupRule:SecurityGroupRule"];
const GROUP_TYPES = ["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"];

/** A copy of `input` under another name (for a mutation that adds a resource). */
const renamedInput = (input: Input, suffix: string): Input => ({ ...input, name: `${input.name}-${suffix}`, urn: input.urn === undefined ? undefined : `${urnOf(input)}-${suffix}` });

/** The two halves of a CIDR block (undefined for a single address). */
function halves(cidr: string): [string, string] | undefined {
    const [address, lengthText] = cidr.split("/");
    const v6 = address.includes(":");
    const bits = v6 ? 128 : 32;
    const length = Number(lengthText ?? bits);
    if (!Number.isInteger(length) || length >= bits) return undefined;
    if (v6) {
        // Only the blocks the corpus uses: ::/n with n < 16 (the first group).
        if (!/^::$/.test(address) || length >= 16) return undefined;
        return [`::/${length + 1}`, `${(0x8000 >> length).toString(16)}::/${length + 1}`];
    }
    const value = address.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
    const size = 2 ** (bits - length);
    const start = Math.floor(value / size) * size;
    const text = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
    return [`${text(start)}/${length + 1}`, `${text(start + size / 2)}/${length + 1}`];
}

/**
 * The rules of a case, each with a way to replace it and to add a sibling rule (another rule
 * resource with the same links, or another inline rule of the same group).
 */
function ruleSites(inputs: Input[]): { input: Input; where: string; rule: Record<string, any>; vpc: boolean; siblings: boolean; replace: (rule: Record<string, any>, sibling?: Record<string, any>) => Input[] }[] {
    const out: ReturnType<typeof ruleSites> = [];
    inputs.forEach((input, i) => {
        const type = canonicalType(input.type);
        const put = (props: Record<string, any>, extra: Input[] = []) => [...inputs.map((x, j) => (j === i ? { ...x, props } : x)), ...extra];
        if (RULE_TYPES.includes(type)) {
            const sibling = (rule: Record<string, any>): Input => ({ ...renamedInput(input, "sibling"), props: rule });
            // A second rule resource is in the same group only if the rule names its group.
            const grouped = input.props.securityGroupId !== undefined || (input.propertyDependencies?.securityGroupId ?? []).length > 0;
            out.push({ input, where: input.name, rule: input.props, vpc: type.startsWith("aws:vpc/"), replace: (rule, extra) => put(rule, extra ? [sibling(extra)] : []), siblings: grouped });
        } else if (GROUP_TYPES.includes(type)) {
            for (const direction of ["ingress", "egress"]) {
                const rules = input.props[direction];
                if (!Array.isArray(rules)) continue;
                rules.forEach((rule, k) => {
                    if (!isObject(rule)) return;
                    out.push({
                        input,
                        where: `${input.name}.${direction}[${k}]`,
                        rule,
                        vpc: false,
                        siblings: true,
                        replace: (r, extra) => put({ ...input.props, [direction]: [...rules.map((x, j) => (j === k ? r : x)), ...(extra ? [extra] : [])] }),
                    });
                });
                if (rules.length > 1) out.push({ input, where: `${input.name}.${direction}`, rule: {}, vpc: false, siblings: false, replace: () => put({ ...input.props, [direction]: [...rules].reverse() }) });
            }
        }
    });
    return out;
}

/** Security group rules widened (to the internet, a /8 of it, the internet split over two rules, every port, every protocol), and rewritten without a change of meaning. */
export function ruleMutations(inputs: Input[]): Mutation[] {
    const out: Mutation[] = [];
    for (const { input, where, rule, vpc, siblings, replace } of ruleSites(inputs)) {
        const add = (label: string, kind: Mutation["kind"], result: Input[]) => out.push({ what: `${where}: ${label}`, inputs: result, kind, target: input });
        if (Object.keys(rule).length === 0) {
            add("inline rules in reverse order", "preserving", replace(rule));
            continue;
        }
        const protocolKey = vpc ? "ipProtocol" : "protocol";
        const protocol = String(rule[protocolKey] ?? "");
        if (protocol !== "-1") add("protocol -1", "sg", replace({ ...rule, [protocolKey]: "-1" }));
        if (protocol === "tcp") add("protocol tcp written 6", "preserving", replace({ ...rule, [protocolKey]: "6" }));
        if (protocol !== "-1" && typeof rule.fromPort === "number" && typeof rule.toPort === "number") {
            if (rule.fromPort !== 0 || rule.toPort !== 65535) add("every port", "sg", replace({ ...rule, fromPort: 0, toPort: 65535 }));
            if (rule.fromPort > 0) add(`ports from ${rule.fromPort - 1}`, "sg", replace({ ...rule, fromPort: rule.fromPort - 1 }));
        }
        for (const [v4Key, v6Key] of vpc ? [["cidrIpv4", "cidrIpv6"]] : [["cidrBlocks", "ipv6CidrBlocks"]]) {
            for (const [key, world, share] of [
                [v4Key, "0.0.0.0/0", "3.0.0.0/8"],
                [v6Key, "::/0", "2600::/16"],
            ]) {
                const current = rule[key];
                if (current === undefined || (Array.isArray(current) && current.length === 0)) continue;
                const one = (cidr: string) => (vpc ? cidr : [cidr]);
                if (!same(current, one(world))) add(`${key} → ${world}`, "sg", replace({ ...rule, [key]: one(world) }));
                add(`${key} → ${share}`, "sg", replace({ ...rule, [key]: one(share) }));
                const [low, high] = halves(world)!;
                if (siblings) add(`${key} → ${low} and ${high} in two rules`, "sg", replace({ ...rule, [key]: one(low) }, { ...rule, [key]: one(high) }));
                // Split into its halves: the same addresses.
                const blocks = [current].flat().filter((c): c is string => typeof c === "string");
                const split = blocks.map((c) => halves(c));
                if (blocks.length > 0 && split.every((h) => h !== undefined)) {
                    if (vpc) {
                        if (siblings) add(`${key} ${current} split into two rules`, "preserving", replace({ ...rule, [key]: split[0]![0] }, { ...rule, [key]: split[0]![1] }));
                    } else add(`${key} split into halves`, "preserving", replace({ ...rule, [key]: split.flat() }));
                }
            }
        }
    }
    return out;
}

/** The account the corpus's cases (and the mocks) are in, and another. */
const caseAccount = "123456789012";
const movedAccount = "444455556666";

/** The case in another account: every mention of its account id replaced (a stack means the same in any account). */
export function inAnotherAccount(inputs: Input[]): Mutation[] {
    const text = JSON.stringify(inputs.map((i) => i.props));
    if (!text.includes(caseAccount) || text.includes(movedAccount)) return [];
    const props = JSON.parse(text.split(caseAccount).join(movedAccount)) as Record<string, any>[];
    return [{ what: `the case in account ${movedAccount}`, inputs: inputs.map((x, i) => ({ ...x, props: props[i] })), kind: "preserving" }];
}

/** The case with its resources in reverse order (a stack's resources come in any order). */
export function reversed(inputs: Input[]): Mutation[] {
    return inputs.length > 1 ? [{ what: "resources in reverse order", inputs: [...inputs].reverse(), kind: "preserving" }] : [];
}

// ---------------------------------------------------------------------------------------------
// Other guarded fields, from a table of rows (the rows themselves are in oracles.ts)

/** What a row's verdict may depend on: the mutated resource and case, and each policy's config. */
export interface RowContext {
    input: Input;
    inputs: Input[];
    stack: string;
    config: (policy: string) => Record<string, any>;
}

/** One row of the field table: where, the value it sets, and which policies must then report. */
export interface Row {
    /** The resource types (as the pack names them) the row applies to. */
    types: string[];
    /** Whether the path is within each container of containerDefinitions. */
    container?: boolean;
    /** Dotted path; `*` stands for each element of a list. */
    path: string;
    /** The value set (undefined removes the field), or a function of the current value. */
    value: unknown;
    /** How the value is shown (for a function). */
    label?: string;
    /** Whether a missing field (and the objects on its path) is created; else the row applies only where the field is there. */
    create?: boolean;
    /** The policies that must report once the value is in place. */
    reports: string[] | ((x: RowContext) => string[]);
}

/** `value` with the field at `path` set by `set` (once per list element a `*` crosses); [] where the row does not apply. */
function setAt(value: unknown, path: string[], set: (current: unknown) => unknown, create: boolean): { where: string; value: unknown }[] {
    if (path.length === 0) return [{ where: "", value: set(value) }];
    const [head, ...rest] = path;
    if (head === "*") {
        if (!Array.isArray(value)) return [];
        return value.flatMap((v, i) => setAt(v, rest, set, create).map((r) => ({ where: `[${i}]${r.where}`, value: value.map((x, j) => (j === i ? r.value : x)) })));
    }
    if (!isObject(value) || (value[head] === undefined && !create)) return [];
    const child = rest.length > 0 && value[head] === undefined ? {} : value[head];
    return setAt(child, rest, set, create).map((r) => ({ where: `.${head}${r.where}`, value: r.value === undefined ? without(value, head) : { ...value, [head]: r.value } }));
}

/** Each row applied to each resource of its types (each container, each list element), where it changes something. */
export function fieldMutations(inputs: Input[], rows: Row[], context: (input: Input, inputs: Input[]) => RowContext): Mutation[] {
    const out: Mutation[] = [];
    inputs.forEach((input, i) => {
        for (const row of rows.filter((r) => r.types.includes(canonicalType(input.type)))) {
            const set = (current: unknown) => (typeof row.value === "function" ? row.value(current) : row.value);
            const path = row.path.split(".");
            const changed: { where: string; props: Record<string, any> }[] = [];
            if (row.container) {
                const containers = json(input.props.containerDefinitions);
                if (!Array.isArray(containers)) continue;
                containers.forEach((c, k) => {
                    for (const r of setAt(c, path, set, row.create ?? true)) {
                        changed.push({ where: `containers[${k}]${r.where}`, props: { ...input.props, containerDefinitions: JSON.stringify(containers.map((x, j) => (j === k ? r.value : x))) } });
                    }
                });
            } else {
                for (const r of setAt(input.props, path, set, row.create ?? false)) changed.push({ where: r.where.slice(1), props: r.value as Record<string, any> });
            }
            for (const { where, props } of changed) {
                if (same(props, input.props)) continue;
                const mutated = inputs.map((x, j) => (j === i ? { ...x, props } : x));
                const reports = typeof row.reports === "function" ? row.reports(context(mutated[i], mutated)) : row.reports;
                out.push({ what: `${input.name} ${where} → ${row.label ?? JSON.stringify(row.value) ?? "removed"}`, inputs: mutated, kind: "field", reports, target: input });
            }
        }
    });
    return out;
}
