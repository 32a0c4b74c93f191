import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Capacity } from "../lib/config";

/** A capacity provider strategy item, as ECS takes it. */
export interface StrategyItem {
    /** FARGATE or FARGATE_SPOT. */
    capacityProvider: string;
    /** Share of the tasks beyond the bases. */
    weight: number;
    /** Tasks placed on this provider first. */
    base?: number;
}

/** The capacity provider strategy that a capacity choice means. */
export function capacityStrategy(capacity: Capacity): StrategyItem[] {
    return capacity === "fargate-spot"
        ? [{ capacityProvider: "FARGATE_SPOT", weight: 1 }]
        : [{ capacityProvider: "FARGATE", weight: 1 }];
}

export interface ClusterArgs {
    /**
     * Capacity the cluster's services use unless they say otherwise.
     * @default "fargate"
     */
    capacity?: Capacity;
}

/** An ECS cluster with Container Insights, whose capacity is FARGATE and FARGATE_SPOT. */
export class Cluster extends pulumi.ComponentResource {
    /** Cluster ARN. */
    public readonly arn: pulumi.Output<string>;
    /** Cluster name (Application Auto Scaling's resource ids use it). */
    public readonly name: pulumi.Output<string>;
    /** The strategy a service should use on this cluster (equal to the cluster's default). */
    public readonly capacityProviderStrategy: StrategyItem[];

    constructor(name: string, args: ClusterArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:cluster:Cluster", name, {}, opts);

        const cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            { settings: [{ name: "containerInsights", value: "enabled" }] },
            { parent: this },
        );

        this.capacityProviderStrategy = capacityStrategy(args.capacity ?? "fargate");
        const providers = new aws.ecs.ClusterCapacityProviders(
            `${name}-capacity`,
            {
                clusterName: cluster.name,
                capacityProviders: ["FARGATE", "FARGATE_SPOT"],
                defaultCapacityProviderStrategies: this.capacityProviderStrategy,
            },
            { parent: this },
        );

        // Hand out the cluster only once its capacity providers are attached, so that a service
        // created on it can use them.
        const ready = <T>(value: pulumi.Output<T>) => pulumi.all([value, providers.id]).apply(([v]) => v);
        this.arn = ready(cluster.arn);
        this.name = ready(cluster.name);
        this.registerOutputs({ arn: this.arn, name: this.name });
    }
}
