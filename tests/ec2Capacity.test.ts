import * as assert from "assert";
import { instanceManagedPolicies } from "../components/ec2Capacity";
import { ecsUserData, instanceSize, isGraviton, taskDoesNotFit } from "../lib/ec2";
import { json, ProgramRun, runWith } from "./harness";

const ec2 = { capacity: "ec2", ec2InstanceTypes: ["t3.medium", "t3a.medium"], ec2MinSize: 1, ec2MaxSize: 5, ec2TargetCapacity: 80 };
const EC2_TYPES = [
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:autoscaling/group:Group",
    "aws:ecs/capacityProvider:CapacityProvider",
    "aws:iam/instanceProfile:InstanceProfile",
    "flask-fargate:ec2:Ec2Capacity",
];

describe("EC2 instance sizes", () => {
    it("knows the t, m, c and r classes, x86 and Graviton", () => {
        assert.deepStrictEqual(instanceSize("t3.medium"), { vcpus: 2, memoryMiB: 4096 });
        assert.deepStrictEqual(instanceSize("m7i.2xlarge"), { vcpus: 8, memoryMiB: 32768 });
        assert.deepStrictEqual(instanceSize("c7g.large"), { vcpus: 2, memoryMiB: 4096 });
        assert.deepStrictEqual(instanceSize("r6g.medium"), { vcpus: 1, memoryMiB: 8192 });
        assert.strictEqual(instanceSize("m7i.medium"), undefined, "x86 m/c/r families have no medium size");
        assert.strictEqual(instanceSize("g5.xlarge"), undefined);
        assert.deepStrictEqual(["t4g.small", "m7g.large", "c6gn.large", "t3.small", "m7i.large", "m6a.large"].map(isGraviton), [true, true, true, false, false, false]);
    });

    it("a task fits when its CPU and memory, plus what the OS keeps, are within the instance", () => {
        assert.strictEqual(taskDoesNotFit("t3.medium", 1024, 2048), undefined);
        assert.match(taskDoesNotFit("t3.small", 256, 2048)!, /about 1536 MiB are left for tasks/);
    });

    it("user data joins the cluster and blocks tasks from the instance metadata", () => {
        const script = ecsUserData("app-cluster-1");
        assert.match(script, /^#!\/bin\/bash\n/);
        assert.match(script, /^ECS_CLUSTER=app-cluster-1$/m);
        assert.match(script, /^ECS_AWSVPC_BLOCK_IMDS=true$/m);
    });
});

describe("Ec2Capacity component and the capacity choice", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runWith(ec2);
    });

    for (const overrides of [{ capacity: "fargate" }, { capacity: "fargate-spot" }, ec2]) {
        it(`${overrides.capacity}: the service uses a strategy of providers the cluster registers, never a launch type`, async () => {
            const r = await runWith(overrides);
            const svc = r.one("aws:ecs/service:Service").inputs;
            assert.strictEqual(svc.launchType, undefined);
            assert.ok(svc.capacityProviderStrategies.length > 0);
            const registered = r.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "app-capacity").inputs.capacityProviders;
            for (const item of svc.capacityProviderStrategies) {
                assert.ok(registered.includes(item.capacityProvider), `${item.capacityProvider} in ${registered}`);
            }
            assert.deepStrictEqual(r.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "app-capacity").inputs.defaultCapacityProviderStrategies, svc.capacityProviderStrategies);
        });
    }

    it("ec2: the EC2 provider joins FARGATE and FARGATE_SPOT on the cluster and is the service's strategy", () => {
        const provider = run.one("aws:ecs/capacityProvider:CapacityProvider");
        assert.deepStrictEqual(run.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "app-capacity").inputs.capacityProviders, ["FARGATE", "FARGATE_SPOT", provider.state.name]);
        assert.deepStrictEqual(run.one("aws:ecs/service:Service").inputs.capacityProviderStrategies, [{ capacityProvider: provider.state.name, weight: 1 }]);
    });

    it("ec2: the launch template runs the current ECS-optimized AL2023 AMI with IMDSv2, an encrypted root volume and no SSH key", async () => {
        const lt = run.one("aws:ec2/launchTemplate:LaunchTemplate").inputs;
        assert.strictEqual(lt.imageId, "ami-0086086086086086a");
        // AWS's recommended AMI when the template is created, kept until ec2InstanceAmi names another.
        assert.deepStrictEqual(run.one("aws:ec2/launchTemplate:LaunchTemplate").ignoreChanges, ["imageId"]);
        assert.deepStrictEqual(lt.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
        assert.strictEqual(lt.blockDeviceMappings[0].ebs.encrypted, "true");
        assert.strictEqual(lt.keyName, undefined);
        const cluster = run.one("aws:ecs/cluster:Cluster").state.name;
        const userData = Buffer.from(lt.userData, "base64").toString();
        assert.match(userData, new RegExp(`^ECS_CLUSTER=${cluster}$`, "m"));
        assert.match(userData, /^ECS_AWSVPC_BLOCK_IMDS=true$/m);
        const arm = await runWith({ ...ec2, architecture: "ARM64", ec2InstanceTypes: ["t4g.medium"] });
        assert.strictEqual(arm.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.imageId, "ami-0a64a64a64a64a64a");
        const pinned = (await runWith({ ...ec2, ec2InstanceAmi: "ami-0123456789abcdef0" })).one("aws:ec2/launchTemplate:LaunchTemplate");
        assert.deepStrictEqual([pinned.inputs.imageId, pinned.ignoreChanges], ["ami-0123456789abcdef0", []]);
    });

    it("ec2: instances have a role trusted by EC2 with the ECS and SSM managed policies, through a profile", () => {
        const role = run.one("aws:iam/role:Role", "-ec2-role");
        assert.deepStrictEqual(json(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "ec2.amazonaws.com" });
        const attached = run.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role.state.name);
        assert.deepStrictEqual(attached.map((a) => a.inputs.policyArn).sort(), [...instanceManagedPolicies].sort());
        const profile = run.one("aws:iam/instanceProfile:InstanceProfile");
        assert.strictEqual(profile.inputs.role, role.state.name);
        assert.strictEqual(run.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.iamInstanceProfile.arn, profile.state.arn);
    });

    it("ec2: instances admit nothing and call out on 443 only", () => {
        const group = run.one("aws:ec2/securityGroup:SecurityGroup", "-ec2-sg");
        assert.strictEqual(run.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === group.id).length, 0);
        const egress = run.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.inputs.securityGroupId === group.id);
        assert.deepStrictEqual(egress.map((r) => [r.inputs.fromPort, r.inputs.toPort]), [[443, 443]]);
        assert.deepStrictEqual(run.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.vpcSecurityGroupIds, [group.id]);
    });

    it("ec2: the Auto Scaling group spans the private subnets, is protected from scale-in and marked for ECS", () => {
        const asg = run.one("aws:autoscaling/group:Group");
        assert.deepStrictEqual(asg.inputs.vpcZoneIdentifiers, ["subnet-private0", "subnet-private1"]);
        assert.deepStrictEqual([asg.inputs.minSize, asg.inputs.maxSize, asg.inputs.protectFromScaleIn], [1, 5, true]);
        assert.deepStrictEqual(asg.inputs.tags, [{ key: "AmazonECSManaged", value: "true", propagateAtLaunch: true }]);
        assert.deepStrictEqual(asg.inputs.mixedInstancesPolicy.launchTemplate.overrides, [{ instanceType: "t3.medium" }, { instanceType: "t3a.medium" }]);
        assert.deepStrictEqual(asg.ignoreChanges, ["desiredCapacity"], "ECS managed scaling owns the desired capacity");
    });

    it("ec2: the capacity provider scales the group to the target capacity and protects instances running tasks", () => {
        const asp = run.one("aws:ecs/capacityProvider:CapacityProvider").inputs.autoScalingGroupProvider;
        assert.strictEqual(asp.autoScalingGroupArn, run.one("aws:autoscaling/group:Group").state.arn);
        assert.strictEqual(asp.managedTerminationProtection, "ENABLED");
        assert.deepStrictEqual([asp.managedScaling.status, asp.managedScaling.targetCapacity], ["ENABLED", 80]);
    });

    it("ec2: the task stays awsvpc (target type ip, same security groups) and declares EC2 compatibility", () => {
        const td = run.one("aws:ecs/taskDefinition:TaskDefinition").inputs;
        assert.strictEqual(td.networkMode, "awsvpc");
        assert.deepStrictEqual(td.requiresCompatibilities, ["FARGATE", "EC2"]);
        assert.strictEqual(run.one("aws:lb/targetGroup:TargetGroup", "-tg").inputs.targetType, "ip");
        assert.deepStrictEqual(run.one("aws:ecs/service:Service").inputs.orderedPlacementStrategies, [
            { type: "spread", field: "attribute:ecs.availability-zone" },
            { type: "binpack", field: "memory" },
        ]);
    });

    it("switching back to fargate removes the instances, their group, template, role, profile and provider", async () => {
        const fargate = await runWith({ capacity: "fargate" });
        for (const type of EC2_TYPES) {
            assert.strictEqual(fargate.ofType(type).length, 0, type);
            assert.ok(run.ofType(type).length > 0, type);
        }
        assert.deepStrictEqual(fargate.one("aws:ecs/taskDefinition:TaskDefinition").inputs.requiresCompatibilities, ["FARGATE"]);
        assert.strictEqual(fargate.one("aws:ecs/service:Service").inputs.orderedPlacementStrategies, undefined);
    });
});
