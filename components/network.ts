import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { NatGateways, NetworkConfig } from "../lib/types";
import { EndpointService, gatewayServices, interfaceServices, requiredServices } from "../lib/endpoints";
import { NatInstance } from "./natInstance";

/** Address range of a VPC this program creates. */
export const vpcCidr = "10.0.0.0/16";

/** awsx's NAT strategy for each setting. */
export const natStrategies: Record<NatGateways, awsx.types.enums.ec2.NatGatewayStrategy> = {
    "one-per-az": "OnePerAz",
    single: "Single",
    // The NatInstance component routes the private subnets itself.
    instance: "None",
    none: "None",
};

/** The route table of each private subnet of an awsx VPC (awsx gives every subnet its own), in the order of its private subnets. */
function privateRouteTableIds(vpc: awsx.ec2.Vpc, zones: number): pulumi.Output<string>[] {
    const ids = pulumi.all([vpc.routeTableAssociations, vpc.privateSubnetIds]).apply(([associations, privateIds]) =>
        pulumi.all(associations.map((a) => pulumi.all([a.subnetId, a.routeTableId]))).apply((pairs) => {
            const tableOf = new Map(pairs.map(([subnetId, routeTableId]) => [subnetId, routeTableId]));
            return privateIds.map((id) => {
                const table = tableOf.get(id);
                if (table === undefined) {
                    throw new Error(`awsx gave private subnet ${id} no route table association`);
                }
                return table;
            });
        }),
    );
    return Array.from({ length: zones }, (_, i) => ids.apply((all) => all[i]));
}

export interface NetworkArgs {
    /**
     * AWS region of the stack (names the endpoint services).
     */
    region: string;
    /**
     * A new VPC's shape, or an existing VPC's subnets.
     * @default a new VPC in 2 zones with a NAT gateway in each and no endpoints
     */
    network?: NetworkConfig;
    /**
     * The AWS services the tasks and instances call (lib/endpoints.ts); with endpoints on, each
     * gets one.
     * @default what Fargate tasks without secrets or ECS Exec call: ECR, CloudWatch Logs, S3
     */
    services?: EndpointService[];
}

/**
 * The VPC: public subnets for the load balancer, private subnets for the tasks, whose route to
 * ECR, CloudWatch Logs and S3 goes through NAT or VPC endpoints. Or an existing VPC's subnets.
 */
export class Network extends pulumi.ComponentResource {
    /** VPC id. */
    public readonly vpcId: pulumi.Output<string>;
    /** Subnets of the load balancer. */
    public readonly publicSubnetIds: pulumi.Output<string[]>;
    /** Subnets of the tasks (no public IPs). */
    public readonly privateSubnetIds: pulumi.Output<string[]>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:network:Network", name, {}, opts);
        const network = args.network ?? { availabilityZones: 2, natGateways: "one-per-az", vpcEndpoints: false };

        if (network.vpcId !== undefined) {
            this.vpcId = pulumi.output(network.vpcId);
            this.publicSubnetIds = pulumi.output(network.publicSubnetIds);
            this.privateSubnetIds = pulumi.output(network.privateSubnetIds);
            this.registerOutputs({ vpcId: this.vpcId });
            return;
        }

        const region = args.region;
        const services = args.services ?? requiredServices({ secrets: {}, capacity: { kind: "fargate" }, enableExecuteCommand: false });
        const gateways = services.filter((service) => gatewayServices.includes(service));
        const vpc = new awsx.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: vpcCidr,
                numberOfAvailabilityZones: network.availabilityZones,
                subnetStrategy: "Auto",
                subnetSpecs: [
                    { type: "Public", cidrMask: 22 },
                    { type: "Private", cidrMask: 20 },
                ],
                natGateways: { strategy: natStrategies[network.natGateways] },
                enableDnsHostnames: true,
                enableDnsSupport: true,
                // S3 is reached through a gateway endpoint on the private route tables (free).
                vpcEndpointStrategy: "Auto",
                vpcEndpointSpecs: network.vpcEndpoints
                    ? gateways.map((service) => ({ serviceName: `com.amazonaws.${region}.${service}`, vpcEndpointType: "Gateway" }))
                    : [],
            },
            { parent: this },
        );

        if (network.natGateways === "instance") {
            new NatInstance(
                `${name}-nat`,
                {
                    vpcId: vpc.vpcId,
                    vpcCidr,
                    publicSubnetId: vpc.publicSubnetIds.apply((ids) => ids[0]),
                    privateRouteTableIds: privateRouteTableIds(vpc, network.availabilityZones),
                    imageId: network.natInstanceAmi,
                },
                { parent: this },
            );
        }

        if (network.vpcEndpoints) {
            const endpointGroup = new aws.ec2.SecurityGroup(
                `${name}-endpoints`,
                { vpcId: vpc.vpcId, description: "VPC interface endpoints: HTTPS from inside the VPC" },
                { parent: this },
            );
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-endpoints-https`,
                {
                    securityGroupId: endpointGroup.id,
                    description: "HTTPS from the VPC (tasks and instances calling AWS services)",
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrIpv4: vpcCidr,
                },
                { parent: this },
            );
            for (const service of interfaceServices(services)) {
                new aws.ec2.VpcEndpoint(
                    `${name}-${service.replace(".", "-")}`,
                    {
                        vpcId: vpc.vpcId,
                        serviceName: `com.amazonaws.${region}.${service}`,
                        vpcEndpointType: "Interface",
                        privateDnsEnabled: true,
                        subnetIds: vpc.privateSubnetIds,
                        securityGroupIds: [endpointGroup.id],
                    },
                    { parent: this },
                );
            }
        }

        this.vpcId = vpc.vpcId;
        this.publicSubnetIds = vpc.publicSubnetIds;
        this.privateSubnetIds = vpc.privateSubnetIds;
        this.registerOutputs({ vpcId: this.vpcId });
    }
}
