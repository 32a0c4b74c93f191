import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaultSettings, DeploymentConfig } from "../lib/config";
import { availabilityZoneRebalancing, deploymentTimeoutMinutes, TargetGroupTimings } from "../lib/rollout";
import { scaleInCooldown, scaleOutCooldown, targetTrackingPolicies } from "../lib/scaling";
import { PlacementStrategy, StrategyItem } from "./cluster";
import { LoadBalancer } from "./loadBalancer";

export interface AppServiceArgs {
    /**
     * Cluster ARN.
     */
    clusterArn: pulumi.Input<string>;
    /**
     * Cluster name (the autoscaling resource id names it).
     */
    clusterName: pulumi.Input<string>;
    /**
     * Capacity provider strategy; providers the cluster registers.
     */
    capacityProviderStrategy: pulumi.Input<StrategyItem[]>;
    /**
     * How to place tasks on EC2 instances (Fargate takes none).
     * @default []
     */
    placementStrategies?: PlacementStrategy[];
    /**
     * Task definition ARN.
     */
    taskDefinitionArn: pulumi.Input<string>;
    /**
     * The container the load balancer sends traffic to.
     */
    containerName: string;
    /**
     * Its port.
     */
    containerPort: number;
    /**
     * VPC of the tasks.
     */
    vpcId: pulumi.Input<string>;
    /**
     * Private subnets of the tasks.
     */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The load balancer in front of the tasks.
     */
    loadBalancer: LoadBalancer;
    /**
     * Tasks the service starts with.
     * @default Pulumi.yaml's default of the `desiredCount` setting
     */
    desiredCount?: number;
    /**
     * Autoscaling floor.
     * @default Pulumi.yaml's default of the `minCount` setting
     */
    minCount?: number;
    /**
     * Autoscaling ceiling.
     * @default Pulumi.yaml's default of the `maxCount` setting
     */
    maxCount?: number;
    /**
     * Set the running count to desiredCount on this update, over what autoscaling chose.
     * @default false
     */
    applyDesiredCount?: boolean;
    /**
     * Share of desiredCount kept healthy during a rollout, percent.
     * @default Pulumi.yaml's default of the `deploymentMinHealthyPercent` setting
     */
    deploymentMinHealthyPercent?: number;
    /**
     * Most tasks during a rollout, percent of desiredCount.
     * @default Pulumi.yaml's default of the `deploymentMaxPercent` setting
     */
    deploymentMaxPercent?: number;
    /**
     * Fargate platform version of the tasks; none for EC2 capacity, where ECS takes none.
     * @default undefined (no platform version)
     */
    platformVersion?: string;
    /**
     * The target group's health check and draining timings, which bound how long a deployment takes.
     * @default Pulumi.yaml's defaults of the healthCheckInterval, healthyThreshold and deregistrationDelay settings
     */
    timings?: TargetGroupTimings;
    /**
     * Seconds ECS ignores load balancer health checks after a task starts.
     * @default 30
     */
    healthCheckGracePeriod?: number;
    /**
     * Allow ECS Exec.
     * @default Pulumi.yaml's default of the `enableExecuteCommand` setting
     */
    enableExecuteCommand?: boolean;
    /**
     * Rolling, or ECS blue/green with a bake time (needs a load balancer set up for blue/green).
     * @default Pulumi.yaml's default of the `deploymentStrategy` setting (rolling)
     */
    deployment?: DeploymentConfig;
    /**
     * CloudWatch alarms ECS watches during a deployment, rolling it back when one fires. They
     * must not reference this service (it is created after them).
     * @default undefined (only the circuit breaker rolls back)
     */
    deploymentAlarmNames?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * The ECS service behind the load balancer: tasks in private subnets reachable only from the
 * load balancer, rollouts that roll back by themselves, and autoscaling on CPU, memory and
 * requests per task.
 */
export class AppService extends pulumi.ComponentResource {
    /** Service name. */
    public readonly name: pulumi.Output<string>;
    /** Security group of the tasks. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The cluster it runs on (alarms and the dashboard use its name, event rules its ARN). */
    public readonly clusterName: pulumi.Output<string>;
    /** The cluster's ARN. */
    public readonly clusterArn: pulumi.Output<string>;

    constructor(name: string, args: AppServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:service:AppService", name, {}, opts);
        const lb = args.loadBalancer;
        const port = args.containerPort;
        const deployment = args.deployment ?? defaultSettings.deployment;
        const minHealthyPercent = args.deploymentMinHealthyPercent ?? defaultSettings.deploymentMinHealthyPercent;
        const maxPercent = args.deploymentMaxPercent ?? defaultSettings.deploymentMaxPercent;
        const timeout = deploymentTimeoutMinutes({
            timings: args.timings ?? defaultSettings,
            maxCount: args.maxCount ?? defaultSettings.maxCount,
            minHealthyPercent,
            maxPercent,
            bakeTimeMinutes: deployment.strategy === "blue-green" ? deployment.bakeTimeMinutes : undefined,
        });

        // Tasks admit only the load balancer, on the container port, and call out only over HTTPS
        // (ECR, CloudWatch Logs, S3). The provider removes AWS's default allow-all egress.
        const taskGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: "App tasks: traffic from the load balancer only" },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-from-lb`,
            {
                securityGroupId: taskGroup.id,
                description: `App port ${port} from the load balancer`,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                referencedSecurityGroupId: lb.securityGroupId,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-lb-to-tasks`,
            {
                securityGroupId: lb.securityGroupId,
                description: `Load balancer to the app tasks on port ${port} (traffic and health checks)`,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                referencedSecurityGroupId: taskGroup.id,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-https-out`,
            {
                securityGroupId: taskGroup.id,
                description: "HTTPS to AWS APIs: ECR image pulls, CloudWatch Logs, S3",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
            },
            { parent: this },
        );

        const service = new aws.ecs.Service(
            `${name}-service`,
            {
                cluster: args.clusterArn,
                taskDefinition: args.taskDefinitionArn,
                desiredCount: args.desiredCount ?? defaultSettings.desiredCount,
                capacityProviderStrategies: args.capacityProviderStrategy,
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
                orderedPlacementStrategies: args.placementStrategies?.length ? args.placementStrategies : undefined,
                platformVersion: args.platformVersion,
                networkConfiguration: {
                    subnets: args.privateSubnetIds,
                    securityGroups: [taskGroup.id],
                    assignPublicIp: false,
                },
                // ECS routes production between the two target groups in either strategy (LoadBalancer, blueGreenRouting).
                loadBalancers: [{ targetGroupArn: lb.targetGroupArn, containerName: args.containerName, containerPort: port, advancedConfiguration: lb.blueGreen }],
                healthCheckGracePeriodSeconds: args.healthCheckGracePeriod ?? 30,
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
                availabilityZoneRebalancing: availabilityZoneRebalancing(maxPercent, (args.placementStrategies ?? []).map((p) => p.type)),
                enableExecuteCommand: args.enableExecuteCommand ?? defaultSettings.enableExecuteCommand,
                enableEcsManagedTags: true,
                propagateTags: "SERVICE",
            },
            {
                parent: this,
                // AWS refuses a service whose target group no listener uses yet.
                dependsOn: [lb.forwardingListener],
                // `waitForSteadyState` waits out the whole deployment, longer than the provider's
                // default 20 minutes when the settings make it slow (lib/rollout.ts).
                customTimeouts: { create: `${timeout}m`, update: `${timeout}m` },
                // Autoscaling owns the running count; an update sets it only when asked to.
                ignoreChanges: args.applyDesiredCount ? [] : ["desiredCount"],
            },
        );

        const target = new aws.appautoscaling.Target(
            `${name}-scaling`,
            {
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId: pulumi.interpolate`service/${args.clusterName}/${service.name}`,
                minCapacity: args.minCount ?? defaultSettings.minCount,
                maxCapacity: args.maxCount ?? defaultSettings.maxCount,
            },
            { parent: this },
        );
        for (const policy of targetTrackingPolicies(lb.requestMetricQueries)) {
            new aws.appautoscaling.Policy(
                `${name}-scale-${policy.role}`,
                {
                    policyType: "TargetTrackingScaling",
                    serviceNamespace: target.serviceNamespace,
                    scalableDimension: target.scalableDimension,
                    resourceId: target.resourceId,
                    targetTrackingScalingPolicyConfiguration: {
                        targetValue: policy.target,
                        scaleInCooldown,
                        scaleOutCooldown,
                        predefinedMetricSpecification: policy.predefinedMetricType ? { predefinedMetricType: policy.predefinedMetricType } : undefined,
                        customizedMetricSpecification: policy.metrics ? { metrics: policy.metrics } : undefined,
                    },
                },
                { parent: this },
            );
        }

        this.name = service.name;
        this.securityGroupId = taskGroup.id;
        this.clusterName = pulumi.output(args.clusterName);
        this.clusterArn = pulumi.output(args.clusterArn);
        this.registerOutputs({ name: this.name, securityGroupId: this.securityGroupId });
    }
}
