import * as assert from "assert";
import { execFileSync } from "child_process";
import { natAmiParameter, natAttachPolicy, natUserData } from "../lib/natInstance";
import { parseConfig } from "../lib/config";
import { cliSettings, json, ProgramRun, region, runWith } from "./harness";

const parse = (settings: Record<string, unknown>) => parseConfig(cliSettings(settings), region);

describe("NAT instance: user data and policy", () => {
    const script = natUserData("eni-0123456789abcdef0", "10.0.0.0/16");

    it("user data is a bash script bash can parse, and so is the boot-time script it installs", () => {
        execFileSync("bash", ["-n"], { input: script });
        const inner = /cat > \/usr\/local\/sbin\/nat-interface <<'EOF'\n([\s\S]*?)\nEOF\n/.exec(script);
        assert.ok(inner, "installs /usr/local/sbin/nat-interface");
        execFileSync("bash", ["-n"], { input: inner[1] });
        assert.match(inner[1], /^interface_id=eni-0123456789abcdef0$/m);
    });

    it("forwards and masquerades only the VPC's traffic leaving the VPC, and keeps both across reboots", () => {
        // Persisted: sysctl.d is applied at every boot; nftables.service loads /etc/sysconfig/nftables.conf.
        assert.match(script, /^net\.ipv4\.ip_forward = 1$/m);
        assert.match(script, /cat > \/etc\/sysctl\.d\/90-nat\.conf/);
        assert.match(script, /^\s+ip saddr 10\.0\.0\.0\/16 ip daddr != 10\.0\.0\.0\/16 masquerade$/m);
        assert.match(script, /cat > \/etc\/sysconfig\/nftables\.conf/);
        assert.match(script, /^systemctl enable --now nftables$/m);
        assert.match(script, /^systemctl enable --now nat-interface\.service$/m);
        assert.match(script, /^WantedBy=multi-user\.target$/m);
    });

    it("attaches the fixed interface at boot with IMDSv2 and routes replies to the VPC through it", () => {
        assert.match(script, /X-aws-ec2-metadata-token-ttl-seconds/);
        assert.match(script, /aws ec2 attach-network-interface --region "\$region" --instance-id "\$instance" --network-interface-id "\$interface_id" --device-index 1/);
        assert.match(script, /^ip route replace 10\.0\.0\.0\/16 via .* dev "\$device"$/m);
    });

    it("the role may attach only the NAT's interface, only to an instance of the NAT's group", () => {
        const policy = natAttachPolicy("arn:aws:ec2:us-east-1:123456789012:network-interface/eni-0abc", "nat-asg-1");
        assert.deepStrictEqual(policy.Statement.map((s) => [s.Action, s.Resource]), [
            ["ec2:AttachNetworkInterface", "arn:aws:ec2:us-east-1:123456789012:network-interface/eni-0abc"],
            ["ec2:AttachNetworkInterface", "arn:aws:ec2:us-east-1:123456789012:instance/*"],
        ]);
        assert.deepStrictEqual(policy.Statement[1].Condition, { StringEquals: { "ec2:ResourceTag/aws:autoscaling:groupName": "nat-asg-1" } });
    });
});

describe("NatInstance component (natGateways: instance)", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runWith({ natGateways: "instance", availabilityZones: 3 });
    });

    it("asks awsx for no NAT gateway and needs no VPC endpoints", () => {
        assert.deepStrictEqual(run.one("awsx:ec2:Vpc").inputs.natGateways, { strategy: "None" });
        assert.strictEqual(run.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").length, 0);
    });

    // A route table holds one route per destination (CreateRoute: RouteAlreadyExists): with
    // 0.0.0.0/0, a switch to NAT gateways met awsx's 0.0.0.0/0 route before ours was deleted. Two
    // halves never share a destination with a gateway's default route, and win over it while both exist.
    it("sends every private subnet's traffic outside the VPC to the fixed interface as two halves of the address space, none of the public ones'", () => {
        const nic = run.one("aws:ec2/networkInterface:NetworkInterface");
        const routes = run.ofType("aws:ec2/route:Route");
        assert.deepStrictEqual(routes.map((r) => r.inputs.routeTableId).sort(), ["rtb-private0", "rtb-private0", "rtb-private1", "rtb-private1", "rtb-private2", "rtb-private2"]);
        for (const table of ["rtb-private0", "rtb-private1", "rtb-private2"]) {
            const own = routes.filter((r) => r.inputs.routeTableId === table);
            assert.deepStrictEqual(own.map((r) => r.inputs.destinationCidrBlock), ["0.0.0.0/1", "128.0.0.0/1"]);
            assert.ok(own.every((r) => r.inputs.networkInterfaceId === nic.id));
        }
        assert.ok(!routes.some((r) => r.inputs.destinationCidrBlock === "0.0.0.0/0"), "0.0.0.0/0 is the NAT gateways' route");
        // AWS VPC user guide, "NAT instances": source/destination checks must be off.
        assert.strictEqual(nic.inputs.sourceDestCheck, false);
        assert.strictEqual(nic.inputs.subnetId, "subnet-public0");
    });

    it("keeps one Graviton Amazon Linux 2023 instance in that interface's subnet, IMDSv2 only, no key pair", () => {
        const asg = run.one("aws:autoscaling/group:Group").inputs;
        assert.deepStrictEqual([asg.minSize, asg.maxSize, asg.desiredCapacity, asg.vpcZoneIdentifiers], [1, 1, 1, ["subnet-public0"]]);
        const template = run.one("aws:ec2/launchTemplate:LaunchTemplate").inputs;
        assert.strictEqual(template.instanceType, "t4g.nano");
        assert.strictEqual(template.imageId, "ami-0a64a64a64a64a64a", `the AMI of ${natAmiParameter}`);
        assert.strictEqual(template.metadataOptions.httpTokens, "required");
        assert.strictEqual(template.keyName, undefined);
        assert.strictEqual(template.networkInterfaces[0].associatePublicIpAddress, "true");
        const userData = Buffer.from(template.userData, "base64").toString();
        assert.match(userData, new RegExp(`^interface_id=${run.one("aws:ec2/networkInterface:NetworkInterface").id}$`, "m"));
    });

    // A new AMI published by AWS replaced the instance at the next `pulumi up`, shown as [secret].
    it("keeps its AMI from creation on, in clear, until natInstanceAmi names another", async () => {
        const template = run.one("aws:ec2/launchTemplate:LaunchTemplate");
        assert.deepStrictEqual(template.ignoreChanges, ["imageId"]);
        assert.strictEqual(typeof template.inputs.imageId, "string", "the parameter's insecureValue, not its secret value");
        const pinned = await runWith({ natGateways: "instance", natInstanceAmi: "ami-0123456789abcdef0" });
        const chosen = pinned.one("aws:ec2/launchTemplate:LaunchTemplate");
        assert.deepStrictEqual([chosen.inputs.imageId, chosen.ignoreChanges], ["ami-0123456789abcdef0", []]);
        assert.throws(() => parse({ natInstanceAmi: "ami-0123456789abcdef0" }), /flask-fargate:natInstanceAmi is "ami-0123456789abcdef0"; it applies only when flask-fargate:natGateways is instance \(it is one-per-az\)/);
        assert.throws(() => parse({ natGateways: "instance", natInstanceAmi: "al2023" }), /flask-fargate:natInstanceAmi is "al2023"; it must be an Amazon Linux 2023 arm64 AMI id/);
    });

    // The attach loop may run 600 s; a token fetched once with a 300 s lifetime expired inside it.
    it("asks the instance metadata service for a fresh token with every request", () => {
        const userData = natUserData("eni-0123", "10.0.0.0/16");
        const imds = /imds\(\) \{([\s\S]*?)\n\}/.exec(userData)![1];
        assert.match(imds, /token=\$\(curl -sf -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: \d+" http:\/\/169\.254\.169\.254\/latest\/api\/token\)/);
        assert.match(imds, /X-aws-ec2-metadata-token: \$token/);
        assert.strictEqual((userData.match(/api\/token/g) ?? []).length, 1, "no token fetched outside imds()");
    });

    it("admits only the VPC's range, on 443, and no SSH", () => {
        const group = run.one("aws:ec2/securityGroup:SecurityGroup", "-nat-sg");
        const ingress = run.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === group.id);
        assert.deepStrictEqual(ingress.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort]), [["10.0.0.0/16", 443, 443]]);
    });

    it("the instance role has Session Manager and its own attach policy, nothing else", () => {
        const role = run.one("aws:iam/role:Role", "-nat-role");
        assert.deepStrictEqual(json(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "ec2.amazonaws.com" });
        const attachments = run.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role.state.name);
        assert.deepStrictEqual(attachments.map((a) => a.inputs.policyArn), ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
        const inline = run.one("aws:iam/rolePolicy:RolePolicy", "-nat-attach");
        const nic = run.one("aws:ec2/networkInterface:NetworkInterface");
        assert.deepStrictEqual(json(inline.inputs.policy).Statement[0].Resource, nic.state.arn);
    });
});
