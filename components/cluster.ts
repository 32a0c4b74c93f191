import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Architecture, CapacityConfig } from "../lib/types";
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

/** The providers the cluster registers: FARGATE and FARGATE_SPOT always, and the EC2 provider with ec2. */
export function clusterProviders(ec2Provider?: pulumi.Input<string>): pulumi.Input<string>[] {
    return ["FARGATE", "FARGATE_SPOT", ...(ec2Provider === undefined ? [] : [ec2Provider])];
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
     * @default { kind: "fargate" }
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
     * The tasks' CPU architecture (the EC2 instances', with EC2 capacity; taskPlacement's).
     * @default "X86_64"
     */
    architecture?: Architecture;
}

/**
 * An ECS cluster with Container Insights, whose capacity is FARGATE and FARGATE_SPOT, plus an
 * Auto Scaling group of EC2 instances when the capacity choice is ec2.
 *
 * The cluster's provider list is one value that ECS replaces as a whole
 * (PutClusterCapacityProviders), and ECS refuses to remove a provider that a service's strategy
 * still names (ResourceInUseException), and a service may name only providers the cluster has
 * (UpdateService: "A capacity provider must be associated with the cluster to be used in a
 * capacity provider strategy"). So a switch to ec2 must add the EC2 provider before the service
 * moves to it, and a switch back must drop it only after the service has left it. Two
 * registrations of the same list do that:
 * - `${name}-capacity-initial` writes the list once, when the cluster is new, before any service
 *   exists, and then ignores changes (it only guarantees a new service finds its providers);
 * - `${name}-capacity` (the list the stack means now) comes before the services with ec2, and
 *   after them with the Fargate choices: call `registerCapacity(services)` once the services
 *   exist. A change of the Fargate weights, or a switch from ec2, is then written after the
 *   services' update; the old EC2 provider is deleted after both (Pulumi deletes what the program
 *   no longer declares after every update), when no service and no cluster uses it.
 * Neither registration is undone by deleting it (the initial one is, on `pulumi destroy`, after
 * the services: its delete empties the list, terraform-provider-aws
 * internal/service/ecs/cluster_capacity_providers.go, resourceClusterCapacityProvidersDelete).
 */
export class Cluster extends pulumi.ComponentResource {
    /** The ECS cluster. */
    public readonly cluster: aws.ecs.Cluster;
    /** Cluster ARN, handed out once the cluster's providers are registered. */
    public readonly arn: pulumi.Output<string>;
    /** Cluster name (Application Auto Scaling's resource ids use it). */
    public readonly name: pulumi.Output<string>;
    /** The strategy a service should use on this cluster (equal to the cluster's default). */
    public readonly capacityProviderStrategy: pulumi.Output<StrategyItem[]>;
    /** Launch types a task definition must declare to run here. */
    public readonly taskCompatibilities: ("FARGATE" | "EC2")[];
    /** What a task definition needs to run on this cluster's capacity: spread it into TaskDefinitionArgs. */
    public readonly taskPlacement: { compatibilities: ("FARGATE" | "EC2")[]; architecture: Architecture };
    /** How a service should place its tasks (on EC2: across zones, then packed by memory). */
    public readonly placementStrategies: PlacementStrategy[];
    /** The service's Fargate platform version: LATEST on Fargate, none on EC2 (ECS takes a platform version only for Fargate). */
    public readonly platformVersion: string | undefined;

    private readonly childName: string;
    private readonly registration: aws.ecs.ClusterCapacityProvidersArgs;
    private readonly registerAfterServices: boolean;

    constructor(name: string, args: ClusterArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:cluster:Cluster", name, {}, opts);
        const capacity = args.capacity ?? { kind: "fargate" };
        this.childName = name;

        const cluster = (this.cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            { settings: [{ name: "containerInsights", value: "enabled" }] },
            { parent: this },
        ));

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
                    imageId: capacity.ami,
                },
                { parent: this },
            );
        }

        this.capacityProviderStrategy = pulumi.output(ec2?.capacityProviderName ?? "").apply((provider) => capacityStrategy(capacity, provider));
        this.registration = {
            clusterName: cluster.name,
            capacityProviders: clusterProviders(ec2?.capacityProviderName),
            defaultCapacityProviderStrategies: this.capacityProviderStrategy,
        };
        const initial = new aws.ecs.ClusterCapacityProviders(`${name}-capacity-initial`, this.registration, {
            parent: this,
            ignoreChanges: ["capacityProviders", "defaultCapacityProviderStrategies"],
        });
        this.registerAfterServices = ec2 === undefined;
        const current = this.registerAfterServices ? undefined : this.register([initial]);

        // Hand out the cluster only once the providers a new service names are registered.
        const ready = <T>(value: pulumi.Output<T>) => pulumi.all([value, initial.id, current?.id]).apply(([v]) => v);
        this.arn = ready(cluster.arn);
        this.name = ready(cluster.name);
        this.taskCompatibilities = ec2 ? ["FARGATE", "EC2"] : ["FARGATE"];
        this.taskPlacement = { compatibilities: this.taskCompatibilities, architecture: args.architecture ?? "X86_64" };
        this.placementStrategies = ec2
            ? [
                  { type: "spread", field: "attribute:ecs.availability-zone" },
                  { type: "binpack", field: "memory" },
              ]
            : [];
        this.platformVersion = ec2 ? undefined : "LATEST";
        this.registerOutputs({ arn: this.arn, name: this.name });
    }

    /**
     * Registers the providers and default strategy the stack means now, after `services` with
     * the Fargate choices (with ec2 that registration was made before them, in the constructor).
     * Call it once, with every service that runs on this cluster.
     */
    public registerCapacity(services: pulumi.Resource[]): void {
        if (this.registerAfterServices) {
            this.register(services);
        }
    }

    /** The `${name}-capacity` registration, after `after`; its removal leaves the list alone (see the class comment). */
    private register(after: pulumi.Resource[]): aws.ecs.ClusterCapacityProviders {
        return new aws.ecs.ClusterCapacityProviders(`${this.childName}-capacity`, this.registration, { parent: this, dependsOn: after, retainOnDelete: true });
    }
}
