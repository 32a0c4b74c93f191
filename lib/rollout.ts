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

/**
 * Tasks one step of a rolling deployment replaces when the service runs `count` tasks: ECS may run
 * floor(count × maximumPercent / 100) tasks and must keep ceil(count × minimumHealthyPercent / 100)
 * healthy (ECS API reference, DeploymentConfiguration: "rounded down", "rounded up"), so it can start
 * or stop the difference at once. 0 means the deployment can neither start nor stop a task: stuck.
 */
export function rolloutStepTasks(count: number, minHealthyPercent: number, maxPercent: number): number {
    return Math.floor((count * maxPercent) / 100) - Math.ceil((count * minHealthyPercent) / 100);
}

/** The smallest task count in [from, to] at which a rolling deployment is stuck, or undefined. */
export function stuckRolloutCount(from: number, to: number, minHealthyPercent: number, maxPercent: number): number | undefined {
    for (let count = Math.max(1, from); count <= to; count++) {
        if (rolloutStepTasks(count, minHealthyPercent, maxPercent) < 1) {
            return count;
        }
    }
    return undefined;
}

/** Seconds a new task gets to be pulled, started and booted before its health checks begin to count. */
export const taskStartSeconds = 300;

/**
 * The provider's own timeout of an ECS service create or update, which `waitForSteadyState` spends
 * waiting for the deployment: 20 minutes (terraform-provider-aws internal/service/ecs/service.go,
 * Timeouts: Create, Update and Delete DefaultTimeout 20 * time.Minute).
 */
export const providerServiceTimeoutMinutes = 20;

/** What bounds how long one deployment of the service takes. */
export interface DeploymentShape {
    /** The target group's timings. */
    timings: TargetGroupTimings;
    /** The most tasks the service runs (autoscaling's ceiling). */
    maxCount: number;
    /** ECS's deployment bounds, percent of the desired count. */
    minHealthyPercent: number;
    maxPercent: number;
    /** Minutes blue keeps running after a blue/green shift; undefined for rolling deployments. */
    bakeTimeMinutes?: number;
}

/**
 * Minutes `pulumi up` waits for a deployment before it fails: every step of the slowest rollout the
 * settings allow (each step: a task starts, passes its health checks, the old one drains), or for
 * blue/green the green tasks' start and checks, the bake time, then blue's draining; plus 10 minutes
 * of margin, and never less than the provider's default. With `waitForSteadyState`, a timeout
 * shorter than this fails an update that ECS is still completing correctly.
 */
export function deploymentTimeoutMinutes(d: DeploymentShape): number {
    const step = taskStartSeconds + d.timings.healthCheckInterval * d.timings.healthyThreshold + d.timings.deregistrationDelay;
    let seconds: number;
    if (d.bakeTimeMinutes !== undefined) {
        seconds = step + 60 * d.bakeTimeMinutes;
    } else {
        const count = Math.max(1, d.maxCount);
        const perStep = Math.max(1, rolloutStepTasks(count, d.minHealthyPercent, d.maxPercent));
        seconds = Math.ceil(count / perStep) * step;
    }
    return Math.max(providerServiceTimeoutMinutes, Math.ceil(seconds / 60) + 10);
}

/**
 * ECS Availability Zone rebalancing: on unless the settings make it impossible. AWS refuses it with
 * a maximumPercent of 100 or less (it starts a task in the short zone before stopping one in the
 * long zone: "If enabled, maxHealthyPercent must be greater than 100", aws-cdk-lib aws-ecs
 * FargateServiceProps.availabilityZoneRebalancing, after the ECS developer guide's "Balancing an
 * Amazon ECS service across Availability Zones"), and services placed with binpack are not
 * compatible with it (AWS's notice of the June 2025 default: "Services that are not compatible —
 * such as those using the binpack placement strategy — will default to false").
 */
export function availabilityZoneRebalancing(maxPercent: number, placementStrategyTypes: string[]): "ENABLED" | "DISABLED" {
    return maxPercent > 100 && !placementStrategyTypes.includes("binpack") ? "ENABLED" : "DISABLED";
}
