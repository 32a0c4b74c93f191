import * as assert from "assert";
import { requiredServices } from "../lib/endpoints";
import { parseConfig } from "../lib/config";
import { cliSettings, region, runWith } from "./harness";

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
        assert.strictEqual(run.one("aws:lb/targetGroup:TargetGroup", "-tg").inputs.vpcId, existing.vpcId);
    });

    describe("without NAT, everything the tasks and instances call has an endpoint (lib/endpoints.ts)", () => {
        const noNat = { natGateways: "none", vpcEndpoints: true };
        const interfaceEndpoints = async (overrides: Record<string, unknown>) =>
            (await runWith({ ...noNat, ...overrides })).ofType("aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => e.inputs.serviceName.replace(`com.amazonaws.${region}.`, "")).sort();
        const secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
        const parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/app/key";

        it("secrets: Secrets Manager and SSM Parameter Store, which the execution role calls at task start", async () => {
            assert.deepStrictEqual(await interfaceEndpoints({ secrets: [`DB_PASSWORD=${secret}`, `API_KEY=${parameter}`] }), ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm"]);
            assert.deepStrictEqual(await interfaceEndpoints({ secrets: [`DB_PASSWORD=${secret}`] }), ["ecr.api", "ecr.dkr", "logs", "secretsmanager"]);
        });

        it("ec2: the container agent's ecs, ecs-agent and ecs-telemetry, and Session Manager's ssm, ssmmessages and ec2messages", async () => {
            assert.deepStrictEqual(await interfaceEndpoints({ capacity: "ec2" }), ["ec2messages", "ecr.api", "ecr.dkr", "ecs", "ecs-agent", "ecs-telemetry", "logs", "ssm", "ssmmessages"]);
        });

        it("the network creates exactly what requiredServices derives, S3 as a gateway", async () => {
            const config = { secrets: { K: parameter }, capacity: { kind: "fargate" as const }, enableExecuteCommand: true };
            assert.deepStrictEqual(requiredServices(config), ["ecr.api", "ecr.dkr", "logs", "s3", "ssm", "ssmmessages"]);
            const run = await runWith({ ...noNat, secrets: [`K=${parameter}`], enableExecuteCommand: true });
            const gateways = run.one("awsx:ec2:Vpc").inputs.vpcEndpointSpecs.map((e: any) => e.serviceName.replace(`com.amazonaws.${region}.`, ""));
            const interfaces = run.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => e.inputs.serviceName.replace(`com.amazonaws.${region}.`, ""));
            assert.deepStrictEqual([...gateways, ...interfaces].sort(), requiredServices(config));
        });

        it("a secret in another region is refused at preview: an endpoint serves its own region only", () => {
            const elsewhere = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
            assert.throws(() => parseConfig(cliSettings({ ...noNat, secrets: [`DB_PASSWORD=${elsewhere}`] }), region), /flask-fargate:secrets is "DB_PASSWORD=arn:aws:secretsmanager:eu-west-1:.*natGateways none/);
            // With NAT, or with an existing VPC (whose routes are not known here), it is allowed.
            assert.doesNotThrow(() => parseConfig(cliSettings({ secrets: [`DB_PASSWORD=${elsewhere}`] }), region));
        });
    });
});
