import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Architecture, CapacityConfig, defaultSettings } from "../lib/config";
import { Ec2Capacity } from "./ec2Capacity";

/** A capacity provider strategy item, as ECS takes it. */
export interface StrategyItem {
    /** FARGATE, FARGATE_SPOT, or the EC2 capacity provider's name. */
    capacityProvider: string;
    /** Share of the tasks beyond the bases. */
    weight: number;
    /** Tasks placed on this provider first. */
    base?: number;
}

/** A placement strategy of tasks on EC2 instances. */
export interface PlacementStrategy {
    /** spread, binpack or random. */
    type: string;
    /** What to spread over or pack by. */
    field?: string;
}

/** The capacity provider strategy that a capacity choice means (`ec2Provider`: the EC2 provider's name). */
export function capacityStrategy(capacity: CapacityConfig, ec2Provider = ""): StrategyItem[] {
    switch (capacity.kind) {
        case "fargate":
            return [{ capacityProvider: "FARGATE", weight: 1 }];
        case "fargate-spot": {
            const items: StrategyItem[] = [];
            if (capacity.onDemandBase > 0 || capacity.onDemandWeight > 0) {
                items.push({ capacityProvider: "FARGATE", weight: capacity.onDemandWeight, ...(capacity.onDemandBase > 0 ? { base: capacity.onDemandBase } : {}) });
            }
            if (capacity.spotWeight > 0) {
                items.push({ capacityProvider: "FARGATE_SPOT", weight: capacity.spotWeight });
            }
            return items;
        }
        case "ec2":
            return [{ capacityProvider: ec2Provider, weight: 1 }];
    }
}

export interface ClusterArgs {
    /**
     * Capacity the cluster's services use, with its settings.
     * @default Pulumi.yaml's default of the `capacity` setting
     */
    capacity?: CapacityConfig;
    /**
     * With EC2 capacity: the VPC of the instances.
     * @default undefined (required with EC2 capacity)
     */
    vpcId?: pulumi.Input<string>;
    /**
     * With EC2 capacity: the private subnets of the instances.
     * @default undefined (required with EC2 capacity)
     */
    privateSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * With EC2 capacity: the tasks' CPU architecture, which the instances must have.
     * @default "X86_64"
     */
    architecture?: Architecture;
}

/**
 * An ECS cluster with Container Insights, whose capacity is FARGATE and FARGATE_SPOT, plus an
 * Auto Scaling group of EC2 instances when the capacity choice is ec2.
 */
export class Cluster extends pulumi.ComponentResource {
    /** Cluster ARN. */
    public readonly arn: pulumi.Output<string>;
    /** Cluster name (Application Auto Scaling's resource ids use it). */
    public readonly name: pulumi.Output<string>;
    /** The strategy a service should use on this cluster (equal to the cluster's default). */
    public readonly capacityProviderStrategy: pulumi.Output<StrategyItem[]>;
    /** Launch types a task definition must declare to run here. */
    public readonly taskCompatibilities: ("FARGATE" | "EC2")[];
    /** How a service should place its tasks (on EC2: across zones, then packed by memory). */
    public readonly placementStrategies: PlacementStrategy[];

    constructor(name: string, args: ClusterArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:cluster:Cluster", name, {}, opts);
        const capacity = args.capacity ?? defaultSettings.capacity;

        const cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            { settings: [{ name: "containerInsights", value: "enabled" }] },
            { parent: this },
        );

        let ec2: Ec2Capacity | undefined;
        if (capacity.kind === "ec2") {
            if (args.vpcId === undefined || args.privateSubnetIds === undefined) {
                throw new pulumi.ResourceError("EC2 capacity needs vpcId and privateSubnetIds", this);
            }
            ec2 = new Ec2Capacity(
                `${name}-ec2`,
                {
                    clusterName: cluster.name,
                    vpcId: args.vpcId,
                    privateSubnetIds: args.privateSubnetIds,
                    architecture: args.architecture,
                    instanceTypes: capacity.instanceTypes,
                    minSize: capacity.minSize,
                    maxSize: capacity.maxSize,
                    targetCapacity: capacity.targetCapacity,
                },
                { parent: this },
            );
        }

        this.capacityProviderStrategy = pulumi.output(ec2?.capacityProviderName ?? "").apply((provider) => capacityStrategy(capacity, provider));
        const providers = new aws.ecs.ClusterCapacityProviders(
            `${name}-capacity`,
            {
                clusterName: cluster.name,
                capacityProviders: ["FARGATE", "FARGATE_SPOT", ...(ec2 ? [ec2.capacityProviderName] : [])],
                defaultCapacityProviderStrategies: this.capacityProviderStrategy,
            },
            { parent: this },
        );

        // Hand out the cluster only once its capacity providers are attached, so that a service
        // created on it can use them.
        const ready = <T>(value: pulumi.Output<T>) => pulumi.all([value, providers.id]).apply(([v]) => v);
        this.arn = ready(cluster.arn);
        this.name = ready(cluster.name);
        this.taskCompatibilities = ec2 ? ["FARGATE", "EC2"] : ["FARGATE"];
        this.placementStrategies = ec2
            ? [
                  { type: "spread", field: "attribute:ecs.availability-zone" },
                  { type: "binpack", field: "memory" },
              ]
            : [];
        this.registerOutputs({ arn: this.arn, name: this.name });
    }
}
