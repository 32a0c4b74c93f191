/** Security groups and their rules, in every shape the AWS provider offers, reduced to one. */
import { PolicyResource, ResourceValidationPolicy } from "@pulumi/policy";
import { cidrWithin, coversLargeShare, isType, isUnknown, list, propsOf, str } from "./util";

export const GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const DEFAULT_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const LEGACY_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

/** One rule of any shape: its direction, protocol, port range and sources (or destinations). */
export interface Rule {
    direction: "ingress" | "egress";
    /** "-1" for every protocol, else the name or number the rule gives; "" when not known yet. */
    protocol: string;
    fromPort: number;
    toPort: number;
    /** IPv4 and IPv6 CIDR blocks. */
    cidrs: string[];
    prefixLists: string[];
    /** Other security groups, by id (those known). */
    groups: string[];
    self: boolean;
    description: unknown;
    /** Whether some part of the rule is not known yet (its known parts are still here). */
    partial: boolean;
}

const allProtocols = (p: string) => p === "-1" || p.toLowerCase() === "all";

function rule(direction: Rule["direction"], r: Record<string, any>, cidrs: unknown[], prefixLists: unknown, groups: unknown[], self: boolean): Rule {
    const protocol = isUnknown(r.protocol ?? r.ipProtocol) ? "" : String(r.protocol ?? r.ipProtocol ?? "-1");
    const every = allProtocols(protocol);
    const port = (v: unknown, fallback: number) => (every || typeof v !== "number" ? fallback : v);
    const values = [...cidrs, ...list(prefixLists), ...groups, r.fromPort, r.toPort];
    return {
        direction,
        protocol: every ? "-1" : protocol,
        fromPort: port(r.fromPort, 0),
        toPort: port(r.toPort, 65535),
        cidrs: cidrs.map(str).filter((c): c is string => c !== undefined),
        prefixLists: list(prefixLists).map(str).filter((c): c is string => c !== undefined),
        groups: groups.map(str).filter((c): c is string => c !== undefined),
        self,
        description: r.description,
        partial: protocol === "" || values.some(isUnknown),
    };
}

/** Every rule a resource declares, whichever shape it has: inline on a group (or the VPC's default group), a legacy rule, or a VPC rule. */
export function rulesOf(type: string, props: Record<string, any>): Rule[] {
    if (isType(type, INGRESS_RULE) || isType(type, EGRESS_RULE)) {
        const direction = isType(type, INGRESS_RULE) ? "ingress" : "egress";
        return [rule(direction, props, [props.cidrIpv4, props.cidrIpv6].filter((c) => c !== undefined), props.prefixListId, [props.referencedSecurityGroupId].filter((g) => g !== undefined), false)];
    }
    const inline = (direction: Rule["direction"], r: Record<string, any>) =>
        rule(direction, r, [...list(r.cidrBlocks), ...list(r.ipv6CidrBlocks)], r.prefixListIds, list(r.securityGroups), r.self === true);
    if (isType(type, LEGACY_RULE)) {
        const direction = props.type === "egress" ? "egress" : "ingress";
        return [{ ...inline(direction, props), groups: [str(props.sourceSecurityGroupId)].filter((g): g is string => g !== undefined), partial: inline(direction, props).partial || isUnknown(props.type) }];
    }
    if (isType(type, GROUP) || isType(type, DEFAULT_GROUP)) {
        const of = (direction: Rule["direction"], value: unknown): Rule[] =>
            isUnknown(value) ? [] : list(value).flatMap((r) => (isUnknown(r) || typeof r !== "object" || r === null ? [] : [inline(direction, r as Record<string, any>)]));
        return [...of("ingress", props.ingress), ...of("egress", props.egress)];
    }
    return [];
}

/** The rules of a resource (see rulesOf). */
export function rulesOfResource(r: PolicyResource): Rule[] {
    return rulesOf(r.type, propsOf(r));
}

const portsText = (r: Rule) => (r.protocol === "-1" ? "every protocol and port" : r.fromPort === r.toPort ? `port ${r.fromPort}` : `ports ${r.fromPort}-${r.toPort}`);

export const noWorldIngress: ResourceValidationPolicy = {
    name: "sg-no-world-ingress",
    description:
        "No ingress open to the internet (sources whose union covers 0.0.0.0/0, ::/0 or a large share: a /8 of public IPv4 or a /32 of public IPv6) except TCP on the load balancer's listener ports (config publicPorts); with allowedIngressCidrs set, every other CIDR source lies within them. Every rule shape: inline (also on the default group), legacy and VPC rules, IPv4 and IPv6, protocol -1 as every port.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            publicPorts: { type: "array", items: { type: "integer" }, default: [80, 443] },
            allowedIngressCidrs: { type: "array", items: { type: "string" }, default: [] },
        },
    },
    validateResource: (args, report) => {
        const { publicPorts, allowedIngressCidrs } = args.getConfig<{ publicPorts: number[]; allowedIngressCidrs: string[] }>();
        const ingress = rulesOf(args.type, propsOf(args)).filter((r) => r.direction === "ingress");
        // TCP (or a protocol not known yet) on listener ports only.
        const publicPort = (r: Rule) =>
            ["tcp", "6", ""].includes(r.protocol.toLowerCase()) && r.fromPort <= r.toPort && r.toPort - r.fromPort < publicPorts.length && Array.from({ length: r.toPort - r.fromPort + 1 }, (_, i) => r.fromPort + i).every((p) => publicPorts.includes(p));
        for (const r of ingress) {
            if (coversLargeShare(r.cidrs) && !publicPort(r)) {
                report(`ingress from ${r.cidrs.join(", ")} on ${portsText(r)}: that is the internet or a large share of it; only TCP ports ${publicPorts.join(", ")} may be open to it.`);
            } else if (!coversLargeShare(r.cidrs) && allowedIngressCidrs.length > 0) {
                for (const cidr of r.cidrs.filter((c) => !allowedIngressCidrs.some((a) => cidrWithin(c, a)))) {
                    report(`ingress from ${cidr} on ${portsText(r)}: not within the allowed CIDRs (${allowedIngressCidrs.join(", ")}).`);
                }
            }
        }
        // Blocks split over the rules of one group (e.g. 0.0.0.0/1 and 128.0.0.0/1) on the same ports.
        const closed = ingress.filter((r) => !coversLargeShare(r.cidrs) && !publicPort(r));
        for (const r of closed) {
            const overlapping = closed.filter((o) => (o.protocol === r.protocol || o.protocol === "-1") && o.fromPort <= r.toPort && o.toPort >= r.fromPort);
            if (overlapping[0] === r && overlapping.length > 1 && coversLargeShare(overlapping.flatMap((o) => o.cidrs))) {
                report(`ingress rules on ${portsText(r)} together admit ${overlapping.flatMap((o) => o.cidrs).join(", ")}: that is the internet or a large share of it.`);
            }
        }
    },
};

export const defaultGroupClosed: ResourceValidationPolicy = {
    name: "sg-default-group-closed",
    description: "The VPC's default security group has no rules (resources that forget a group get no access through it).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!isType(args.type, DEFAULT_GROUP)) return;
        for (const r of rulesOf(args.type, propsOf(args))) {
            report(`the default security group has an ${r.direction} rule on ${portsText(r)}: leave it without rules and give each resource its own group.`);
        }
    },
};

export const described: ResourceValidationPolicy = {
    name: "sg-descriptions",
    description: "Every security group and every rule (inline ones too) says what it is for.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const props = propsOf(args);
        const missing = (d: unknown) => !isUnknown(d) && (typeof d !== "string" || d.trim() === "" || d === "Managed by Pulumi" || d === "Managed by Terraform");
        if ([GROUP, INGRESS_RULE, EGRESS_RULE, LEGACY_RULE].some((t) => isType(args.type, t)) && missing(props.description)) {
            report("no description: say what the group or rule is for.");
        }
        if (isType(args.type, GROUP) || isType(args.type, DEFAULT_GROUP)) {
            for (const r of rulesOf(args.type, props).filter((x) => missing(x.description))) {
                report(`an inline ${r.direction} rule (${portsText(r)}) has no description.`);
            }
        }
    },
};
