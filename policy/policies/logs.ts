/** CloudWatch Logs. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isType, isUnknown, propsOf } from "./util";

export const retention: ResourceValidationPolicy = {
    name: "logs-retention",
    description: "Log groups keep their logs for a set time, at least the configured minimum (config minimumRetentionDays, default 7; 0 = never expire).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { minimumRetentionDays: { type: "integer", default: 7 } } },
    validateResource: (args, report) => {
        if (!isType(args.type, "aws:cloudwatch/logGroup:LogGroup")) return;
        const { minimumRetentionDays } = args.getConfig<{ minimumRetentionDays: number }>();
        const days = propsOf(args).retentionInDays;
        if (isUnknown(days)) return;
        if (days === undefined) {
            report("no retentionInDays: logs would be kept (and paid for) forever by default; set a retention.");
        } else if (days !== 0 && days < minimumRetentionDays) {
            report(`retentionInDays is ${days}: keep logs at least ${minimumRetentionDays} days.`);
        }
    },
};
