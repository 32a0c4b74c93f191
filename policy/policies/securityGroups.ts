/** Security groups and their rules, in every shape the AWS provider offers, reduced to one. */
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { cidrWithin, coversLargeShare, isType, isUnknown, list, ofType, propsOf, refersTo, str } from "./util";

export const GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const DEFAULT_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
export const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
export const LEGACY_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

/** One rule of any shape: its direction, protocol, port range and sources (or destinations). */
export interface Rule {
    direction: "ingress" | "egress";
    /** "-1" for every protocol, else its name (tcp, udp, icmp, icmpv6: the numbers 6, 17, 1 and 58 are read as these) or the number of another protocol; "" when not known yet. */
    protocol: string;
    /** The ports admitted (every one for protocol -1 and for a protocol number other than tcp, udp and the ICMPs, as EC2 reads them); for ICMP, the type (every one for -1). */
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
    /** Whether the ports are not known yet (fromPort and toPort then span every port). */
    portsUnknown: boolean;
    /** Whether some address block or prefix list is there but not known yet. */
    sourcesUnknown: boolean;
}

const allProtocols = (p: string) => p === "-1" || p === "all";

/**
 * The protocols EC2 names, by number: a rule may give either ("IpProtocol: the IP protocol name
 * (tcp, udp, icmp, icmpv6) or number", EC2 API Reference, IpPermission), and `6` admits what
 * `tcp` does.
 */
const protocolNames: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

function rule(direction: Rule["direction"], r: Record<string, any>, cidrs: unknown[], prefixLists: unknown, groups: unknown[], self: boolean): Rule {
    const given = isUnknown(r.protocol ?? r.ipProtocol) ? "" : String(r.protocol ?? r.ipProtocol ?? "-1").toLowerCase();
    const protocol = protocolNames[given] ?? given;
    const every = allProtocols(protocol);
    // "Specifying -1 or a protocol number other than tcp, udp, icmp, or icmpv6 allows traffic on all ports, regardless of any port range you specify" (EC2 API Reference, IpPermission).
    const allPorts = every || !["tcp", "udp", "icmp", "icmpv6", ""].includes(protocol);
    // ICMP: fromPort is the type and toPort the code, -1 for every one (the provider's from_port and to_port).
    const icmpType = protocol.startsWith("icmp") && typeof r.fromPort === "number" ? r.fromPort : undefined;
    const port = (v: unknown, fallback: number) => (allPorts || typeof v !== "number" ? fallback : v);
    const values = [...cidrs, ...list(prefixLists), ...groups, r.fromPort, r.toPort];
    return {
        direction,
        protocol: every ? "-1" : protocol,
        fromPort: icmpType === undefined ? port(r.fromPort, 0) : Math.max(icmpType, 0),
        toPort: icmpType === undefined ? port(r.toPort, 65535) : icmpType < 0 ? 255 : icmpType,
        cidrs: cidrs.map(str).filter((c): c is string => c !== undefined),
        prefixLists: list(prefixLists).map(str).filter((c): c is string => c !== undefined),
        groups: groups.map(str).filter((c): c is string => c !== undefined),
        self,
        description: r.description,
        partial: protocol === "" || values.some(isUnknown),
        portsUnknown: !every && (isUnknown(r.fromPort) || isUnknown(r.toPort)),
        sourcesUnknown: [...cidrs, ...list(prefixLists)].some(isUnknown),
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

const portsText = (r: Pick<Rule, "protocol" | "fromPort" | "toPort">) => {
    if (r.protocol === "-1") return "every protocol and port";
    const what = r.protocol.startsWith("icmp") ? `${r.protocol} type` : "port";
    return r.fromPort === r.toPort ? `${what} ${r.fromPort}` : `${what}s ${r.fromPort}-${r.toPort}`;
};

/**
 * The stretches of ports, protocol by protocol, that two or more of `rules` admit together, with
 * those rules: the union of sources can change only where a rule's range starts or ends. A rule
 * of every protocol (-1) counts for each protocol; one whose protocol is not known yet, for none
 * but its own.
 */
export function sharedStretches<T extends { rule: Rule }>(rules: T[]): { protocol: string; fromPort: number; toPort: number; rules: T[] }[] {
    const protocols = [...new Set(rules.map((x) => x.rule.protocol).filter((p) => p !== "-1"))];
    return (protocols.length > 0 ? protocols : ["-1"]).flatMap((protocol) => {
        const own = rules.filter((x) => x.rule.protocol === protocol || x.rule.protocol === "-1");
        const edges = [...new Set(own.flatMap((x) => [x.rule.fromPort, x.rule.toPort + 1]))].sort((a, b) => a - b);
        return edges
            .slice(0, -1)
            .map((fromPort, i) => ({ protocol, fromPort, toPort: edges[i + 1] - 1, rules: own.filter((x) => x.rule.fromPort <= fromPort && fromPort <= x.rule.toPort) }))
            .filter((stretch) => stretch.rules.length > 1);
    });
}

/** The rules of one security group, from every resource that declares them, and whether it may take the public ports. */
interface GroupRules {
    /** The group's resource (undefined for a group outside the stack, or one a rule names by a value not known yet). */
    group?: PolicyResource;
    rules: { rule: Rule; resource: PolicyResource }[];
    /** Whether the group may admit the internet on the public ports: a load balancer's own group, or one outside the stack (not judged here). */
    publicPortsAllowed: boolean;
}

/** Every security group's ingress, gathered from inline rules and from rule resources (matched by dependency or by id). */
export function ingressByGroup(resources: PolicyResource[]): GroupRules[] {
    const groups = [GROUP, DEFAULT_GROUP].flatMap((t) => ofType(resources, t));
    const lbGroups = new Set(ofType(resources, "aws:lb/loadBalancer:LoadBalancer").flatMap((lb) => groups.filter((g) => refersTo(lb, "securityGroups", g) || list(propsOf(lb).securityGroups).some((id) => str(id) !== undefined && str(id) === str(propsOf(g).id)))));
    const byKey = new Map<string, GroupRules>();
    const entry = (key: string, group: PolicyResource | undefined) => {
        if (!byKey.has(key)) byKey.set(key, { group, rules: [], publicPortsAllowed: group === undefined || lbGroups.has(group) });
        return byKey.get(key)!;
    };
    for (const g of groups) {
        entry(g.urn, g).rules.push(...rulesOfResource(g).filter((r) => r.direction === "ingress").map((rule) => ({ rule, resource: g })));
    }
    for (const r of [INGRESS_RULE, LEGACY_RULE].flatMap((t) => ofType(resources, t))) {
        const id = propsOf(r).securityGroupId;
        const owner = groups.find((g) => refersTo(r, "securityGroupId", g, id, propsOf(g).id));
        const key = owner?.urn ?? (str(id) !== undefined ? `id:${str(id)}` : r.urn);
        entry(key, owner).rules.push(...rulesOfResource(r).filter((x) => x.direction === "ingress").map((rule) => ({ rule, resource: r })));
    }
    return [...byKey.values()];
}

export const noWorldIngress: StackValidationPolicy = {
    name: "sg-no-world-ingress",
    description:
        "No security group admits the internet (sources whose union, over all the group's rules in every shape, inline and separate, covers 0.0.0.0/0, ::/0 or a large share: a /8 of public IPv4 or a /32 of public IPv6), except TCP on the load balancer's listener ports (config publicPorts) into a load balancer's own group; with allowedIngressCidrs set, every other CIDR source lies within them. Protocol -1 counts as every port.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            publicPorts: { type: "array", items: { type: "integer" }, default: [80, 443] },
            allowedIngressCidrs: { type: "array", items: { type: "string" }, default: [] },
        },
    },
    validateStack: (args, report) => {
        const { publicPorts, allowedIngressCidrs } = args.getConfig<{ publicPorts: number[]; allowedIngressCidrs: string[] }>();
        for (const { group, rules, publicPortsAllowed } of ingressByGroup(args.resources)) {
            // TCP (or a protocol not known yet) on listener ports only (ports not known yet may be those), into a group that may take them.
            const publicPort = (r: Rule) =>
                publicPortsAllowed &&
                ["tcp", ""].includes(r.protocol) &&
                (r.portsUnknown || (r.fromPort <= r.toPort && r.toPort - r.fromPort < publicPorts.length && Array.from({ length: r.toPort - r.fromPort + 1 }, (_, i) => r.fromPort + i).every((p) => publicPorts.includes(p))));
            const where = group === undefined ? "" : ` (group ${group.name}${publicPortsAllowed ? "" : ", not a load balancer's"})`;
            for (const { rule: r, resource } of rules) {
                if (coversLargeShare(r.cidrs) && !publicPort(r)) {
                    report(`${resource.name}: ingress from ${r.cidrs.join(", ")} on ${portsText(r)}${where}: that is the internet or a large share of it; only TCP ports ${publicPorts.join(", ")} of a load balancer's group may be open to it.`, resource.urn);
                } else if (!coversLargeShare(r.cidrs) && allowedIngressCidrs.length > 0) {
                    for (const cidr of r.cidrs.filter((c) => !allowedIngressCidrs.some((a) => cidrWithin(c, a)))) {
                        report(`${resource.name}: ingress from ${cidr} on ${portsText(r)}: not within the allowed CIDRs (${allowedIngressCidrs.join(", ")}).`, resource.urn);
                    }
                }
            }
            // Blocks split over the group's rules (e.g. 0.0.0.0/1 and 128.0.0.0/1, or two /9s in two rule resources) that reach the same ports
            // (a rule whose ports are not known yet may share none: the update judges it).
            const closed = rules.filter(({ rule: r }) => !coversLargeShare(r.cidrs) && !publicPort(r) && !r.portsUnknown);
            const reported = new Set<string>();
            for (const stretch of sharedStretches(closed)) {
                const cidrs = stretch.rules.flatMap((x) => x.rule.cidrs);
                const which = stretch.rules.map((x) => closed.indexOf(x)).join();
                if (!coversLargeShare(cidrs) || reported.has(which)) continue;
                reported.add(which);
                const { resource } = stretch.rules[0];
                report(`${resource.name}: ingress rules${where} on ${portsText(stretch)} together admit ${cidrs.join(", ")}: that is the internet or a large share of it.`, resource.urn);
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
