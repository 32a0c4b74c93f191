/** The load-balanced service as a whole. */
import { StackValidationPolicy } from "@pulumi/policy";
import { GROUP, rulesOfResource } from "./securityGroups";
import { isType, isUnknown, list, ofType, propsOf, refersTo, str } from "./util";

export const targetGroupForwarded: StackValidationPolicy = {
    name: "service-target-group-has-listener",
    description: "The target group of every ECS service is forwarded to by a listener (else AWS refuses the service, or it gets no traffic).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const listeners = [...ofType(args.resources, "aws:lb/listener:Listener"), ...ofType(args.resources, "aws:lb/listenerRule:ListenerRule")];
        const groups = ofType(args.resources, "aws:lb/targetGroup:TargetGroup");
        for (const service of ofType(args.resources, "aws:ecs/service:Service")) {
            for (const group of groups.filter((g) => refersTo(service, "loadBalancers", g))) {
                const forwarded = listeners.some((l) => {
                    const prop = l.type.endsWith(":ListenerRule") ? "actions" : "defaultActions";
                    const actions = propsOf(l)[prop];
                    return refersTo(l, prop, group) && (isUnknown(actions) || list(actions).some((a: any) => isUnknown(a) || isUnknown(a?.type) || a?.type === "forward"));
                });
                if (!forwarded) report(`${service.name}: no listener forwards to its target group ${group.name}.`, service.urn);
            }
        }
    },
};

export const tasksOnlyFromLoadBalancer: StackValidationPolicy = {
    name: "service-tasks-only-from-alb",
    description:
        "The tasks' security groups admit traffic only from the load balancer's security group: no CIDR block, prefix list, other group or self rule, in any rule shape (VPC rules, legacy rules, inline rules).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const groups = ofType(args.resources, GROUP);
        const lbGroups = ofType(args.resources, "aws:lb/loadBalancer:LoadBalancer").flatMap((lb) => groups.filter((g) => refersTo(lb, "securityGroups", g)));
        const lbGroupIds = new Set(lbGroups.map((g) => str(propsOf(g).id)).filter((id) => id !== undefined));
        const ruleResources = [
            ...ofType(args.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
            ...ofType(args.resources, "aws:ec2/securityGroupRule:SecurityGroupRule"),
        ];
        for (const service of ofType(args.resources, "aws:ecs/service:Service")) {
            for (const group of groups.filter((g) => refersTo(service, "networkConfiguration", g))) {
                const owned = ruleResources.filter((r) => refersTo(r, "securityGroupId", group, propsOf(r).securityGroupId, propsOf(group).id));
                for (const resource of [group, ...owned]) {
                    for (const rule of rulesOfResource(resource).filter((r) => r.direction === "ingress")) {
                        const sourceProp = resource === group ? "ingress" : resource.type.startsWith("aws:vpc/") ? "referencedSecurityGroupId" : "sourceSecurityGroupId";
                        const sourceDeps = (resource.propertyDependencies?.[sourceProp] ?? []).filter((d) => isType(d.type, GROUP) && d.urn !== group.urn);
                        // A known id is the load balancer's group's when equal to it; while that id is not known, a dependency on the group vouches for it.
                        const lbIdUnknown = lbGroups.some((l) => str(propsOf(l).id) === undefined) && sourceDeps.some((d) => lbGroups.includes(d));
                        const otherGroups = rule.groups.filter((g) => !lbGroupIds.has(g) && !lbIdUnknown);
                        // A source group whose id is not known yet: the dependency names it.
                        const otherByDependency = sourceDeps.filter((d) => !lbGroups.includes(d) && !otherGroups.includes(str(propsOf(d).id) ?? "")).map((d) => `the group ${d.name}`);
                        const sources = [...rule.cidrs, ...rule.prefixLists, ...otherGroups, ...otherByDependency, ...(rule.sourcesUnknown ? ["an address block not known yet"] : []), ...(rule.self ? ["itself"] : [])];
                        const noSource = sources.length === 0 && rule.groups.length === 0 && !rule.partial;
                        if (sources.length > 0 || noSource) {
                            report(`${resource.name}: the tasks' group of ${service.name} admits ${sources.join(", ") || "a source"} on ports ${rule.fromPort}-${rule.toPort}, not only the load balancer's security group.`, resource.urn);
                        }
                    }
                }
            }
        }
    },
};
