/** Application Load Balancers and their listeners (the `aws:lb/*` types and their `aws:alb/*` aliases). */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isType, isUnknown, list, ofType, propsOf, refersTo, stackOf, str } from "./util";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const LISTENER_RULE = "aws:lb/listenerRule:ListenerRule";

/**
 * AWS's predefined security policies for Application Load Balancers, by the oldest and newest
 * TLS protocol each allows. From "Security policies for your Application Load Balancer" (Elastic
 * Load Balancing user guide, docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html).
 * A name missing here is not judged by its name: it is reported as unknown to the pack.
 */
export const sslPolicies: Record<string, { min: number; max: number }> = {
    // TLS 1.3 policies
    "ELBSecurityPolicy-TLS13-1-2-2021-06": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-1-2021-06": { min: 1.1, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-0-2021-06": { min: 1.0, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-3-2021-06": { min: 1.3, max: 1.3 },
    // FIPS
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04": { min: 1.3, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04": { min: 1.1, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04": { min: 1.0, max: 1.3 },
    // Post-quantum (2025-09)
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09": { min: 1.3, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09": { min: 1.2, max: 1.3 },
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09": { min: 1.3, max: 1.3 },
    // Policies without TLS 1.3
    "ELBSecurityPolicy-2016-08": { min: 1.0, max: 1.2 },
    "ELBSecurityPolicy-2015-05": { min: 1.0, max: 1.2 },
    "ELBSecurityPolicy-TLS-1-0-2015-04": { min: 1.0, max: 1.2 },
    "ELBSecurityPolicy-TLS-1-1-2017-01": { min: 1.1, max: 1.2 },
    "ELBSecurityPolicy-TLS-1-2-2017-01": { min: 1.2, max: 1.2 },
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06": { min: 1.2, max: 1.2 },
    "ELBSecurityPolicy-FS-2018-06": { min: 1.0, max: 1.2 },
    "ELBSecurityPolicy-FS-1-1-2019-08": { min: 1.1, max: 1.2 },
    "ELBSecurityPolicy-FS-1-2-2019-08": { min: 1.2, max: 1.2 },
    "ELBSecurityPolicy-FS-1-2-Res-2019-08": { min: 1.2, max: 1.2 },
    "ELBSecurityPolicy-FS-1-2-Res-2020-10": { min: 1.2, max: 1.2 },
};

/** The policy AWS applies to an HTTPS listener created through the API without one. */
const apiDefaultSslPolicy = "ELBSecurityPolicy-2016-08";

/** Whether a listener action sends the request on to HTTPS by a redirect. */
const redirectsToHttps = (a: any) => isUnknown(a) || ((a?.type === "redirect" || isUnknown(a?.type)) && (isUnknown(a.redirect) || a.redirect?.protocol === "HTTPS" || isUnknown(a.redirect?.protocol)));

export const httpRedirectsToHttps: StackValidationPolicy = {
    name: "alb-http-redirects-to-https",
    description: "Where a load balancer has an HTTPS listener, its HTTP listeners only redirect to HTTPS: their default actions and every listener rule attached to them.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const listeners = ofType(args.resources, LISTENER);
        const rules = ofType(args.resources, LISTENER_RULE);
        for (const lb of ofType(args.resources, LB)) {
            const own = listeners.filter((l) => refersTo(l, "loadBalancerArn", lb, propsOf(l).loadBalancerArn, propsOf(lb).arn));
            if (!own.some((l) => propsOf(l).protocol === "HTTPS")) continue;
            for (const http of own.filter((l) => propsOf(l).protocol === "HTTP")) {
                if (!list(propsOf(http).defaultActions).every(redirectsToHttps)) {
                    report(`${http.name}: HTTP listener of ${lb.name}, which serves HTTPS, does not redirect to HTTPS.`, http.urn);
                }
                for (const rule of rules.filter((r) => refersTo(r, "listenerArn", http, propsOf(r).listenerArn, propsOf(http).arn))) {
                    if (!list(propsOf(rule).actions).every(redirectsToHttps)) {
                        report(`${rule.name}: a rule on ${http.name}, the HTTP listener of ${lb.name}, which serves HTTPS, does something other than redirect to HTTPS.`, rule.urn);
                    }
                }
            }
        }
    },
};

export const tls13: ResourceValidationPolicy = {
    name: "alb-https-tls13",
    description: "HTTPS listeners use an AWS security policy that allows TLS 1.3 and nothing older than TLS 1.2, judged by the protocols each predefined policy allows (not by its name).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const props = propsOf(args);
        if (!isType(args.type, LISTENER) || !["HTTPS", "TLS"].includes(props.protocol) || isUnknown(props.sslPolicy)) return;
        const name = str(props.sslPolicy) ?? apiDefaultSslPolicy;
        const protocols = sslPolicies[name];
        const shown = props.sslPolicy === undefined ? `unset (AWS applies ${apiDefaultSslPolicy})` : name;
        if (protocols === undefined) {
            report(`sslPolicy is ${shown}, which is not one of AWS's predefined policies known to this pack: use ELBSecurityPolicy-TLS13-1-2-2021-06.`);
        } else if (protocols.max < 1.3 || protocols.min < 1.2) {
            const allows = `TLS ${protocols.min.toFixed(1)} to ${protocols.max.toFixed(1)}`;
            report(`sslPolicy is ${shown}, which allows ${allows}: use a policy allowing only TLS 1.2 and 1.3, such as ELBSecurityPolicy-TLS13-1-2-2021-06.`);
        }
    },
};

export const dropInvalidHeaders: ResourceValidationPolicy = {
    name: "alb-drop-invalid-headers",
    description: "Application Load Balancers drop HTTP headers with invalid fields (request smuggling defence).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const props = propsOf(args);
        const application = (props.loadBalancerType ?? "application") === "application";
        if (isType(args.type, LB) && application && props.dropInvalidHeaderFields !== true && !isUnknown(props.dropInvalidHeaderFields)) {
            report("dropInvalidHeaderFields is off: set it to true.");
        }
    },
};

export const deletionProtection: ResourceValidationPolicy = {
    name: "alb-deletion-protection",
    description: "Load balancers of protected stacks (config protectedStacks, default prod) have deletion protection.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { protectedStacks: { type: "array", items: { type: "string" }, default: ["prod"] } } },
    validateResource: (args, report) => {
        if (!isType(args.type, LB)) return;
        const { protectedStacks } = args.getConfig<{ protectedStacks: string[] }>();
        const stack = stackOf(args.urn);
        const protection = propsOf(args).enableDeletionProtection;
        if (protectedStacks.includes(stack) && protection !== true && !isUnknown(protection)) {
            report(`stack ${stack} is protected, but enableDeletionProtection is off.`);
        }
    },
};
