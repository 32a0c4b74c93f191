/**
 * Rollout arithmetic. When ECS replaces a task behind the load balancer, two waits are set by
 * the target group: the new task must pass `healthyThreshold` checks `healthCheckInterval`
 * apart before it gets traffic, and the old one keeps draining for `deregistrationDelay`
 * before it stops. Their sum is the part of each rollout step that configuration controls.
 */

/** The target group timings that bound a rollout step. */
export interface TargetGroupTimings {
    /** Seconds between health checks. */
    healthCheckInterval: number;
    /** Passed checks before a target is healthy. */
    healthyThreshold: number;
    /** Seconds a deregistering target keeps draining. */
    deregistrationDelay: number;
}

/** AWS's defaults for a new target group. */
export const awsDefaultTimings: TargetGroupTimings = { healthCheckInterval: 30, healthyThreshold: 5, deregistrationDelay: 300 };

/** What this project promises for the configurable part of a rollout step, in both stacks. */
export const rolloutBudgetSeconds = 55;

/** Seconds of a rollout step set by configuration: interval x healthy threshold + deregistration delay. */
export function rolloutSeconds(t: TargetGroupTimings): number {
    return t.healthCheckInterval * t.healthyThreshold + t.deregistrationDelay;
}

/** Checks failed in a row before the load balancer marks a task unhealthy. */
export const unhealthyThreshold = 3;

/** Seconds the load balancer waits for a health check answer (shorter than any allowed interval). */
export const healthCheckTimeout = 5;

/**
 * Seconds ECS ignores load balancer health checks after a task starts: twice the container
 * health check's start period, the time the app is given to boot.
 */
export function healthCheckGracePeriod(containerStartPeriod: number): number {
    return 2 * containerStartPeriod;
}

/**
 * Seconds of a blue/green deployment set by configuration: the green tasks must pass their
 * health checks, traffic then shifts at once, blue keeps running for the bake time (during which
 * an alarm shifts traffic straight back), and only then drains.
 */
export function blueGreenSeconds(t: TargetGroupTimings, bakeTimeMinutes: number): number {
    return rolloutSeconds(t) + 60 * bakeTimeMinutes;
}
