import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmThresholds, alarmSpecs, defaultAlarmThresholds, spotInterruptionPattern } from "../lib/alarms";

/** The service an Alarms component watches (Service gives these). */
export interface WatchedService {
    /** ECS cluster name. */
    clusterName: pulumi.Input<string>;
    /** ECS cluster ARN (the Spot interruption rule matches it). */
    clusterArn: pulumi.Input<string>;
    /** ECS service name. */
    name: pulumi.Input<string>;
}

/** The load balancer's route to the service: its dimensions (a ServiceRoute gives these). */
export interface WatchedTargets {
    /** The ALB's ARN suffix. */
    loadBalancerArnSuffix: pulumi.Input<string>;
    /** The route's target groups' ARN suffixes. */
    targetGroupArnSuffixes: pulumi.Input<string>[];
}

export interface AlarmsArgs {
    /**
     * The service (task count, CPU and memory alarms; Spot interruptions).
     */
    service: WatchedService;
    /**
     * The service's route: its 5xx, latency and target health alarms, which ECS may watch during deployments.
     * @default undefined (a worker: no traffic alarms)
     */
    targets?: WatchedTargets;
    /**
     * Also watch this load balancer's own 5xx (502, 503, 504), which has no target group: one Alarms per load balancer should.
     * @default undefined (not watched here)
     */
    loadBalancerArnSuffix?: pulumi.Input<string>;
    /**
     * The topic every alarm notifies, on alarm and on recovery (its policy must let this account's alarms and rules publish: Notifications' does).
     */
    topicArn: pulumi.Input<string>;
    /**
     * Thresholds and evaluation time.
     * @default 5 % errors at 10+ requests a minute, p99 2000 ms, 90 % CPU or memory, over 3 minutes
     */
    thresholds?: AlarmThresholds;
    /**
     * Tell the topic when a Spot interruption stops one of the service's tasks.
     * @default false
     */
    spotInterruptions?: boolean;
}

/**
 * One service's CloudWatch alarms, each notifying the topic on alarm and on recovery, named after
 * this component so that two services' never collide; and an EventBridge rule for the service's
 * Spot interruptions. The alarms on the service's own target groups are its deployment alarms.
 */
export class Alarms extends pulumi.ComponentResource {
    /** The alarms, by role (target-5xx, latency-p99, ...). */
    public readonly alarms: Record<string, aws.cloudwatch.MetricAlarm>;
    /** Names of the alarms ECS should watch during the service's deployments (its 5xx and latency; none references the service). */
    public readonly deploymentAlarmNames: pulumi.Output<string[]>;
    /** ARNs of every alarm, for a dashboard. */
    public readonly alarmArns: pulumi.Output<string[]>;

    constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:alarms:Alarms", name, {}, opts);
        const topic = [args.topicArn];
        const specs = alarmSpecs<pulumi.Input<string>>(
            {
                cluster: args.service.clusterName,
                service: args.service.name,
                targets: args.targets && { loadBalancer: args.targets.loadBalancerArnSuffix, targetGroups: args.targets.targetGroupArnSuffixes },
                loadBalancerWide: args.loadBalancerArnSuffix,
            },
            args.thresholds ?? defaultAlarmThresholds,
        );
        this.alarms = {};
        for (const spec of specs) {
            this.alarms[spec.role] = new aws.cloudwatch.MetricAlarm(
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
            );
        }

        if (args.spotInterruptions) {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-spot-interruptions`,
                {
                    description: "A Fargate Spot interruption stopped one of the service's tasks",
                    eventPattern: pulumi.all([args.service.clusterArn, args.service.name]).apply(([cluster, svc]) => JSON.stringify(spotInterruptionPattern(cluster, svc))),
                },
                { parent: this },
            );
            new aws.cloudwatch.EventTarget(
                `${name}-spot-interruptions`,
                {
                    rule: rule.name,
                    arn: args.topicArn,
                    inputTransformer: {
                        inputPaths: { task: "$.detail.taskArn", reason: "$.detail.stoppedReason", group: "$.detail.group" },
                        inputTemplate: '"Spot interruption: task <task> of <group> stopped: <reason>. ECS starts a replacement; watch the tasks-below-desired alarm."',
                    },
                },
                { parent: this },
            );
        }

        this.deploymentAlarmNames = pulumi.all(specs.filter((s) => s.deployment).map((s) => this.alarms[s.role].name));
        this.alarmArns = pulumi.all(specs.map((s) => this.alarms[s.role].arn));
        this.registerOutputs({ deploymentAlarmNames: this.deploymentAlarmNames, alarmArns: this.alarmArns });
    }
}
