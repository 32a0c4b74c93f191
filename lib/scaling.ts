/**
 * Target tracking policies of the service: CPU, memory and requests per task. Each keeps its
 * metric near the target by adding tasks quickly and removing them slowly.
 */

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

/** One target tracking policy; `L` is the type of the request count label (a string, or an Output of one). */
export interface TargetTracking<L> {
    /** Short role in the policy's logical name. */
    role: string;
    /** Application Auto Scaling predefined metric. */
    metric: "ECSServiceAverageCPUUtilization" | "ECSServiceAverageMemoryUtilization" | "ALBRequestCountPerTarget";
    /** Value to hold the metric at. */
    target: number;
    /** `<alb arn suffix>/<target group arn suffix>`, for the request count metric. */
    resourceLabel?: L;
}

/** The policies, given the request count metric's resource label. */
export function targetTrackingPolicies<L>(requestCountLabel: L): TargetTracking<L>[] {
    return [
        { role: "cpu", metric: "ECSServiceAverageCPUUtilization", target: 60 },
        { role: "memory", metric: "ECSServiceAverageMemoryUtilization", target: 75 },
        { role: "requests", metric: "ALBRequestCountPerTarget", target: requestTargetPerTask, resourceLabel: requestCountLabel },
    ];
}

/** The request count metric's resource label from the two ARN suffixes. */
export function requestCountLabel(loadBalancerArnSuffix: string, targetGroupArnSuffix: string): string {
    if (!loadBalancerArnSuffix.startsWith("app/") || !targetGroupArnSuffix.startsWith("targetgroup/")) {
        throw new Error(`not an ALB and target group ARN suffix pair: ${loadBalancerArnSuffix}, ${targetGroupArnSuffix}`);
    }
    return `${loadBalancerArnSuffix}/${targetGroupArnSuffix}`;
}
