/** The load-balanced service as a whole. */
import { StackValidationPolicy } from "@pulumi/policy";
import { ofType, refersTo } from "./util";

export const targetGroupForwarded: StackValidationPolicy = {
    name: "service-target-group-has-listener",
    description: "The target group of every ECS service is forwarded to by a listener (else AWS refuses the service, or it gets no traffic).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const listeners = ofType(args.resources, "aws:lb/listener:Listener");
        const groups = ofType(args.resources, "aws:lb/targetGroup:TargetGroup");
        for (const service of ofType(args.resources, "aws:ecs/service:Service")) {
            for (const group of groups.filter((g) => refersTo(service, "loadBalancers", g))) {
                const forwarded = listeners.some(
                    (l) => refersTo(l, "defaultActions", group) && (l.props.defaultActions ?? []).some((a: any) => a.type === "forward"),
                );
                if (!forwarded) report(`${service.name}: no listener forwards to its target group ${group.name}.`, service.urn);
            }
        }
    },
};

export const tasksOnlyFromLoadBalancer: StackValidationPolicy = {
    name: "service-tasks-only-from-alb",
    description: "The tasks' security group admits traffic only from the load balancer's security group, never from CIDR blocks.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const groups = ofType(args.resources, "aws:ec2/securityGroup:SecurityGroup");
        const lbGroups = ofType(args.resources, "aws:lb/loadBalancer:LoadBalancer").flatMap((lb) => groups.filter((g) => refersTo(lb, "securityGroups", g)));
        const rules = ofType(args.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        for (const service of ofType(args.resources, "aws:ecs/service:Service")) {
            const taskGroups = groups.filter((g) => refersTo(service, "networkConfiguration", g));
            for (const group of taskGroups) {
                for (const rule of rules.filter((r) => refersTo(r, "securityGroupId", group))) {
                    const fromLb = lbGroups.some((lbg) => refersTo(rule, "referencedSecurityGroupId", lbg));
                    if (!fromLb || rule.props.cidrIpv4 !== undefined || rule.props.cidrIpv6 !== undefined) {
                        report(`${rule.name}: the tasks of ${service.name} admit traffic that does not come from the load balancer's security group.`, rule.urn);
                    }
                }
                for (const inline of group.props.ingress ?? []) {
                    report(`${group.name}: inline ingress rule (ports ${inline.fromPort}-${inline.toPort}) on the tasks' group; admit only the load balancer's group.`, group.urn);
                }
            }
        }
    },
};
