/** Security groups and their rules, in the three shapes the AWS provider offers. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isWorld } from "./util";

const GROUP = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const LEGACY_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

/** An ingress rule reduced to what these policies read. */
interface Ingress {
    fromPort: number;
    toPort: number;
    cidrs: string[];
    description?: string;
}

/** Every ingress rule a resource declares, whichever shape it has. */
function ingressRules(type: string, props: Record<string, any>): Ingress[] {
    if (type === INGRESS_RULE) {
        return [{ fromPort: props.fromPort ?? 0, toPort: props.toPort ?? 65535, cidrs: [props.cidrIpv4, props.cidrIpv6].filter(Boolean), description: props.description }];
    }
    const rule = (r: any): Ingress => ({ fromPort: r.fromPort ?? 0, toPort: r.toPort ?? 65535, cidrs: [...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? [])], description: r.description });
    if (type === LEGACY_RULE && props.type === "ingress") {
        return [rule(props)];
    }
    if (type === GROUP) {
        return (props.ingress ?? []).map(rule);
    }
    return [];
}

export const noWorldIngress: ResourceValidationPolicy = {
    name: "sg-no-world-ingress",
    description: "No ingress from 0.0.0.0/0 or ::/0 except on the load balancer's listener ports (config publicPorts); with allowedIngressCidrs set, other CIDR sources must be among them.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            publicPorts: { type: "array", items: { type: "integer" }, default: [80, 443] },
            allowedIngressCidrs: { type: "array", items: { type: "string" }, default: [] },
        },
    },
    validateResource: (args, report) => {
        const { publicPorts, allowedIngressCidrs } = args.getConfig<{ publicPorts: number[]; allowedIngressCidrs: string[] }>();
        for (const rule of ingressRules(args.type, args.props)) {
            for (const cidr of rule.cidrs) {
                const ports = rule.fromPort === rule.toPort ? `port ${rule.fromPort}` : `ports ${rule.fromPort}-${rule.toPort}`;
                if (isWorld(cidr) && !(rule.fromPort === rule.toPort && publicPorts.includes(rule.fromPort))) {
                    report(`ingress from ${cidr} on ${ports}: only ports ${publicPorts.join(", ")} may be open to the world.`);
                } else if (!isWorld(cidr) && allowedIngressCidrs.length > 0 && !allowedIngressCidrs.includes(cidr)) {
                    report(`ingress from ${cidr} on ${ports}: not among the allowed CIDRs (${allowedIngressCidrs.join(", ")}).`);
                }
            }
        }
    },
};

export const described: ResourceValidationPolicy = {
    name: "sg-descriptions",
    description: "Every security group and every rule says what it is for.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const missing = (d: unknown) => typeof d !== "string" || d.trim() === "" || d === "Managed by Pulumi" || d === "Managed by Terraform";
        if ([GROUP, INGRESS_RULE, EGRESS_RULE, LEGACY_RULE].includes(args.type) && missing(args.props.description)) {
            report("no description: say what the group or rule is for.");
        }
        if (args.type === GROUP) {
            for (const rule of [...(args.props.ingress ?? []), ...(args.props.egress ?? [])]) {
                if (missing(rule.description)) report(`an inline rule (ports ${rule.fromPort}-${rule.toPort}) has no description.`);
            }
        }
    },
};
