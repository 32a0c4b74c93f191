import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { pinnedImage } from "../lib/ami";
import { natAmiParameter, natAttachPolicy, natInstanceType, natInstanceVolumeGiB, natPorts, natRouteDestinations, natUserData } from "../lib/natInstance";
import { serviceTrustPolicy } from "../lib/policies";

export interface NatInstanceArgs {
    /**
     * VPC of the instance.
     */
    vpcId: pulumi.Input<string>;
    /**
     * The VPC's address range: the only source the instance admits and masquerades.
     */
    vpcCidr: string;
    /**
     * The public subnet (one zone) the instance and its fixed interface live in.
     */
    publicSubnetId: pulumi.Input<string>;
    /**
     * Route tables of the private subnets, each given routes to the NAT for every address outside the VPC.
     */
    privateRouteTableIds: pulumi.Input<string>[];
    /**
     * The instance's AMI (Amazon Linux 2023, arm64); changing it replaces the instance.
     * @default AWS's current Amazon Linux 2023 arm64 AMI when the launch template is created, kept until an image is given
     */
    imageId?: string;
}

/**
 * Egress for private subnets through one small NAT instance (see lib/natInstance.ts for the
 * design): a fixed network interface (source/destination check off) that the private subnets'
 * default routes target, and an Auto Scaling group of one Graviton instance (plain Amazon Linux
 * 2023, IMDSv2 only, no key pair, Session Manager) that attaches it at boot and forwards through
 * its own public address.
 */
export class NatInstance extends pulumi.ComponentResource {
    constructor(name: string, args: NatInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:network:NatInstance", name, {}, opts);

        // HTTPS from the VPC in; HTTPS out, forwarded (the tasks call out on 443 only; so do dnf and the SSM agent).
        // Descriptions keep to EC2's character set: no apostrophes (docs/aws-contract.md, ec2-sg-rule-description-charset).
        const securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, { vpcId: args.vpcId, description: "NAT instance: HTTPS from the VPC, forwarded to the internet" }, { parent: this });
        for (const port of natPorts) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-in-${port}`,
                { securityGroupId: securityGroup.id, description: `Port ${port} from the VPC, to forward`, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: args.vpcCidr },
                { parent: this },
            );
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-out-${port}`,
                { securityGroupId: securityGroup.id, description: `Port ${port} to the internet (forwarded, and the dnf and SSM calls of the instance itself)`, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0" },
                { parent: this },
            );
        }

        const nic = new aws.ec2.NetworkInterface(
            `${name}-eni`,
            { subnetId: args.publicSubnetId, securityGroups: [securityGroup.id], sourceDestCheck: false, description: "NAT instance: the private subnets' default route" },
            { parent: this },
        );
        // Two halves of the address space rather than 0.0.0.0/0 (lib/natInstance.ts, natRouteDestinations).
        args.privateRouteTableIds.forEach((routeTableId, i) =>
            natRouteDestinations.forEach(
                (destinationCidrBlock, half) =>
                    new aws.ec2.Route(`${name}-route-${i}-${half === 0 ? "low" : "high"}`, { routeTableId, destinationCidrBlock, networkInterfaceId: nic.id }, { parent: this }),
            ),
        );

        const role = new aws.iam.Role(
            `${name}-role`,
            { description: "NAT instance: attach its network interface, Session Manager", assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")) },
            { parent: this },
        );
        const ssm = new aws.iam.RolePolicyAttachment(`${name}-ssm`, { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }, { parent: this });
        const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name }, { parent: this, dependsOn: [ssm] });

        const image = pinnedImage(natAmiParameter, args.imageId, this);
        const template = new aws.ec2.LaunchTemplate(
            `${name}-template`,
            {
                description: "NAT instance: Amazon Linux 2023, IP forwarding and masquerading",
                imageId: image.imageId,
                instanceType: natInstanceType,
                iamInstanceProfile: { arn: profile.arn },
                // The way out: a public address on the primary interface. No key pair: Session Manager only.
                networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true", securityGroups: [securityGroup.id], deleteOnTermination: "true" }],
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                // Standard credits: a busy NAT slows down rather than running up surplus charges.
                creditSpecification: { cpuCredits: "standard" },
                blockDeviceMappings: [
                    { deviceName: "/dev/xvda", ebs: { volumeSize: natInstanceVolumeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
                ],
                userData: nic.id.apply((id) => Buffer.from(natUserData(id, args.vpcCidr)).toString("base64")),
            },
            { parent: this, ignoreChanges: image.ignoreChanges },
        );

        const asg = new aws.autoscaling.Group(
            `${name}-asg`,
            {
                vpcZoneIdentifiers: [args.publicSubnetId],
                minSize: 1,
                maxSize: 1,
                desiredCapacity: 1,
                launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
                // A new launch template version (AMI, user data) replaces the instance.
                instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 0 } },
                healthCheckType: "EC2",
                tags: [{ key: "Name", value: name, propagateAtLaunch: true }],
            },
            { parent: this },
        );

        new aws.iam.RolePolicy(
            `${name}-attach`,
            { role: role.name, policy: pulumi.all([nic.arn, asg.name]).apply(([arn, groupName]) => JSON.stringify(natAttachPolicy(arn, groupName))) },
            { parent: this },
        );

        this.registerOutputs({});
    }
}
