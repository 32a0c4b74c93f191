/**
 * Target tracking policies of the service: CPU, memory and requests per task. Each keeps its
 * metric near the target by adding tasks quickly and removing them slowly.
 */

/** Seconds after a scale-out before another may start. */
export const scaleOutCooldown = 60;

/** Seconds after a scale-in before another may start (slower, to avoid flapping). */
export const scaleInCooldown = 300;

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
        { role: "requests", metric: "ALBRequestCountPerTarget", target: 1000, resourceLabel: requestCountLabel },
    ];
}

/** The request count metric's resource label from the two ARN suffixes. */
export function requestCountLabel(loadBalancerArnSuffix: string, targetGroupArnSuffix: string): string {
    if (!loadBalancerArnSuffix.startsWith("app/") || !targetGroupArnSuffix.startsWith("targetgroup/")) {
        throw new Error(`not an ALB and target group ARN suffix pair: ${loadBalancerArnSuffix}, ${targetGroupArnSuffix}`);
    }
    return `${loadBalancerArnSuffix}/${targetGroupArnSuffix}`;
}
