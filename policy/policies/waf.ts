/** AWS WAF: internet-facing load balancers of protected stacks sit behind a web ACL. */
import { StackValidationPolicy } from "@pulumi/policy";
import { maxWafRateLimit } from "../../lib/scaling";
import { isUnknown, list, ofType, parseJson, propsOf, refersTo, stackOf } from "./util";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";

export const albWaf: StackValidationPolicy = {
    name: "alb-waf",
    description: "Internet-facing Application Load Balancers of protected stacks (config protectedStacks, default prod) are associated with a WAF web ACL (a WebAclAssociation of the stack).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { protectedStacks: { type: "array", items: { type: "string" }, default: ["prod"] } } },
    validateStack: (args, report) => {
        const { protectedStacks } = args.getConfig<{ protectedStacks: string[] }>();
        const associations = ofType(args.resources, ASSOCIATION);
        for (const lb of ofType(args.resources, LB)) {
            const props = propsOf(lb);
            const stack = stackOf(lb.urn);
            if (!protectedStacks.includes(stack)) continue;
            // Only application load balancers take a web ACL; an internal one is not on the internet.
            // A type or scheme not known yet (at preview) may be one without a web ACL: the update judges it.
            if (isUnknown(props.loadBalancerType) || (props.loadBalancerType ?? "application") !== "application") continue;
            if (props.internal === true || isUnknown(props.internal)) continue;
            // At preview the ALB's ARN is unknown: the association's property dependency still names it.
            const protectedBy = associations.filter((a) => refersTo(a, "resourceArn", lb, propsOf(a).resourceArn, props.arn));
            // An association naming no resource of the stack may name this one, if the ARN of either is not known yet.
            const unknownTarget = associations.some((a) => (isUnknown(propsOf(a).resourceArn) || isUnknown(props.arn)) && (a.propertyDependencies?.resourceArn ?? []).length === 0);
            if (protectedBy.length === 0 && !unknownTarget) {
                report(`${lb.name}: stack ${stack} is protected, but its internet-facing load balancer has no WAF web ACL; associate one (aws.wafv2.WebAclAssociation, resourceArn: the load balancer's arn).`, lb.urn);
            }
        }
    },
};

/** A value of `o` by key, whatever the case (the provider's rules are camelCase; ruleJson is the API's PascalCase). */
const get = (o: any, key: string): any => (o === null || typeof o !== "object" || isUnknown(o) ? undefined : o[Object.keys(o).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key]);

/** One rule of a web ACL, from any of its shapes: what it does, and its rate limit per 5 minutes if rate-based. */
interface AclRule {
    name: string;
    /** "block", "count", "allow", "captcha", "challenge", "none" (a rule group applying its own actions), or "" when not known yet. */
    action: string;
    /** Requests per client per 5 minutes; undefined for other rules, NaN when not known yet. */
    ratePer5Min?: number;
}

function aclRule(r: any): AclRule {
    const name = String(get(r, "name") ?? get(r, "ruleName") ?? "(unnamed)");
    const action = get(r, "action") ?? get(r, "overrideAction");
    const kind = typeof action === "string" ? action.toLowerCase() : isUnknown(action) ? "" : (Object.keys(action ?? {})[0]?.toLowerCase() ?? "none");
    if (isUnknown(get(r, "statement"))) return { name, action: kind, ratePer5Min: NaN };
    const rate = get(get(r, "statement"), "rateBasedStatement");
    if (rate === undefined) return { name, action: kind };
    const limit = get(rate, "limit");
    const window = get(rate, "evaluationWindowSec") ?? 300;
    return { name, action: kind, ratePer5Min: isUnknown(limit) || isUnknown(window) ? NaN : (Number(limit) * 300) / Number(window) };
}

export const webAclRules: StackValidationPolicy = {
    name: "waf-web-acl-rules",
    description:
        "Every WAF web ACL (its rules, ruleJson, and the WebAclRule and WebAclRuleGroupAssociation resources of the stack attached to it) blocks a client over a rate limit (a rate-based rule whose action is block, at most config maxRateLimit requests per 5 minutes), and puts no rule or rule group in count mode (count single rules of a group with ruleActionOverrides).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { maxRateLimit: { type: "integer", default: maxWafRateLimit } } },
    validateStack: (args, report) => {
        const { maxRateLimit } = args.getConfig<{ maxRateLimit: number }>();
        const attached = [...ofType(args.resources, "aws:wafv2/webAclRule:WebAclRule"), ...ofType(args.resources, "aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation")];
        for (const acl of ofType(args.resources, "aws:wafv2/webAcl:WebAcl")) {
            const props = propsOf(acl);
            const json = parseJson<any[]>(props.ruleJson);
            const own = attached.filter((r) => refersTo(r, "webAclArn", acl, propsOf(r).webAclArn, props.arn));
            const rules = [...(isUnknown(props.rules) ? [] : list(props.rules)), ...(isUnknown(json) ? [] : list(json)), ...own.map(propsOf)].filter((r) => !isUnknown(r)).map(aclRule);
            for (const r of rules.filter((x) => x.action === "count")) {
                report(`${acl.name}: the rule ${r.name} is in count mode: it blocks nothing; let it block (count single rules of a rule group with ruleActionOverrides).`, acl.urn);
            }
            const limiting = rules.filter((r) => r.ratePer5Min !== undefined && ["block", ""].includes(r.action));
            // Rules not known yet (at preview) may hold the rate rule.
            if (isUnknown(props.rules) || isUnknown(json) || [...list(props.rules), ...list(json)].some(isUnknown) || limiting.some((r) => Number.isNaN(r.ratePer5Min))) continue;
            if (!limiting.some((r) => r.ratePer5Min! <= maxRateLimit)) {
                const found = limiting.map((r) => `${r.name}: ${r.ratePer5Min} per 5 minutes`).join(", ");
                report(`${acl.name}: no rate-based rule blocks a client above ${maxRateLimit} requests per 5 minutes${found ? ` (${found})` : ""}: one client could flood the service (and buy tasks).`, acl.urn);
            }
        }
    },
};
