/** AWS WAF: internet-facing load balancers of protected stacks sit behind a web ACL. */
import { StackValidationPolicy } from "@pulumi/policy";
import { isUnknown, ofType, propsOf, refersTo, stackOf } from "./util";

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
            // Unknown values (at preview) count as application / internet-facing: they are judged.
            if (!isUnknown(props.loadBalancerType) && (props.loadBalancerType ?? "application") !== "application") continue;
            if (props.internal === true) continue;
            // At preview the ALB's ARN is unknown: the association's property dependency still names it.
            const protectedBy = associations.filter((a) => refersTo(a, "resourceArn", lb, propsOf(a).resourceArn, props.arn));
            const unknownTarget = associations.some((a) => isUnknown(propsOf(a).resourceArn) && (a.propertyDependencies?.resourceArn ?? []).length === 0);
            if (protectedBy.length === 0 && !unknownTarget) {
                report(`${lb.name}: stack ${stack} is protected, but its internet-facing load balancer has no WAF web ACL; associate one (aws.wafv2.WebAclAssociation, resourceArn: the load balancer's arn).`, lb.urn);
            }
        }
    },
};
