import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { availabilityZoneRebalancing, deploymentTimeoutMinutes, stuckRolloutCount } from "../lib/rollout";
import { maxTasksPerService, requestTargetPerTask, scaleInCooldown, scaleOutCooldown, targetTrackingPolicies } from "../lib/scaling";
import { DeploymentConfig } from "../lib/types";
import { PlacementStrategy, StrategyItem } from "./cluster";
import { ServiceRoute } from "./loadBalancer";

/** Where a service runs: a cluster and its capacity (Cluster gives one; any ECS cluster will do). */
export interface ClusterTarget {
    /** Cluster ARN. */
    arn: pulumi.Input<string>;
    /** Cluster name (Application Auto Scaling's resource id names it). */
    name: pulumi.Input<string>;
    /** Capacity provider strategy: providers the cluster has. */
    capacityProviderStrategy: pulumi.Input<StrategyItem[]>;
    /** How to place tasks on EC2 instances (Fargate takes none). */
    placementStrategies?: PlacementStrategy[];
    /** Fargate platform version; none for EC2 capacity, where ECS takes none. */
    platformVersion?: string;
}

/** Where the tasks' network interfaces go. */
export interface TaskNetwork {
    /** VPC of the tasks. */
    vpcId: pulumi.Input<string>;
    /** Private subnets of the tasks (no public IPs). */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
}

/** How the service scales between minCount and maxCount. */
export interface ScalingArgs {
    /**
     * Average CPU utilization, percent, that target tracking holds.
     * @default 60
     */
    cpuPercent?: number;
    /**
     * Average memory utilization, percent, that target tracking holds.
     * @default 75
     */
    memoryPercent?: number;
    /**
     * With a route: requests per task per minute that target tracking holds.
     * @default 1000
     */
    requestsPerTask?: number;
    /**
     * Further target tracking policies (an SQS queue's depth per task, say): `<name>-scale-<key>` each.
     * @default {}
     */
    policies?: Record<string, aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration>;
}

export interface ServiceArgs {
    /**
     * The cluster and its capacity.
     */
    cluster: ClusterTarget;
    /**
     * Task definition ARN.
     */
    taskDefinitionArn: pulumi.Input<string>;
    /**
     * The container the route sends traffic to.
     * @default undefined (required with a route)
     */
    containerName?: string;
    /**
     * Where the tasks run.
     */
    network: TaskNetwork;
    /**
     * The load balancer's route to this service (LoadBalancer.addRoute).
     * @default undefined (no load balancer: a worker)
     */
    route?: ServiceRoute;
    /**
     * Tasks the service starts with.
     * @default 2
     */
    desiredCount?: number;
    /**
     * Autoscaling floor.
     * @default 2
     */
    minCount?: number;
    /**
     * Autoscaling ceiling.
     * @default 4
     */
    maxCount?: number;
    /**
     * Set the running count to desiredCount on this update, over what autoscaling chose.
     * @default false
     */
    applyDesiredCount?: boolean;
    /**
     * Share of desiredCount kept healthy during a rollout, percent (0-100).
     * @default 100
     */
    deploymentMinHealthyPercent?: number;
    /**
     * Most tasks during a rollout, percent of desiredCount (100-200, above deploymentMinHealthyPercent).
     * @default 200
     */
    deploymentMaxPercent?: number;
    /**
     * Rolling, or ECS blue/green with a bake time of 1-1440 minutes (needs a route).
     * @default { strategy: "rolling" }
     */
    deployment?: DeploymentConfig;
    /**
     * With a route: seconds ECS ignores load balancer health checks after a task starts.
     * @default 30
     */
    healthCheckGracePeriod?: number;
    /**
     * Allow ECS Exec.
     * @default false
     */
    enableExecuteCommand?: boolean;
    /**
     * CloudWatch alarms ECS watches during a deployment, rolling it back when one fires. They
     * must not reference this service (it is created after them).
     * @default undefined (only the circuit breaker rolls back)
     */
    deploymentAlarmNames?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * How the service scales.
     * @default CPU 60 %, memory 75 %, and with a route 1000 requests per task per minute
     */
    scaling?: ScalingArgs;
}

/** What a service refuses, before AWS would. */
function problems(args: ServiceArgs, counts: { desired: number; min: number; max: number }, minHealthy: number, maxPercent: number, deployment: DeploymentConfig): string[] {
    const found: string[] = [];
    for (const [key, n] of Object.entries(counts)) {
        if (!Number.isInteger(n) || n < 0 || n > maxTasksPerService) found.push(`${key}Count ${n} must be 0-${maxTasksPerService} (ECS's tasks-per-service quota)`);
    }
    if (counts.min > counts.max || counts.desired < counts.min || counts.desired > counts.max) found.push(`counts must satisfy minCount <= desiredCount <= maxCount, got ${counts.min}, ${counts.desired}, ${counts.max}`);
    if (minHealthy < 0 || minHealthy > 100) found.push(`deploymentMinHealthyPercent ${minHealthy} must be 0-100`);
    if (maxPercent < 100 || maxPercent > 200 || maxPercent <= minHealthy) found.push(`deploymentMaxPercent ${maxPercent} must be 100-200 and above deploymentMinHealthyPercent`);
    if (deployment.strategy === "rolling") {
        const stuck = stuckRolloutCount(counts.min, counts.max, minHealthy, maxPercent);
        if (stuck !== undefined) found.push(`a rolling deployment of ${stuck} tasks can neither start nor stop a task with ${minHealthy} % and ${maxPercent} %`);
    } else {
        if (args.route === undefined) found.push("blue-green deployments need a route (ECS shifts a load balancer's traffic)");
        // ECS takes 0-1440; at 0 blue goes as traffic moves, leaving an alarm nothing to roll back to
        // (and the policy pack's service-deployment-safety refuses it).
        if (!Number.isInteger(deployment.bakeTimeMinutes) || deployment.bakeTimeMinutes < 1 || deployment.bakeTimeMinutes > 1440) found.push(`bakeTimeMinutes ${deployment.bakeTimeMinutes} must be 1-1440`);
    }
    if (args.route !== undefined && args.containerName === undefined) found.push("a route needs the containerName its traffic goes to");
    return found;
}

/**
 * An ECS service in private subnets: its tasks' security group (in: only the load balancer, on the
 * route's port; out: HTTPS), rollouts that roll back by themselves (circuit breaker, and the
 * deployment alarms it is given), and target tracking autoscaling (CPU, memory, and with a route
 * requests per task). With a route the load balancer sends it traffic; without one it is a worker.
 */
export class Service extends pulumi.ComponentResource {
    /** The ECS service. */
    public readonly service: aws.ecs.Service;
    /** The tasks' security group. */
    public readonly securityGroup: aws.ec2.SecurityGroup;
    /** The autoscaling target: add policies of your own on it. */
    public readonly scalingTarget: aws.appautoscaling.Target;
    /** Service name. */
    public readonly name: pulumi.Output<string>;
    /** Security group id of the tasks. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The cluster's name. */
    public readonly clusterName: pulumi.Output<string>;
    /** The cluster's ARN. */
    public readonly clusterArn: pulumi.Output<string>;

    constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:service:Service", name, {}, { ...opts, aliases: [{ type: "flask-fargate:service:AppService" }, ...(opts?.aliases ?? [])] });
        const route = args.route;
        const deployment = args.deployment ?? { strategy: "rolling" };
        const counts = { desired: args.desiredCount ?? 2, min: args.minCount ?? 2, max: args.maxCount ?? 4 };
        const minHealthyPercent = args.deploymentMinHealthyPercent ?? 100;
        const maxPercent = args.deploymentMaxPercent ?? 200;
        const found = problems(args, counts, minHealthyPercent, maxPercent, deployment);
        if (found.length > 0) {
            throw new pulumi.ResourceError(`Service ${name}: ${found.join("; ")}`, this);
        }
        const timeout = deploymentTimeoutMinutes({
            timings: route?.timings ?? { healthCheckInterval: 0, healthyThreshold: 0, deregistrationDelay: 0 },
            maxCount: counts.max,
            minHealthyPercent,
            maxPercent,
            bakeTimeMinutes: deployment.strategy === "blue-green" ? deployment.bakeTimeMinutes : undefined,
        });

        // The tasks call out only over HTTPS (ECR, CloudWatch Logs, S3); with a route they admit
        // only the load balancer, on its port. The provider removes AWS's default allow-all egress.
        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.network.vpcId, description: route ? "App tasks: traffic from the load balancer only" : "Worker tasks: no inbound traffic" },
            { parent: this },
        );
        if (route) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-from-lb`,
                {
                    securityGroupId: this.securityGroup.id,
                    description: `App port ${route.port} from the load balancer`,
                    ipProtocol: "tcp",
                    fromPort: route.port,
                    toPort: route.port,
                    referencedSecurityGroupId: route.loadBalancerSecurityGroupId,
                },
                { parent: this },
            );
            // The load balancer's side of it is the load balancer's own rule.
            route.admit(this.securityGroup.id);
        }
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-https-out`,
            {
                securityGroupId: this.securityGroup.id,
                description: "HTTPS to AWS APIs: ECR image pulls, CloudWatch Logs, S3",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
            },
            { parent: this },
        );

        const placement = args.cluster.placementStrategies ?? [];
        this.service = new aws.ecs.Service(
            `${name}-service`,
            {
                cluster: args.cluster.arn,
                taskDefinition: args.taskDefinitionArn,
                desiredCount: counts.desired,
                capacityProviderStrategies: args.cluster.capacityProviderStrategy,
                // The AWS provider refuses to change the strategy of an existing service unless
                // forceNewDeployment is true ("force_new_deployment should be true when
                // capacity_provider_strategy is being updated"; before that, it replaced the
                // service): terraform-provider-aws internal/service/ecs/service.go,
                // capacityProviderStrategyCustomizeDiff. With it, a capacity change is an in-place
                // UpdateService that also starts a deployment, which moves the tasks (a strategy
                // change alone "doesn't trigger a new service deployment": ECS API reference,
                // UpdateService capacityProviderStrategy). The provider sends it only with an
                // update it makes anyway (resourceServiceUpdate runs when an argument changed), so
                // an unchanged service is not redeployed; any in-place change of the service does
                // roll its tasks (a new task definition does so anyway).
                forceNewDeployment: true,
                orderedPlacementStrategies: placement.length > 0 ? placement : undefined,
                platformVersion: args.cluster.platformVersion,
                networkConfiguration: { subnets: args.network.subnetIds, securityGroups: [this.securityGroup.id], assignPublicIp: false },
                // ECS routes production between the route's two target groups in either strategy (LoadBalancer.addRoute).
                loadBalancers: route ? [{ targetGroupArn: route.targetGroupArn, containerName: args.containerName!, containerPort: route.port, advancedConfiguration: route.blueGreen }] : undefined,
                healthCheckGracePeriodSeconds: route ? (args.healthCheckGracePeriod ?? 30) : undefined,
                deploymentMinimumHealthyPercent: minHealthyPercent,
                deploymentMaximumPercent: maxPercent,
                deploymentCircuitBreaker: { enable: true, rollback: true },
                // Always named, ROLLING too: the provider keeps a strategy that is left out (it is
                // Optional and Computed), so omitting it would never switch back from BLUE_GREEN.
                deploymentConfiguration:
                    deployment.strategy === "blue-green" ? { strategy: "BLUE_GREEN", bakeTimeInMinutes: String(deployment.bakeTimeMinutes) } : { strategy: "ROLLING" },
                // ECS watches these during a rollout (and a blue/green bake time) and rolls back when one fires.
                alarms: args.deploymentAlarmNames ? { alarmNames: args.deploymentAlarmNames, enable: true, rollback: true } : undefined,
                // A rollout that does not reach steady state fails `pulumi up` (after the breaker rolled it back).
                waitForSteadyState: true,
                availabilityZoneRebalancing: availabilityZoneRebalancing(maxPercent, placement.map((p) => p.type)),
                enableExecuteCommand: args.enableExecuteCommand ?? false,
                enableEcsManagedTags: true,
                propagateTags: "SERVICE",
            },
            {
                parent: this,
                // `waitForSteadyState` waits out the whole deployment, longer than the provider's
                // default 20 minutes when the settings make it slow (lib/rollout.ts).
                customTimeouts: { create: `${timeout}m`, update: `${timeout}m` },
                // Autoscaling owns the running count; an update sets it only when asked to.
                ignoreChanges: args.applyDesiredCount ? [] : ["desiredCount"],
            },
        );

        this.scalingTarget = new aws.appautoscaling.Target(
            `${name}-scaling`,
            {
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId: pulumi.interpolate`service/${args.cluster.name}/${this.service.name}`,
                minCapacity: counts.min,
                maxCapacity: counts.max,
            },
            { parent: this },
        );
        const scaling = args.scaling ?? {};
        const tracking = targetTrackingPolicies(route?.requestMetricQueries, {
            cpu: scaling.cpuPercent ?? 60,
            memory: scaling.memoryPercent ?? 75,
            requests: scaling.requestsPerTask ?? requestTargetPerTask,
        });
        const policies: Record<string, aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration> = {};
        for (const policy of tracking) {
            policies[policy.role] = {
                targetValue: policy.target,
                scaleInCooldown,
                scaleOutCooldown,
                predefinedMetricSpecification: policy.predefinedMetricType ? { predefinedMetricType: policy.predefinedMetricType } : undefined,
                customizedMetricSpecification: policy.metrics ? { metrics: policy.metrics } : undefined,
            };
        }
        for (const [key, configuration] of Object.entries({ ...policies, ...scaling.policies })) {
            new aws.appautoscaling.Policy(
                `${name}-scale-${key}`,
                {
                    policyType: "TargetTrackingScaling",
                    serviceNamespace: this.scalingTarget.serviceNamespace,
                    scalableDimension: this.scalingTarget.scalableDimension,
                    resourceId: this.scalingTarget.resourceId,
                    targetTrackingScalingPolicyConfiguration: configuration,
                },
                { parent: this },
            );
        }

        this.name = this.service.name;
        this.securityGroupId = this.securityGroup.id;
        this.clusterName = pulumi.output(args.cluster.name);
        this.clusterArn = pulumi.output(args.cluster.arn);
        this.registerOutputs({ name: this.name, securityGroupId: this.securityGroupId });
    }
}
