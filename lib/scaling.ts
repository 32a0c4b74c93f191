/**
 * Target tracking policies of the service: CPU, memory and requests per task. Each keeps its
 * metric near the target by adding tasks quickly and removing them slowly.
 */
import { filledSum } from "./metricMath";

/** Seconds after a scale-out before another may start. */
export const scaleOutCooldown = 60;

/** Seconds after a scale-in before another may start (slower, to avoid flapping). */
export const scaleInCooldown = 300;

/**
 * Requests per minute per task the request-count policy holds (ALBRequestCountPerTarget is the
 * sum over a minute of the requests each target received).
 */
export const requestTargetPerTask = 1000;

/** Minutes over which WAF's rate-based rule counts a client's requests (its default window, 300 s). */
export const wafRateWindowMinutes = 5;

/**
 * The highest WAF rate limit (requests per client IP per window) under which one client alone can
 * never push the request-count policy past its target, even on a single task: its requests per
 * minute stay at or below one task's target, so only many clients together scale the service out.
 */
export const maxWafRateLimit = wafRateWindowMinutes * requestTargetPerTask;

/** Tasks' worth of request-count target that one client can fill at most under a WAF rate limit. */
export function tasksOneClientDrives(wafRateLimit: number): number {
    return wafRateLimit / wafRateWindowMinutes / requestTargetPerTask;
}

/** A CloudWatch metric of target tracking, as Application Auto Scaling's TargetTrackingMetricDataQuery takes it. */
export interface MetricQuery {
    id: string;
    returnData: boolean;
    label?: string;
    expression?: string;
    metricStat?: { stat: string; metric: { namespace: string; metricName: string; dimensions: { name: string; value: string }[] } };
}

/** One target tracking policy; `M` is the type of the request metric's queries (plain, or an Output of them). */
export interface TargetTracking<M> {
    /** Short role in the policy's logical name. */
    role: string;
    /** Value to hold the metric at. */
    target: number;
    /** An Application Auto Scaling predefined metric. */
    predefinedMetricType?: "ECSServiceAverageCPUUtilization" | "ECSServiceAverageMemoryUtilization";
    /** A customized metric's queries (metric math). */
    metrics?: M;
}

/** The values the policies hold. */
export interface TrackingTargets {
    /** Average CPU utilization, percent. */
    cpu: number;
    /** Average memory utilization, percent. */
    memory: number;
    /** Requests per task per minute. */
    requests: number;
}

/** The policies, given the request metric's queries (requestsPerTargetQueries; none for a service without a route). */
export function targetTrackingPolicies<M>(requestMetric: M | undefined, targets: TrackingTargets): TargetTracking<M>[] {
    return [
        { role: "cpu", predefinedMetricType: "ECSServiceAverageCPUUtilization", target: targets.cpu },
        { role: "memory", predefinedMetricType: "ECSServiceAverageMemoryUtilization", target: targets.memory },
        ...(requestMetric === undefined ? [] : [{ role: "requests", metrics: requestMetric, target: targets.requests }]),
    ];
}

/**
 * Most tasks one service may run: the "Tasks per service" quota (5,000; Amazon ECS service quotas).
 * desiredCount, minCount and maxCount stay within it.
 */
export const maxTasksPerService = 5000;

/**
 * Requests per task per minute, whichever of the service's target groups carries production. The
 * predefined ALBRequestCountPerTarget names one target group, but ECS blue/green moves production
 * between two at every deployment, so half the time that one would be idle. This sums
 * RequestCountPerTarget (requests over the group's healthy targets, AWS/ApplicationELB) over the
 * groups: the idle group adds 0 (no requests) or no data at all (no targets), filled with 0.
 * Application Auto Scaling takes metric math for target tracking ("Create a target tracking
 * scaling policy for Application Auto Scaling using metric math": any CloudWatch function, one
 * time series returned).
 */
export function requestsPerTargetQueries(loadBalancerArnSuffix: string, targetGroupArnSuffixes: string[]): MetricQuery[] {
    if (!loadBalancerArnSuffix.startsWith("app/") || targetGroupArnSuffixes.length === 0 || targetGroupArnSuffixes.some((tg) => !tg.startsWith("targetgroup/"))) {
        throw new Error(`not an ALB and its target groups' ARN suffixes: ${loadBalancerArnSuffix}, ${targetGroupArnSuffixes.join(", ")}`);
    }
    return [
        ...targetGroupArnSuffixes.map((targetGroup, i) => ({
            id: `group${i}`,
            returnData: false,
            metricStat: {
                stat: "Sum",
                metric: {
                    namespace: "AWS/ApplicationELB",
                    metricName: "RequestCountPerTarget",
                    dimensions: [
                        { name: "LoadBalancer", value: loadBalancerArnSuffix },
                        { name: "TargetGroup", value: targetGroup },
                    ],
                },
            },
        })),
        {
            id: "requests",
            label: "Requests per task per minute",
            expression: filledSum("group", targetGroupArnSuffixes.length),
            returnData: true,
        },
    ];
}
