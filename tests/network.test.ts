import * as assert from "assert";
import { runWith } from "./harness";

const existing = {
    vpcId: "vpc-0123456789abcdef0",
    publicSubnetIds: ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"],
    privateSubnetIds: ["subnet-0b0b0b0b0b0b0b0b1", "subnet-0b0b0b0b0b0b0b0b2"],
};

describe("Network component", () => {
    it("creates a VPC over the configured zones with public and private subnets", async () => {
        const vpc = (await runWith({ availabilityZones: 3 })).one("awsx:ec2:Vpc").inputs;
        assert.strictEqual(vpc.numberOfAvailabilityZones, 3);
        assert.deepStrictEqual(vpc.subnetSpecs.map((s: any) => s.type), ["Public", "Private"]);
        assert.strictEqual(vpc.enableDnsHostnames, true, "private DNS of interface endpoints needs DNS hostnames");
    });

    it("gives private subnets NAT: one per zone by default, a single one when asked", async () => {
        assert.deepStrictEqual((await runWith()).one("awsx:ec2:Vpc").inputs.natGateways, { strategy: "OnePerAz" });
        assert.deepStrictEqual((await runWith({ natGateways: "single" })).one("awsx:ec2:Vpc").inputs.natGateways, { strategy: "Single" });
    });

    it("without NAT, reaches ECR, Logs and S3 through endpoints reachable from the VPC on 443", async () => {
        const run = await runWith({ natGateways: "none", vpcEndpoints: true });
        const vpc = run.one("awsx:ec2:Vpc").inputs;
        assert.deepStrictEqual(vpc.natGateways, { strategy: "None" });
        assert.deepStrictEqual(vpc.vpcEndpointSpecs, [{ serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway" }]);
        assert.strictEqual(vpc.vpcEndpointStrategy, "Auto", "awsx attaches the gateway to the VPC's route tables");
        const endpoints = run.ofType("aws:ec2/vpcEndpoint:VpcEndpoint");
        assert.deepStrictEqual(endpoints.map((e) => e.inputs.serviceName).sort(), [
            "com.amazonaws.us-east-1.ecr.api",
            "com.amazonaws.us-east-1.ecr.dkr",
            "com.amazonaws.us-east-1.logs",
        ]);
        const group = run.one("aws:ec2/securityGroup:SecurityGroup", "-endpoints");
        const [rule] = run.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === group.id);
        assert.deepStrictEqual([rule.inputs.fromPort, rule.inputs.toPort, rule.inputs.cidrIpv4], [443, 443, "10.0.0.0/16"]);
        for (const e of endpoints) {
            assert.deepStrictEqual(e.inputs.subnetIds, ["subnet-private0", "subnet-private1"]);
            assert.deepStrictEqual(e.inputs.securityGroupIds, [group.id]);
            assert.strictEqual(e.inputs.privateDnsEnabled, true);
        }
    });

    it("adds the ECS Exec channel's endpoint when exec is on", async () => {
        const run = await runWith({ natGateways: "none", vpcEndpoints: true, enableExecuteCommand: true });
        assert.ok(run.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").some((e) => e.inputs.serviceName === "com.amazonaws.us-east-1.ssmmessages"));
    });

    it("uses an existing VPC's subnets as given, creating no network", async () => {
        const run = await runWith(existing);
        assert.strictEqual(run.ofType("awsx:ec2:Vpc").length, 0);
        assert.deepStrictEqual(run.one("aws:lb/loadBalancer:LoadBalancer").inputs.subnets, existing.publicSubnetIds);
        assert.deepStrictEqual(run.one("aws:ecs/service:Service").inputs.networkConfiguration.subnets, existing.privateSubnetIds);
        assert.strictEqual(run.one("aws:lb/targetGroup:TargetGroup").inputs.vpcId, existing.vpcId);
    });
});
