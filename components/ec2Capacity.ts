import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Architecture } from "../lib/types";
import { pinnedImage } from "../lib/ami";
import { ecsAmiParameter, ecsUserData } from "../lib/ec2";
import { serviceTrustPolicy } from "../lib/policies";

/** AWS-managed policies of the instance role: join ECS, and Session Manager instead of SSH. */
export const instanceManagedPolicies = [
    "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
];

export interface Ec2CapacityArgs {
    /**
     * Name of the cluster the instances join.
     */
    clusterName: pulumi.Input<string>;
    /**
     * VPC of the instances.
     */
    vpcId: pulumi.Input<string>;
    /**
     * Private subnets, across zones, for the instances.
     */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * CPU architecture (picks the AMI; the instance types must match it).
     * @default "X86_64"
     */
    architecture?: Architecture;
    /**
     * Instance types, in order of preference.
     * @default ["t3.medium"]
     */
    instanceTypes?: string[];
    /**
     * Fewest instances.
     * @default 1
     */
    minSize?: number;
    /**
     * Most instances.
     * @default 4
     */
    maxSize?: number;
    /**
     * How full ECS managed scaling keeps the instances, percent.
     * @default 100
     */
    targetCapacity?: number;
    /**
     * The instances' AMI (ECS-optimized Amazon Linux 2023 for the architecture); new instances use it.
     * @default AWS's recommended ECS-optimized AMI when the launch template is created, kept until an image is given
     */
    imageId?: string;
}

/**
 * EC2 capacity for the cluster: ECS-optimized Amazon Linux 2023 instances (IMDSv2 only, encrypted
 * root volume, no SSH key, no inbound rule) in an Auto Scaling group that an ECS capacity
 * provider scales and protects from scale-in while they run tasks.
 */
export class Ec2Capacity extends pulumi.ComponentResource {
    /** The capacity provider's name, for the cluster and the service's strategy. */
    public readonly capacityProviderName: pulumi.Output<string>;

    constructor(name: string, args: Ec2CapacityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:ec2:Ec2Capacity", name, {}, opts);
        const instanceTypes = args.instanceTypes ?? ["t3.medium"];

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: "ECS container instances: register with the cluster, pull images, Session Manager",
                assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")),
            },
            { parent: this },
        );
        const grants = instanceManagedPolicies.map(
            (policyArn, i) => new aws.iam.RolePolicyAttachment(`${name}-role-${i}`, { role: role.name, policyArn }, { parent: this }),
        );
        const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name }, { parent: this, dependsOn: grants });

        // Instances take no inbound traffic (tasks have their own network interfaces and group);
        // they call out only over HTTPS: ECS, ECR, SSM, CloudWatch.
        const instanceGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: "ECS container instances: no inbound, HTTPS out" },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-https-out`,
            { securityGroupId: instanceGroup.id, description: "HTTPS to ECS, ECR, SSM and CloudWatch", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
            { parent: this },
        );

        const image = pinnedImage(ecsAmiParameter(args.architecture ?? "X86_64"), args.imageId, this);
        const template = new aws.ec2.LaunchTemplate(
            `${name}-template`,
            {
                description: "ECS-optimized Amazon Linux 2023 container instance",
                imageId: image.imageId,
                instanceType: instanceTypes[0],
                iamInstanceProfile: { arn: profile.arn },
                vpcSecurityGroupIds: [instanceGroup.id],
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                blockDeviceMappings: [
                    { deviceName: "/dev/xvda", ebs: { volumeSize: 30, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
                ],
                monitoring: { enabled: true },
                userData: pulumi.output(args.clusterName).apply((cluster) => Buffer.from(ecsUserData(cluster)).toString("base64")),
            },
            { parent: this, ignoreChanges: image.ignoreChanges },
        );

        const asg = new aws.autoscaling.Group(
            `${name}-asg`,
            {
                vpcZoneIdentifiers: args.privateSubnetIds,
                minSize: args.minSize ?? 1,
                maxSize: args.maxSize ?? 4,
                mixedInstancesPolicy: {
                    launchTemplate: {
                        launchTemplateSpecification: { launchTemplateId: template.id, version: template.latestVersion.apply(String) },
                        overrides: instanceTypes.map((instanceType) => ({ instanceType })),
                    },
                    instancesDistribution: { onDemandPercentageAboveBaseCapacity: 100 },
                },
                // ECS's managed termination protection only ends an instance once its tasks have moved.
                protectFromScaleIn: true,
                healthCheckType: "EC2",
                tags: [{ key: "AmazonECSManaged", value: "true", propagateAtLaunch: true }],
            },
            // ECS managed scaling sets the desired capacity.
            { parent: this, ignoreChanges: ["desiredCapacity"] },
        );

        const provider = new aws.ecs.CapacityProvider(
            `${name}-provider`,
            {
                autoScalingGroupProvider: {
                    autoScalingGroupArn: asg.arn,
                    managedTerminationProtection: "ENABLED",
                    managedDraining: "ENABLED",
                    managedScaling: { status: "ENABLED", targetCapacity: args.targetCapacity ?? 100, minimumScalingStepSize: 1, maximumScalingStepSize: 10 },
                },
            },
            { parent: this },
        );

        this.capacityProviderName = provider.name;
        this.registerOutputs({ capacityProviderName: this.capacityProviderName });
    }
}
