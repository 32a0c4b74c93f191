/** Application Load Balancers and their listeners. */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ofType, refersTo, stackOf } from "./util";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";

export const httpRedirectsToHttps: StackValidationPolicy = {
    name: "alb-http-redirects-to-https",
    description: "Where a load balancer has an HTTPS listener, its HTTP listeners only redirect to HTTPS.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const listeners = ofType(args.resources, LISTENER);
        for (const lb of ofType(args.resources, LB)) {
            const own = listeners.filter((l) => refersTo(l, "loadBalancerArn", lb, l.props.loadBalancerArn, lb.props.arn));
            if (!own.some((l) => l.props.protocol === "HTTPS")) continue;
            for (const http of own.filter((l) => l.props.protocol === "HTTP")) {
                const redirects = (http.props.defaultActions ?? []).every((a: any) => a.type === "redirect" && a.redirect?.protocol === "HTTPS");
                if (!redirects) {
                    report(`${http.name}: HTTP listener of ${lb.name}, which serves HTTPS, does not redirect to HTTPS.`, http.urn);
                }
            }
        }
    },
};

export const tls13: ResourceValidationPolicy = {
    name: "alb-https-tls13",
    description: "HTTPS listeners use a TLS 1.3 security policy.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type === LISTENER && args.props.protocol === "HTTPS" && !/TLS13/.test(String(args.props.sslPolicy ?? ""))) {
            report(`sslPolicy is ${args.props.sslPolicy ?? "AWS's default"}: use a TLS 1.3 policy such as ELBSecurityPolicy-TLS13-1-2-2021-06.`);
        }
    },
};

export const dropInvalidHeaders: ResourceValidationPolicy = {
    name: "alb-drop-invalid-headers",
    description: "Application Load Balancers drop HTTP headers with invalid fields (request smuggling defence).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const application = (args.props.loadBalancerType ?? "application") === "application";
        if (args.type === LB && application && args.props.dropInvalidHeaderFields !== true) {
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
        if (args.type !== LB) return;
        const { protectedStacks } = args.getConfig<{ protectedStacks: string[] }>();
        const stack = stackOf(args.urn);
        if (protectedStacks.includes(stack) && args.props.enableDeletionProtection !== true) {
            report(`stack ${stack} is protected, but enableDeletionProtection is off.`);
        }
    },
};
