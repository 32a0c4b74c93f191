/** Operations: bad deploys roll back by themselves, alarms reach someone, protected stacks keep access logs. */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { elbLogDeliveryAccounts } from "../../lib/policies";
import { allowsRequest, Context, Request, unknownPart } from "./iamEval";
import { IamStatement, isType, isUnknown, list, ofType, parseJson, policyDocument, propsOf, refersTo, stackOf, str } from "./util";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const alarmTypes = [ALARM, COMPOSITE_ALARM];
const SERVICE = "aws:ecs/service:Service";

export const rollbackAlarms: StackValidationPolicy = {
    name: "service-rollback-alarms",
    description: "Every load-balanced ECS service rolls a deployment back on CloudWatch alarms of the stack (alarms enabled, rollback on), beside its circuit breaker.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const alarms = ofType(args.resources, ALARM);
        for (const service of ofType(args.resources, "aws:ecs/service:Service")) {
            const props = propsOf(service);
            if (isUnknown(props.loadBalancers) || list(props.loadBalancers).length === 0) continue;
            const config = props.alarms;
            // Not known yet: the alarms may be the stack's, if it has any.
            if (isUnknown(config) && alarms.length > 0) continue;
            // At preview the alarms' autonames are unknown: the property dependency still shows which alarms the service watches.
            const names = list(config?.alarmNames);
            const watched = alarms.filter((a) => refersTo(service, "alarms", a) || names.includes(str(propsOf(a).name)));
            const off = (v: unknown) => v !== true && !isUnknown(v);
            if (off(config?.enable) || off(config?.rollback) || (watched.length === 0 && !(names.some(isUnknown) && alarms.length > 0))) {
                report(`${service.name}: deployments do not roll back on the stack's alarms; set alarms { alarmNames: [its 5xx and latency alarms], enable: true, rollback: true }.`, service.urn);
            }
        }
    },
};

export const alarmsNotify: ResourceValidationPolicy = {
    name: "alarms-notify",
    description: "Every CloudWatch alarm (metric or composite) notifies someone when it fires and when it recovers (alarmActions and okActions), with its actions enabled.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!alarmTypes.some((t) => isType(args.type, t))) return;
        const props = propsOf(args);
        if (props.actionsEnabled === false) {
            report("actionsEnabled is false: the alarm changes state and tells no one; leave its actions enabled.");
        }
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

export const missingData: StackValidationPolicy = {
    name: "alarms-missing-data",
    description:
        "No metric alarm treats missing data as ignore (it would keep its last state: a service that stopped sending metrics looks as it did), and no alarm a service rolls back on treats it as breaching (a quiet minute would roll back a good deployment).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const services = ofType(args.resources, SERVICE);
        for (const alarm of ofType(args.resources, ALARM)) {
            const treatment = propsOf(alarm).treatMissingData;
            const rollsBack = services.some((s) => refersTo(s, "alarms", alarm) || list(propsOf(s).alarms?.alarmNames).includes(str(propsOf(alarm).name)));
            if (treatment === "ignore") {
                report(`${alarm.name}: treatMissingData is ignore: the alarm keeps its last state when data stops; use missing or notBreaching (breaching for a heartbeat).`, alarm.urn);
            } else if (treatment === "breaching" && rollsBack) {
                report(`${alarm.name}: a service rolls deployments back on it, and it treats missing data as breaching: a minute without requests would roll back a good deployment; use notBreaching.`, alarm.urn);
            }
        }
    },
};

/** Whether a number-or-string value is a number above 0 (unknown counts as yes). */
const positive = (v: unknown) => isUnknown(v) || Number(v) > 0;

export const deploymentSafety: ResourceValidationPolicy = {
    name: "service-deployment-safety",
    description:
        "ECS services deployed by ECS itself (deploymentController ECS, the default) roll a failed deployment back by themselves: deploymentCircuitBreaker { enable, rollback }; with the BLUE_GREEN, LINEAR or CANARY strategy, each load balancer names an alternate target group, a production listener rule and a role (advancedConfiguration), and the bake time (bakeTimeInMinutes) is above 0.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!isType(args.type, SERVICE)) return;
        const props = propsOf(args);
        const controller = props.deploymentController;
        if (isUnknown(controller) || isUnknown(controller?.type) || (controller?.type ?? "ECS") !== "ECS") return;
        const breaker = props.deploymentCircuitBreaker;
        if (!isUnknown(breaker) && [breaker?.enable, breaker?.rollback].some((v) => v !== true && !isUnknown(v))) {
            report("deploymentCircuitBreaker is not { enable: true, rollback: true }: a deployment whose tasks keep failing would go on (and never roll back); turn both on.");
        }
        const config = props.deploymentConfiguration;
        const strategy = isUnknown(config) ? undefined : config?.strategy;
        if (!["BLUE_GREEN", "LINEAR", "CANARY"].includes(strategy)) return;
        for (const lb of isUnknown(props.loadBalancers) ? [] : list(props.loadBalancers)) {
            const advanced = (lb as any)?.advancedConfiguration;
            if (isUnknown(lb) || isUnknown(advanced)) continue;
            const missing = ["alternateTargetGroupArn", "productionListenerRule", "roleArn"].filter((k) => advanced?.[k] === undefined || advanced?.[k] === "");
            if (missing.length > 0) report(`${strategy} deployment: the load balancer ${(lb as any)?.targetGroupArn ?? ""} has no ${missing.join(", ")} (advancedConfiguration): ECS cannot shift traffic to the new tasks.`);
        }
        if (!positive(config?.bakeTimeInMinutes)) {
            report(`${strategy} deployment with bakeTimeInMinutes ${config?.bakeTimeInMinutes ?? "unset"}: the old tasks go as soon as traffic moves, so an alarm can no longer roll back to them; bake at least a minute.`);
        }
    },
};

/**
 * ALB access-log deliveries, as the bucket policy sees them: s3:PutObject over TLS from each
 * region's ELB account or from the log delivery service ("Enable access logs for your
 * Application Load Balancer"); which region is not known here, so any of them counts.
 */
const tls: Context = { "aws:securetransport": { kind: "values", values: ["true"] } };
const deliveries: Omit<Request, "resource">[] = [
    ...Object.values(elbLogDeliveryAccounts).map((account) => ({ account, action: "s3:PutObject", context: tls })),
    { service: "logdelivery.elasticloadbalancing.amazonaws.com", action: "s3:PutObject", context: tls },
];

/** A statement not known yet (at preview), every part of it unknown. */
const notKnownYet: IamStatement = { effect: "", actions: [], notActions: [], resources: [], notResources: [], condition: {}, partial: true, unknownParts: ["Effect", "Principal", "Action", "Resource"] };

export const accessLogBucket: StackValidationPolicy = {
    name: "alb-access-log-bucket",
    description:
        "A load balancer that writes access logs to a bucket of the stack can: the bucket's policy, read by the IAM evaluator, allows Elastic Load Balancing's log delivery (the region's ELB account or logdelivery.elasticloadbalancing.amazonaws.com, over TLS) s3:PutObject under the log prefix and no Deny stops it, and its default encryption is SSE-S3 (AES256), the only one ALB access logs support.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const buckets = ofType(args.resources, "aws:s3/bucket:Bucket");
        for (const lb of ofType(args.resources, "aws:lb/loadBalancer:LoadBalancer")) {
            const logs = propsOf(lb).accessLogs;
            if (isUnknown(logs) || logs?.enabled !== true) continue;
            for (const bucket of buckets.filter((b) => refersTo(lb, "accessLogs", b) || (str(logs.bucket) !== undefined && str(logs.bucket) === str(propsOf(b).bucket)))) {
                // The bucket ELB writes to is the one the load balancer names (an autonamed bucket's own name is not in its inputs).
                const name = str(logs.bucket) ?? str(propsOf(bucket).bucket);
                const configures = (t: string) => ofType(args.resources, t).filter((r) => refersTo(r, "bucket", bucket, propsOf(r).bucket, name));
                const policies = [...configures("aws:s3/bucketPolicy:BucketPolicy"), bucket].map((r) => propsOf(r).policy).filter((p) => p !== undefined);
                const prefix = str(logs.prefix);
                // Where ELB writes: <bucket>/<prefix>/AWSLogs/<the load balancer's account>/elasticloadbalancing/<region>/...; what is not known yet may be anything.
                const [region, account] = (str(propsOf(lb).arn) ?? "").split(":").slice(3, 5);
                const target = `arn:aws:s3:::${name ?? unknownPart}/${isUnknown(logs.prefix) ? unknownPart : prefix ? `${prefix}/` : ""}AWSLogs/${account || unknownPart}/elasticloadbalancing/${region || unknownPart}/2025/01/01/x.log.gz`;
                // A statement not known yet may be the grant (but a known Deny still wins).
                const unknownStatement = policies.some((p) => {
                    const raw = parseJson<any>(p);
                    return isUnknown(raw) || isUnknown(raw?.Statement) || list(raw?.Statement).some(isUnknown);
                });
                // Read by the evaluator: an Allow for anyone counts; a Deny that surely applies to the delivery stops it.
                const statements = [...policies.flatMap((p) => policyDocument(p).statements), ...(unknownStatement ? [notKnownYet] : [])];
                const grants = deliveries.some((d) => allowsRequest(statements, { ...d, resource: target }));
                if (!grants) report(`${bucket.name}: ${lb.name} writes its access logs here, but the bucket policy does not let Elastic Load Balancing's log delivery s3:PutObject under ${prefix ?? "the bucket"}/AWSLogs/ (no Allow for it, or a Deny that stops it): the logs are dropped.`, bucket.urn);
                const algorithms = [...configures("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").flatMap((c) => list(propsOf(c).rules)), ...list(propsOf(bucket).serverSideEncryptionConfiguration).flatMap((c: any) => list(c?.rule ?? c?.rules))]
                    .map((r: any) => (isUnknown(r) ? r : r?.applyServerSideEncryptionByDefault?.sseAlgorithm))
                    .filter((a) => a !== undefined && !isUnknown(a));
                const kms = algorithms.find((a) => a !== "AES256");
                if (kms !== undefined) report(`${bucket.name}: ${lb.name} writes its access logs here, but its default encryption is ${kms}: ALB access logs support SSE-S3 (AES256) only, so no log is written.`, bucket.urn);
            }
        }
    },
};
