import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmThresholds, alarmSpecs, spotInterruptionPattern } from "../lib/alarms";
import { defaultSettings } from "../lib/config";
import { alarmTopicPolicy } from "../lib/policies";
import { LoadBalancer } from "./loadBalancer";
import { Notifications } from "./notifications";
import { AppService } from "./service";

export interface AlarmsArgs {
    /**
     * The load balancer in front of the service (5xx, latency and target health alarms).
     */
    loadBalancer: LoadBalancer;
    /**
     * The service (task count, CPU and memory alarms; Spot interruptions).
     */
    service: AppService;
    /**
     * The topic every alarm notifies, on alarm and on recovery.
     */
    notifications: Notifications;
    /**
     * Thresholds and evaluation time.
     * @default Pulumi.yaml's defaults of the alarm* settings
     */
    thresholds?: AlarmThresholds;
    /**
     * Tell the topic when a Spot interruption stops one of the service's tasks.
     * @default false
     */
    spotInterruptions?: boolean;
}

/**
 * The stack's CloudWatch alarms, each notifying the topic on alarm and on recovery; an EventBridge
 * rule for Spot interruptions; and the topic policy that lets exactly these publish.
 */
export class Alarms extends pulumi.ComponentResource {
    /** Names of the alarms ECS watches during deployments (5xx and latency; none references the service). */
    public readonly deploymentAlarmNames: pulumi.Output<string[]>;
    /** ARNs of every alarm, for the dashboard. */
    public readonly alarmArns: pulumi.Output<string[]>;

    constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:alarms:Alarms", name, {}, opts);
        const { loadBalancer: lb, service, notifications } = args;
        const topic = [notifications.topicArn];
        const specs = alarmSpecs(
            { loadBalancer: lb.arnSuffix, targetGroups: lb.targetGroupArnSuffixes, cluster: service.clusterName, service: service.name },
            args.thresholds ?? defaultSettings.alarms,
        );
        const alarms = specs.map((spec) => ({
            spec,
            alarm: new aws.cloudwatch.MetricAlarm(
                `${name}-${spec.role}`,
                {
                    alarmDescription: spec.description,
                    comparisonOperator: spec.comparisonOperator,
                    threshold: spec.threshold,
                    evaluationPeriods: spec.evaluationPeriods,
                    datapointsToAlarm: spec.evaluationPeriods,
                    treatMissingData: spec.treatMissingData,
                    metricQueries: spec.metricQueries,
                    alarmActions: topic,
                    okActions: topic,
                },
                { parent: this },
            ),
        }));

        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const region = aws.getRegionOutput({}, { parent: this }).region;
        let ruleArn: pulumi.Output<string | undefined> = pulumi.output(undefined);
        if (args.spotInterruptions) {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-spot-interruptions`,
                {
                    description: "A Fargate Spot interruption stopped one of the service's tasks",
                    eventPattern: pulumi.all([service.clusterArn, service.name]).apply(([cluster, svc]) => JSON.stringify(spotInterruptionPattern(cluster, svc))),
                },
                { parent: this },
            );
            new aws.cloudwatch.EventTarget(
                `${name}-spot-interruptions`,
                {
                    rule: rule.name,
                    arn: notifications.topicArn,
                    inputTransformer: {
                        inputPaths: { task: "$.detail.taskArn", reason: "$.detail.stoppedReason", group: "$.detail.group" },
                        inputTemplate: '"Spot interruption: task <task> of <group> stopped: <reason>. ECS starts a replacement; watch the tasks-below-desired alarm."',
                    },
                },
                { parent: this },
            );
            ruleArn = rule.arn;
        }
        new aws.sns.TopicPolicy(
            `${name}-publishers`,
            {
                arn: notifications.topicArn,
                policy: pulumi
                    .all([notifications.topicArn, identity.accountId, region, ruleArn])
                    .apply(([topicArn, account, r, rule]) => JSON.stringify(alarmTopicPolicy(topicArn, account, r, rule))),
            },
            { parent: this },
        );

        this.deploymentAlarmNames = pulumi.all(alarms.filter((a) => a.spec.deployment).map((a) => a.alarm.name));
        this.alarmArns = pulumi.all(alarms.map((a) => a.alarm.arn));
        this.registerOutputs({ deploymentAlarmNames: this.deploymentAlarmNames, alarmArns: this.alarmArns });
    }
}
