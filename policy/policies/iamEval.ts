/**
 * IAM policy documents read the way IAM reads them: the one evaluator the policies share for
 * "who from outside can use this" (role trust, bucket, repository, topic and key policies) and
 * "is TLS required" (a bucket's deny of plain HTTP).
 *
 * The reference is AWS's documented evaluation logic (IAM User Guide):
 * - "Policy evaluation logic": an explicit Deny wins over any Allow; a request is allowed only by
 *   an Allow whose Principal, Action, Resource and Condition all match.
 * - "IAM JSON policy elements: Condition operators": several operators in a block, and several
 *   keys under one operator, must all match (AND); several values of one key match if any does
 *   (OR), but for a negated operator (StringNotEquals, StringNotLike, ArnNotLike, NotIpAddress,
 *   ...) the key must match none of them. A key missing from the request context makes a
 *   condition false, except a negated one, which is then true, `...IfExists`, which is then true,
 *   and `Null`, which tests exactly that. ArnEquals/ArnLike and StringLike take `*` and `?`;
 *   StringEquals does not (a `*` there is the character).
 * - "Condition keys are case-insensitive" (aws:SecureTransport is aws:securetransport).
 * - "Set operators for multivalued context keys": `ForAllValues:` is true when the key is
 *   missing or empty; `ForAnyValue:` is false then.
 * - "IAM JSON policy elements: NotPrincipal / NotAction / NotResource": an Allow with
 *   NotPrincipal grants everyone but the named principals; NotAction and NotResource grant or
 *   deny everything but what they name.
 * And Amazon S3's "The meaning of public" (S3 User Guide, Blocking public access): a policy that
 * grants to `*` is not public only when a condition pins a fixed aws:SourceIp block, aws:SourceArn,
 * aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount, aws:userid (outside
 * "AROLEID:*"), or the principal's account, ARN or organization.
 *
 * The outsider. "Who from outside can use this" asks whether some request from a principal of
 * another account, outside every organization the policy names, could be allowed: every value a
 * condition pins (an account id, organization id, ARN with an account, VPC, an address block
 * smaller than a large share of the internet) is one the outsider does not have; every key the
 * outsider controls (a tag, the user agent, an external id) can take any value; keys the
 * outsider's request may lack (its organization, the calling service's source) may be missing.
 * The evaluator tries every combination of present and missing keys a policy names (worlds) and
 * reports the Allow statements that let the outsider in while no Deny surely stops it.
 *
 * Unknown values (at preview) are decided in favour of the verdict that passes: an unknown part
 * of an Allow is taken as limiting it, an unknown part of a Deny as covering what it must; every
 * known part is still judged (see util.ts: the update runs the policies again on known values).
 */
import { coversLargeShare, globMatches, globsIntersect, IamStatement, isUnknown, parseCidr, Principals } from "./util";

/** Which outcomes a condition can have: true, false, or both (when the asker controls a value). */
export interface Outcomes {
    t: boolean;
    f: boolean;
}
const BOTH: Outcomes = { t: true, f: true };
const only = (value: boolean): Outcomes => ({ t: value, f: !value });

/** A condition operator taken apart: `ForAnyValue:StringNotLikeIfExists` and the like. */
export interface Operator {
    /** The operator without set qualifier and IfExists, e.g. StringNotLike. */
    base: string;
    set?: "any" | "all";
    ifExists: boolean;
    negated: boolean;
    family: "String" | "Numeric" | "Date" | "Bool" | "Binary" | "Ip" | "Arn" | "Null" | "Unknown";
    /** Whether values take `*` and `?` (StringLike, StringNotLike and every Arn operator). */
    wildcards: boolean;
    ignoreCase: boolean;
}

const negatedBases = ["stringnotequals", "stringnotequalsignorecase", "stringnotlike", "numericnotequals", "datenotequals", "notipaddress", "arnnotequals", "arnnotlike"];

export function parseOperator(operator: string): Operator {
    let rest = operator;
    let set: Operator["set"];
    const qualifier = /^(ForAnyValue|ForAllValues):/i.exec(rest);
    if (qualifier) {
        set = qualifier[1].toLowerCase() === "foranyvalue" ? "any" : "all";
        rest = rest.slice(qualifier[0].length);
    }
    const ifExists = /IfExists$/i.test(rest) && !/^Null$/i.test(rest);
    if (ifExists) rest = rest.slice(0, -"IfExists".length);
    const lower = rest.toLowerCase();
    const family = (["String", "Numeric", "Date", "Bool", "Binary", "Arn", "Null"] as const).find((f) => lower.startsWith(f.toLowerCase())) ?? (/^(not)?ipaddress$/.test(lower) ? "Ip" : "Unknown");
    return { base: rest, set, ifExists, negated: negatedBases.includes(lower), family, wildcards: family === "Arn" || /like$/.test(lower), ignoreCase: /ignorecase$/.test(lower) };
}

/** Whether policy value `p` matches request value `r` under operator `op` (the negation aside). */
function matches(op: Operator, p: string, r: string): boolean {
    switch (op.family) {
        case "String":
        case "Arn":
            return op.wildcards ? globMatches(p, r, true) : op.ignoreCase ? p.toLowerCase() === r.toLowerCase() : p === r;
        case "Bool":
            return p.toLowerCase() === r.toLowerCase();
        case "Numeric": {
            const [a, b] = [Number(r), Number(p)];
            return { NumericEquals: a === b, NumericNotEquals: a === b, NumericLessThan: a < b, NumericLessThanEquals: a <= b, NumericGreaterThan: a > b, NumericGreaterThanEquals: a >= b }[op.base] ?? false;
        }
        case "Date": {
            const [a, b] = [Date.parse(r), Date.parse(p)];
            return { DateEquals: a === b, DateNotEquals: a === b, DateLessThan: a < b, DateLessThanEquals: a <= b, DateGreaterThan: a > b, DateGreaterThanEquals: a >= b }[op.base] ?? false;
        }
        case "Ip": {
            const [block, address] = [parseCidr(p), parseCidr(r)];
            return block !== undefined && address !== undefined && block.v6 === address.v6 && address.start >= block.start && address.end <= block.end;
        }
        default:
            return p === r;
    }
}

/** What a request context holds for one key: nothing, fixed values, a value the outsider picks among those the policy does not pin, or anything. */
export type KeyState = { kind: "absent" } | { kind: "values"; values: string[] } | { kind: "foreign" } | { kind: "free" };

/**
 * Keys whose values identify who or where a request comes from, which an outsider cannot pick:
 * for each, whether a policy value could still match an outsider's value (a wildcard where the
 * account, organization or name goes). From S3's "The meaning of public" and the IAM global
 * condition context keys.
 */
const accountLike = (v: string, op: Operator) => op.wildcards && /[*?]/.test(v);
const arnLike = (v: string, op: Operator) => {
    if (!op.wildcards) return false;
    const parts = v.split(":");
    if (parts.length < 6) return /[*?]/.test(v);
    // The account pins the owner; without one (S3 buckets), the globally unique name does.
    return /[*?]/.test(parts[4]) || (parts[4] === "" && /[*?]/.test(parts.slice(5).join(":")));
};
const firstSegment = (separator: string) => (v: string, op: Operator) => op.wildcards && /[*?]/.test(v.split(separator)[0]);
export const bindingKeys: Record<string, { open: (value: string, op: Operator) => boolean; alwaysPresent: boolean }> = {
    "aws:principalaccount": { open: accountLike, alwaysPresent: true },
    "aws:principalarn": { open: arnLike, alwaysPresent: true },
    "aws:userid": { open: firstSegment(":"), alwaysPresent: true },
    "aws:principalorgid": { open: accountLike, alwaysPresent: false },
    "aws:principalorgpaths": { open: firstSegment("/"), alwaysPresent: false },
    "aws:sourceaccount": { open: accountLike, alwaysPresent: false },
    "aws:sourceowner": { open: accountLike, alwaysPresent: false },
    "aws:sourcearn": { open: arnLike, alwaysPresent: false },
    "aws:sourceorgid": { open: accountLike, alwaysPresent: false },
    "aws:sourceorgpaths": { open: firstSegment("/"), alwaysPresent: false },
    "aws:sourcevpc": { open: accountLike, alwaysPresent: false },
    "aws:sourcevpce": { open: accountLike, alwaysPresent: false },
    "aws:principalservicename": { open: accountLike, alwaysPresent: false },
    // A fixed address block pins the network, unless it is a large share of the internet.
    "aws:sourceip": { open: (v, op) => op.family !== "Ip" || coversLargeShare([v]), alwaysPresent: false },
    // Web identity federation through a provider anyone can sign in to: the identity pool (Cognito)
    // or the repository (GitHub Actions' subject) pins who it is; GitHub's audience is the same for all.
    "cognito-identity.amazonaws.com:aud": { open: accountLike, alwaysPresent: true },
    "token.actions.githubusercontent.com:sub": { open: firstSegment("/"), alwaysPresent: true },
};

/** Whether a policy value matches every value a key can have (`*` where wildcards apply). */
const matchesEverything = (v: string, op: Operator) => (op.wildcards && /^\*+$/.test(v)) || (op.family === "Ip" && parseCidr(v)?.start === 0n && (parseCidr(v)?.end ?? 0n) >= 1n << 32n);

/**
 * The outcomes of one condition clause (operator, key, its values) for a key in state `state`.
 * `unknownAs`: the outcome an unknown value is taken to give.
 */
export function clause(operator: string, rawValues: unknown, state: KeyState, unknownAs: boolean, key = ""): Outcomes {
    const op = parseOperator(operator);
    const values = [rawValues].flat();
    // A missing key decides without the values (but for Null).
    if (state.kind === "absent" && op.family !== "Null" && op.family !== "Unknown") return only(op.ifExists || op.set === "all" || (op.set !== "any" && op.negated));
    if (state.kind === "free") return BOTH;
    // A value not known yet: taken as unknownAs, but a negated operator without wildcards lets an outsider in whatever it is.
    if (isUnknown(rawValues) || values.some(isUnknown)) return state.kind === "foreign" && op.negated && !op.wildcards ? BOTH : only(unknownAs);
    const policy = values.map(String);
    if (op.family === "Unknown") return BOTH;
    if (op.family === "Null") {
        const wantsAbsent = policy.map((v) => v.toLowerCase() === "true");
        if (state.kind === "absent") return only(wantsAbsent.includes(true));
        return only(wantsAbsent.includes(false));
    }
    switch (state.kind) {
        case "absent":
            return only(op.ifExists || op.set === "all" || (op.set !== "any" && op.negated));
        case "values": {
            const one = (r: string) => (op.negated ? !policy.some((p) => matches(op, p, r)) : policy.some((p) => matches(op, p, r)));
            if (state.values.length === 0) return only(op.set === "all" || op.ifExists || (op.set !== "any" && op.negated));
            return only(op.set === "all" ? state.values.every(one) : state.values.some(one));
        }
        case "foreign": {
            const binding = bindingKeys[key.toLowerCase()];
            const canMatch = binding === undefined || policy.some((p) => binding.open(p, op));
            const matchesAll = policy.some((p) => matchesEverything(p, op));
            return op.negated ? { t: !matchesAll, f: canMatch } : { t: canMatch, f: !matchesAll };
        }
    }
}

/** A request context: the state of each key (lower case); keys not named are free. */
export type Context = Record<string, KeyState>;

/** The outcomes of a statement's whole Condition block in `context` (every clause must hold). */
export function conditionOutcomes(condition: IamStatement["condition"], context: Context, unknownAs: boolean): Outcomes {
    if (isUnknown(condition)) return only(unknownAs);
    let result: Outcomes = { t: true, f: false };
    for (const [operator, byKey] of Object.entries(condition ?? {})) {
        if (isUnknown(byKey)) {
            // Keys not known yet: a negated operator without wildcards, or ...IfExists on a key the request lacks, pins no outsider whatever its keys.
            const op = parseOperator(operator);
            const o = (op.negated && !op.wildcards) || op.ifExists ? BOTH : only(unknownAs);
            result = { t: result.t && o.t, f: result.f || o.f };
            continue;
        }
        for (const [key, values] of Object.entries(byKey ?? {})) {
            const o = clause(operator, values, context[key.toLowerCase()] ?? { kind: "free" }, unknownAs, key);
            result = { t: result.t && o.t, f: result.f || o.f };
        }
    }
    return result;
}

/** Identity providers anyone can sign in to: a role trusting one is open to everyone the provider knows unless a condition pins the pool or the subject. */
const sharedProviders = [/^cognito-identity\.amazonaws\.com$/i, /^accounts\.google\.com$/i, /^graph\.facebook\.com$/i, /^www\.amazon\.com$/i, /oidc-provider\/token\.actions\.githubusercontent\.com$/i];

/** Whether a statement's principal takes in an outsider: `*`, `{"AWS": "*"}` (or any wildcard), NotPrincipal, or a shared identity provider. */
export function principalIsAnyone(s: IamStatement): boolean {
    if (s.notPrincipals !== undefined) return true;
    const p: Principals | undefined = s.principals;
    if (p === undefined) return false;
    return p.anyone || p.aws.some((a) => /[*?]/.test(a)) || (p.other.Federated ?? []).some((f) => sharedProviders.some((r) => r.test(f)));
}

/** The outsider's possible contexts: every combination of present and missing keys the statements name. */
function outsiderWorlds(statements: IamStatement[], anonymous: boolean): Context[] {
    const keys = new Set<string>();
    for (const s of statements) {
        for (const byKey of Object.values(isUnknown(s.condition) ? {} : (s.condition ?? {}))) {
            for (const key of Object.keys(isUnknown(byKey) ? {} : (byKey ?? {}))) {
                if (bindingKeys[key.toLowerCase()] !== undefined) keys.add(key.toLowerCase());
            }
        }
    }
    let worlds: Context[] = [{}];
    for (const key of [...keys].slice(0, 12)) {
        const choices: KeyState[] = bindingKeys[key].alwaysPresent && !anonymous ? [{ kind: "foreign" }] : [{ kind: "foreign" }, { kind: "absent" }];
        worlds = worlds.flatMap((w) => choices.map((c) => ({ ...w, [key]: c })));
    }
    return worlds;
}

/** Whether Deny `d` covers every action and resource Allow `a` grants (an unknown part of `d` is taken to cover). */
function denyCovers(d: IamStatement, a: IamStatement): boolean {
    const everything = (patterns: string[]) => patterns.some((p) => /^\*+$/.test(p));
    const coversAll = (allow: string[], notAllow: string[], deny: string[], notDeny: string[], part: string) => {
        if (d.unknownParts.includes(part)) return true;
        if (notDeny.length > 0) return notAllow.length === 0 && allow.every((x) => !notDeny.some((n) => globMatches(n, x)));
        if (notAllow.length > 0) return everything(deny);
        return allow.every((x) => deny.some((p) => globMatches(p, x)));
    };
    return coversAll(a.actions, a.notActions, d.actions, d.notActions, "Action") && coversAll(a.resources, a.notResources, d.resources, d.notResources, "Resource");
}

/**
 * The Allow statements of a resource policy that let a principal from outside in (see the module
 * comment): `anonymous` for services that take unsigned requests (S3). `relevant` picks the
 * statements whose actions matter (all by default).
 */
export function outsiderAllows(statements: IamStatement[], anonymous: boolean, relevant: (s: IamStatement) => boolean = () => true): IamStatement[] {
    const allows = statements.filter((s) => s.effect === "Allow" && principalIsAnyone(s) && relevant(s));
    if (allows.length === 0) return [];
    const denies = statements.filter((s) => (s.effect === "Deny" || s.unknownParts.includes("Effect")) && (principalIsAnyone(s) || s.unknownParts.includes("Principal")));
    const worlds = outsiderWorlds([...allows, ...denies], anonymous);
    return allows.filter((a) =>
        worlds.some((w) => conditionOutcomes(a.condition, w, false).t && !denies.some((d) => denyCovers(d, a) && !conditionOutcomes(d.condition, w, true).f)),
    );
}

/** Stands for a part of a request's resource not known yet (at preview): any text, `/` included, or none. */
export const unknownPart = "\u0000";
/** Values tried in place of an unknown part to tell whether a pattern surely matches, whatever it is. */
const fills = ["", "\u0000/\u0000\u0000/"];

/** A concrete request to a resource: who sends it (an account, or a service principal), the action, the resource (with unknownPart where it is not known yet) and the context keys known to hold a value or to be missing (the others may hold anything). */
export interface Request {
    account?: string;
    service?: string;
    action: string;
    resource: string;
    context: Context;
}

/** Whether a Principal (or NotPrincipal) element names the request's sender: `*`, its account (id, root ARN in any partition, a pattern matching it), or its service. */
function names(p: Principals | undefined, r: Request): boolean {
    if (p === undefined) return false;
    const account = (a: string) => r.account !== undefined && (a === r.account || /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(a)?.[1] === r.account || (/[*?]/.test(a) && globMatches(a, `arn:aws:iam::${r.account}:root`, true)));
    return p.anyone || p.aws.some(account) || (r.service !== undefined && p.service.includes(r.service));
}

/**
 * Whether a resource policy allows request `r`: an Allow applies to it and no Deny does
 * ("Policy evaluation logic": an explicit Deny wins). An Allow applies if its condition can hold
 * in `r`'s context, a Deny only if it surely does. A part not known yet (at preview), of the
 * policy or of the request's resource, is decided in favour of allowing: it makes an Allow apply
 * and a Deny not. A statement naming no resource applies to the policy's own (ECR's, for one).
 */
export function allowsRequest(statements: IamStatement[], r: Request): boolean {
    const applies = (s: IamStatement, unknownAs: boolean) => {
        // A part with values not known yet: an Allow may apply; a Deny applies only by its known values of a positive element (Principal, Action, Resource).
        const part = (name: string, negated: boolean, known: () => boolean) => (!s.unknownParts.includes(name) ? known() : unknownAs || (!negated && known()));
        const who = part("Principal", s.notPrincipals !== undefined, () => (s.notPrincipals !== undefined ? !names(s.notPrincipals, r) : names(s.principals, r)));
        const what = part("Action", s.notActions.length > 0, () => (s.notActions.length > 0 ? !s.notActions.some((a) => globMatches(a, r.action)) : s.actions.some((a) => globMatches(a, r.action))));
        // An Allow applies if a pattern may match the resource, a Deny if one surely does.
        const maybe = (patterns: string[]) => patterns.some((x) => globsIntersect(x, r.resource.split(unknownPart).join("*"), true));
        const surely = (patterns: string[]) => fills.every((f) => patterns.some((x) => globMatches(x, r.resource.split(unknownPart).join(f), true)));
        const where = part("Resource", s.notResources.length > 0, () => (s.notResources.length > 0 ? !(unknownAs ? surely : maybe)(s.notResources) : (s.resources.length === 0 && !s.unknownParts.includes("Resource")) || (unknownAs ? maybe : surely)(s.resources)));
        const condition = conditionOutcomes(s.condition, r.context, unknownAs);
        return who && what && where && (unknownAs ? condition.t : !condition.f);
    };
    return statements.some((s) => (s.effect === "Allow" || s.unknownParts.includes("Effect")) && applies(s, true)) && !statements.some((s) => s.effect === "Deny" && applies(s, false));
}

/**
 * Whether the statements deny every principal every S3 action on `bucketArn` and its objects for
 * a request over plain HTTP (aws:SecureTransport false, no s3:TlsVersion): a Deny counts only if
 * its condition surely holds for such a request, whatever the other keys (a further condition
 * on a key the requester controls lets requests through). Without `bucketArn` (its name not
 * known yet), a resource not ending in `/*` is taken for the bucket and one ending in `*` for its
 * objects. Parts not known yet are taken to cover.
 */
export function deniesPlainHttp(statements: IamStatement[], bucketArn: string | undefined): boolean {
    const http: Context = { "aws:securetransport": { kind: "values", values: ["false"] }, "s3:tlsversion": { kind: "absent" } };
    const denies = statements.filter(
        (s) =>
            (s.effect === "Deny" || s.unknownParts.includes("Effect")) &&
            ((s.principals?.anyone === true && s.notPrincipals === undefined) || s.unknownParts.includes("Principal")) &&
            !conditionOutcomes(s.condition, http, true).f,
    );
    const everyS3Action = (s: IamStatement) =>
        s.unknownParts.includes("Action") || (s.notActions.length === 0 ? s.actions.some((a) => globMatches(a, "s3:*")) : !s.notActions.some((n) => /^s3:|^[*?]|^s[*?]|^s3[*?]/i.test(n)));
    const covers = (s: IamStatement, arn: string | undefined, objects: boolean) => {
        if (s.unknownParts.includes("Resource")) return true;
        const target = arn === undefined ? undefined : objects ? `${arn}/any-key` : arn;
        const hit = (r: string) => (target === undefined ? (objects ? r.endsWith("*") : !r.endsWith("/*")) : globMatches(r, target, true));
        return s.notResources.length > 0 ? !s.notResources.some(hit) : s.resources.some(hit);
    };
    const full = denies.filter(everyS3Action);
    return full.some((s) => covers(s, bucketArn, false)) && full.some((s) => covers(s, bucketArn, true));
}
