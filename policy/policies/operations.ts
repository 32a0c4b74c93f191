/** Operations: bad deploys roll back by themselves, alarms reach someone, protected stacks keep access logs. */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isType, isUnknown, list, ofType, propsOf, refersTo, stackOf, str } from "./util";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

export const rollbackAlarms: StackValidationPolicy = {
    name: "service-rollback-alarms",
    description: "Every load-balanced ECS service rolls a deployment back on CloudWatch alarms of the stack (alarms enabled, rollback on), beside its circuit breaker.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const alarms = ofType(args.resources, ALARM);
        for (const service of ofType(args.resources, "aws:ecs/service:Service")) {
            const props = propsOf(service);
            if (list(props.loadBalancers).length === 0) continue;
            const config = props.alarms;
            if (isUnknown(config)) continue;
            // At preview the alarms' autonames are unknown: the property dependency still shows which alarms the service watches.
            const names = list(config?.alarmNames);
            const watched = alarms.filter((a) => refersTo(service, "alarms", a) || names.includes(str(propsOf(a).name)));
            if (config?.enable !== true || config?.rollback !== true || (watched.length === 0 && !names.some(isUnknown))) {
                report(`${service.name}: deployments do not roll back on the stack's alarms; set alarms { alarmNames: [its 5xx and latency alarms], enable: true, rollback: true }.`, service.urn);
            }
        }
    },
};

export const alarmsNotify: ResourceValidationPolicy = {
    name: "alarms-notify",
    description: "Every CloudWatch alarm notifies someone when it fires and when it recovers (alarmActions and okActions).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!isType(args.type, ALARM)) return;
        const props = propsOf(args);
        for (const key of ["alarmActions", "okActions"]) {
            // A topic ARN unknown at preview still counts: the list is there.
            if (list(props[key]).length === 0) {
                report(`no ${key}: an alarm no one hears about is not watched.`);
            }
        }
    },
};

export const accessLogs: ResourceValidationPolicy = {
    name: "alb-access-logs",
    description: "Application Load Balancers of protected stacks (config protectedStacks, default prod) write access logs to S3.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { protectedStacks: { type: "array", items: { type: "string" }, default: ["prod"] } } },
    validateResource: (args, report) => {
        const props = propsOf(args);
        if (!isType(args.type, "aws:lb/loadBalancer:LoadBalancer") || (props.loadBalancerType ?? "application") !== "application") return;
        const { protectedStacks } = args.getConfig<{ protectedStacks: string[] }>();
        const stack = stackOf(args.urn);
        const logs = props.accessLogs;
        // Only `enabled` is read: the bucket may be a new one whose name a preview does not know yet
        // (and AWS refuses enabled logs without a bucket).
        if (protectedStacks.includes(stack) && logs?.enabled !== true && !isUnknown(logs) && !isUnknown(logs?.enabled)) {
            report(`stack ${stack} is protected, but the load balancer writes no access logs: set accessLogs { bucket, enabled: true }.`);
        }
    },
};
