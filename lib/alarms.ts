/**
 * The stack's CloudWatch alarms as plain data: which metric (or metric math) each watches, its
 * threshold, how long it must breach, what missing data means, and whether ECS watches it during
 * deployments (and rolls back when it fires). `D` is the type of a dimension value: a string in
 * the tests, an Output of one in the component.
 */
import { filledMax, filledSum } from "./metricMath";

/** The thresholds a stack configures (see Pulumi.yaml's alarm* settings). */
export interface AlarmThresholds {
    /** Percent of requests answered 5xx that raises the 5xx alarms. */
    errorRatePercent: number;
    /** Requests per minute below which the rate and latency alarms hold their fire. */
    minRequests: number;
    /** p99 target response time, milliseconds. */
    latencyMs: number;
    /** Service average CPU or memory utilization, percent. */
    utilizationPercent: number;
    /** Minutes in a row the traffic alarms must breach. */
    evaluationMinutes: number;
}

/** The thresholds an Alarms component uses when its caller gives none (Pulumi.yaml's alarm* defaults hold the same). */
export const defaultAlarmThresholds: AlarmThresholds = { errorRatePercent: 5, minRequests: 10, latencyMs: 2000, utilizationPercent: 90, evaluationMinutes: 3 };

/** Seconds per datapoint: ALB and ECS publish these metrics every minute. */
export const alarmPeriod = 60;

/**
 * Minutes in a row the capacity alarms (tasks below desired, CPU, memory) must breach: a Fargate
 * task starts in about a minute and a scale-out takes one to three, so five minutes lets a
 * scale-out or a Spot replacement finish before anyone is paged.
 */
export const capacityAlarmMinutes = 5;

/** What the alarms watch: one service, and with a route its target groups. */
export interface AlarmDimensions<D> {
    /** ECS cluster name. */
    cluster: D;
    /** ECS service name. */
    service: D;
    /** With a route: the ALB's ARN suffix and the route's target groups' (blue, then green). */
    targets?: { loadBalancer: D; targetGroups: D[] };
    /** Also watch the whole load balancer's own 5xx (one service per load balancer should). */
    loadBalancerWide?: D;
}

/** One query of a metric-math alarm, in the shape of aws.cloudwatch.MetricAlarm's metricQueries. */
export interface MetricQuery<D> {
    id: string;
    /** Metric math over the other queries' ids. */
    expression?: string;
    /** A metric and its statistic. */
    metric?: { namespace: string; metricName: string; dimensions: Record<string, D>; stat: string; period: number };
    label?: string;
    /** True for the one query the alarm compares with its threshold. */
    returnData: boolean;
}

/** One alarm. */
export interface AlarmSpec<D> {
    /** Suffix of the alarm's logical name. */
    role: string;
    /** What it means; shown in the notification. */
    description: string;
    comparisonOperator: "GreaterThanThreshold";
    threshold: number;
    /** Datapoints (minutes) evaluated; all must breach. */
    evaluationPeriods: number;
    /** What a minute without data counts as (see each alarm's comment). */
    treatMissingData: "notBreaching" | "missing";
    /** Whether ECS watches it during deployments and rolls back when it fires. Only alarms that do not reference the service can be. */
    deployment: boolean;
    metricQueries: MetricQuery<D>[];
}

const elb = "AWS/ApplicationELB";

/** A per-minute ALB metric. */
function elbMetric<D>(id: string, metricName: string, stat: string, dimensions: Record<string, D>): MetricQuery<D> {
    return { id, metric: { namespace: elb, metricName, dimensions, stat, period: alarmPeriod }, returnData: false };
}

/** A per-minute ALB metric of each of the route's target groups: `<id>0`, `<id>1`, ... */
function perGroup<D>(id: string, metricName: string, stat: string, t: { loadBalancer: D; targetGroups: D[] }): MetricQuery<D>[] {
    return t.targetGroups.map((tg, i) => elbMetric(`${id}${i}`, metricName, stat, { TargetGroup: tg, LoadBalancer: t.loadBalancer }));
}

/** A per-minute metric of the ECS service. */
function serviceMetric<D>(id: string, namespace: string, metricName: string, d: AlarmDimensions<D>): MetricQuery<D> {
    return { id, metric: { namespace, metricName, dimensions: { ClusterName: d.cluster, ServiceName: d.service }, stat: "Average", period: alarmPeriod }, returnData: false };
}

/** The alarm's own series: a metric-math expression over the queries before it. */
function result<D>(expression: string, label: string): MetricQuery<D> {
    return { id: "result", expression, label, returnData: true };
}

/**
 * One service's alarms. Its traffic is measured on its own target groups, summed over blue and
 * green (ECS blue/green moves production between them at every deployment, and an idle group adds
 * nothing), so one service's errors never page, or roll back, another's deployment on the same
 * load balancer. The load balancer's own 5xx (502, 503, 504) has no target group dimension: it is
 * watched once per load balancer (`loadBalancerWide`), and rolls no deployment back.
 */
export function alarmSpecs<D>(d: AlarmDimensions<D>, t: AlarmThresholds): AlarmSpec<D>[] {
    // Below minRequests (at least 1) a minute yields 0, so one error among a few requests does
    // not page; FILL turns a minute without any 5xx (no datapoint at all) into 0.
    const minimum = Math.max(t.minRequests, 1);
    const traffic = { comparisonOperator: "GreaterThanThreshold" as const, evaluationPeriods: t.evaluationMinutes };
    const capacity = { comparisonOperator: "GreaterThanThreshold" as const, evaluationPeriods: capacityAlarmMinutes, deployment: false };
    const specs: AlarmSpec<D>[] = [];
    if (d.targets !== undefined) {
        const groups = d.targets.targetGroups.length;
        const requests = `(${filledSum("requests", groups)})`;
        const busy = `${requests} >= ${minimum}`;
        specs.push(
            {
                role: "target-5xx",
                description: `More than ${t.errorRatePercent}% of requests answered 5xx by the service's tasks for ${t.evaluationMinutes} min (at ${t.minRequests}+ requests/min). Rolls a deployment back.`,
                ...traffic,
                threshold: t.errorRatePercent,
                // No traffic is not an outage: a minute without requests has no datapoint.
                treatMissingData: "notBreaching",
                deployment: true,
                metricQueries: [
                    ...perGroup("errors", "HTTPCode_Target_5XX_Count", "Sum", d.targets),
                    ...perGroup("requests", "RequestCount", "Sum", d.targets),
                    result(`IF(${busy}, 100 * (${filledSum("errors", groups)}) / ${requests}, 0)`, "target 5xx, % of requests"),
                ],
            },
            {
                role: "latency-p99",
                description: `p99 response time of the service's tasks above ${t.latencyMs} ms for ${t.evaluationMinutes} min (at ${t.minRequests}+ requests/min). Rolls a deployment back.`,
                ...traffic,
                threshold: t.latencyMs / 1000,
                // No traffic, no response time: not an outage.
                treatMissingData: "notBreaching",
                deployment: true,
                metricQueries: [
                    ...perGroup("p99", "TargetResponseTime", "p99", d.targets),
                    ...perGroup("requests", "RequestCount", "Sum", d.targets),
                    result(`IF(${busy}, ${filledMax("p99", groups)}, 0)`, "p99 target response time, s"),
                ],
            },
            {
                role: "unhealthy-hosts",
                description: `A task has failed the load balancer's health checks for ${t.evaluationMinutes} min.`,
                ...traffic,
                threshold: 0,
                // A target group with no registered task publishes nothing; that case is the
                // tasks-below-desired alarm's, so missing data is not a breach here.
                treatMissingData: "notBreaching",
                // The deployment circuit breaker already judges new tasks' health checks.
                deployment: false,
                metricQueries: [
                    ...perGroup("unhealthy", "UnHealthyHostCount", "Maximum", d.targets),
                    result(filledMax("unhealthy", groups), "unhealthy tasks"),
                ],
            },
        );
    }
    if (d.loadBalancerWide !== undefined) {
        specs.push({
            role: "elb-5xx",
            description: `More than ${t.errorRatePercent}% of requests answered 5xx by the load balancer itself (502 bad gateway, 503 no healthy task, 504 timeout) for ${t.evaluationMinutes} min.`,
            ...traffic,
            threshold: t.errorRatePercent,
            // RequestCount leaves out requests the ALB refused before choosing a target (a 503
            // with no healthy task), so they are added back: a total outage is 100 %, not 0 / 0.
            // No traffic is not an outage.
            treatMissingData: "notBreaching",
            // The load balancer's own errors have no target group: they could be any service's.
            deployment: false,
            metricQueries: [
                elbMetric("errors", "HTTPCode_ELB_5XX_Count", "Sum", { LoadBalancer: d.loadBalancerWide }),
                elbMetric("requests", "RequestCount", "Sum", { LoadBalancer: d.loadBalancerWide }),
                result(`IF(FILL(requests, 0) + FILL(errors, 0) >= ${minimum}, 100 * FILL(errors, 0) / (FILL(requests, 0) + FILL(errors, 0)), 0)`, "load balancer 5xx, % of requests"),
            ],
        });
    }
    specs.push(
        {
            role: "tasks-below-desired",
            description: `Fewer tasks running than the service wants, for ${capacityAlarmMinutes} min (tasks failing to start, no capacity, Spot interruptions).`,
            ...capacity,
            threshold: 0,
            // Container Insights reports both counts every minute whether or not there is
            // traffic; without data it cannot judge, so the alarm keeps its state.
            treatMissingData: "missing",
            metricQueries: [
                serviceMetric("running", "ECS/ContainerInsights", "RunningTaskCount", d),
                serviceMetric("desired", "ECS/ContainerInsights", "DesiredTaskCount", d),
                result("desired - running", "tasks missing"),
            ],
        },
        ...(["cpu", "memory"] as const).map(
            (kind): AlarmSpec<D> => ({
                role: `${kind}-high`,
                description: `Service average ${kind === "cpu" ? "CPU" : "memory"} above ${t.utilizationPercent}% for ${capacityAlarmMinutes} min: autoscaling is at its ceiling or cannot keep up.`,
                ...capacity,
                threshold: t.utilizationPercent,
                // ECS publishes utilization every minute while tasks run; no tasks is the
                // tasks-below-desired alarm's business.
                treatMissingData: "missing",
                metricQueries: [
                    serviceMetric("utilization", "AWS/ECS", kind === "cpu" ? "CPUUtilization" : "MemoryUtilization", d),
                    result("utilization", `${kind} utilization, %`),
                ],
            }),
        ),
    );
    return specs;
}

/**
 * The EventBridge pattern of an ECS task of the service stopped by a Spot interruption (ECS Task
 * State Change, stopCode SpotInterruption: "Fargate Spot capacity providers", ECS developer guide).
 */
export function spotInterruptionPattern(clusterArn: string, serviceName: string): Record<string, unknown> {
    return {
        source: ["aws.ecs"],
        "detail-type": ["ECS Task State Change"],
        detail: { clusterArn: [clusterArn], group: [`service:${serviceName}`], stopCode: ["SpotInterruption"] },
    };
}
