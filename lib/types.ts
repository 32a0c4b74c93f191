/**
 * The shapes the config layer (lib/config.ts) and the components share: a capacity choice, a
 * network, a domain, a deployment strategy, alarm subscribers. The components take these, never the
 * config itself (a component reads no stack config).
 */

/** CPU architectures a Fargate task can run on. */
export type Architecture = "X86_64" | "ARM64";

/** Capacity a service can run on. */
export type Capacity = "fargate" | "fargate-spot" | "ec2";

/** The capacity choice with its settings. */
export type CapacityConfig =
    | { kind: "fargate" }
    | { kind: "fargate-spot"; onDemandBase: number; onDemandWeight: number; spotWeight: number }
    | { kind: "ec2"; instanceTypes: string[]; minSize: number; maxSize: number; targetCapacity: number; ami?: string };

/** NAT of a new VPC: gateways (one per zone, or one), a NAT instance, or none. */
export type NatGateways = "one-per-az" | "single" | "instance" | "none";

/** Where the app runs: a new VPC, or subnets of an existing one. */
export type NetworkConfig =
    | { vpcId?: undefined; availabilityZones: number; natGateways: NatGateways; vpcEndpoints: boolean; natInstanceAmi?: string }
    | { vpcId: string; publicSubnetIds: string[]; privateSubnetIds: string[] };

/** HTTPS on a domain of a Route 53 hosted zone. */
export interface DomainConfig {
    /** The name the app is served on. */
    domainName: string;
    /** Its Route 53 hosted zone. */
    hostedZoneId: string;
}

/** How a new task definition reaches production. */
export type DeploymentConfig = { strategy: "rolling" } | { strategy: "blue-green"; bakeTimeMinutes: number };

/** Who hears the alarms. */
export interface NotificationsConfig {
    /** Email addresses subscribed to the alarm topic. */
    emails: string[];
    /** HTTPS endpoints subscribed to the alarm topic. */
    httpsEndpoints: string[];
}
