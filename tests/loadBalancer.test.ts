import * as assert from "assert";
import { tlsPolicy } from "../components/loadBalancer";
import { ProgramRun, Recorded, runWith } from "./harness";

const https = { domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" };
const lbGroup = (run: ProgramRun) => run.one("aws:ec2/securityGroup:SecurityGroup", "web-sg");
const ingressOf = (run: ProgramRun, group: Recorded) =>
    run.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === group.id);
const listeners = (run: ProgramRun) => run.ofType("aws:lb/listener:Listener");

describe("LoadBalancer component", () => {
    it("is internet-facing in the public subnets of at least two zones, and drops invalid headers", async () => {
        const run = await runWith();
        const alb = run.one("aws:lb/loadBalancer:LoadBalancer").inputs;
        assert.deepStrictEqual([alb.loadBalancerType, alb.internal, alb.dropInvalidHeaderFields], ["application", false, true]);
        assert.deepStrictEqual(alb.subnets, ["subnet-public0", "subnet-public1"]);
        assert.deepStrictEqual(alb.securityGroups, [lbGroup(run).id]);
    });

    it("has deletion protection with protectData, a configurable idle timeout, and access logs when a bucket is given", async () => {
        const on = (await runWith({ protectData: true, idleTimeout: 120, accessLogsBucket: "my-alb-logs" })).one("aws:lb/loadBalancer:LoadBalancer").inputs;
        assert.deepStrictEqual([on.enableDeletionProtection, on.idleTimeout], [true, 120]);
        assert.deepStrictEqual(on.accessLogs, { bucket: "my-alb-logs", prefix: "flask-fargate-test", enabled: true });
        const off = (await runWith({ protectData: false, accessLogs: false })).one("aws:lb/loadBalancer:LoadBalancer").inputs;
        assert.deepStrictEqual([off.enableDeletionProtection, off.accessLogs], [false, undefined]);
    });

    it("admits only its listener ports, from the configured CIDRs, each rule described", async () => {
        const open = await runWith();
        assert.deepStrictEqual(
            ingressOf(open, lbGroup(open)).map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]),
            [[80, 80, "0.0.0.0/0"]],
        );
        const restricted = await runWith({ ingressCidrs: ["203.0.113.0/24", "2001:db8::/32"], domainName: https.domainName, hostedZoneId: https.hostedZoneId });
        const rules = ingressOf(restricted, lbGroup(restricted)).map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6]);
        assert.deepStrictEqual(rules.sort(), [
            [443, "2001:db8::/32"],
            [443, "203.0.113.0/24"],
            [80, "2001:db8::/32"],
            [80, "203.0.113.0/24"],
        ]);
        for (const r of [...ingressOf(restricted, lbGroup(restricted)), lbGroup(restricted)]) {
            assert.ok(r.inputs.description, `${r.name} has a description`);
        }
    });

    it("targets the tasks by IP on the container port, checking the health path on the traffic port", async () => {
        const run = await runWith({ containerPort: 9000, healthCheckPath: "/ready", healthCheckInterval: 15, healthyThreshold: 3, deregistrationDelay: 5 });
        const tg = run.one("aws:lb/targetGroup:TargetGroup", "-tg").inputs;
        assert.deepStrictEqual([tg.targetType, tg.port, tg.protocol, tg.vpcId], ["ip", 9000, "HTTP", "vpc-0123456789abcdef0"]);
        assert.strictEqual(tg.deregistrationDelay, 5);
        const hc = tg.healthCheck;
        assert.deepStrictEqual([hc.path, hc.port, hc.interval, hc.healthyThreshold], ["/ready", "traffic-port", 15, 3]);
        assert.ok(hc.timeout < hc.interval);
    });

    it("lets AWS name the load balancer and target group, within their 32-character limit", async () => {
        const run = await runWith();
        for (const r of [run.one("aws:lb/loadBalancer:LoadBalancer"), run.one("aws:lb/targetGroup:TargetGroup", "-tg")]) {
            assert.strictEqual(r.inputs.name, undefined);
            // Pulumi appends "-" and 7 random characters to the logical name.
            assert.ok(r.name.length + 8 <= 32, `${r.name} leaves room for the random suffix`);
        }
    });

    // The app's route is the load balancer's default route: the listener forwards to its blue group
    // from its creation on, so a stack that had no rules before gets none of its traffic refused
    // while its new rules are being created.
    it("without a domain, HTTP on 80: the app's route takes every path, last, and is the listener's default", async () => {
        const run = await runWith();
        const [http] = listeners(run);
        assert.strictEqual(listeners(run).length, 1);
        assert.deepStrictEqual([http.inputs.port, http.inputs.protocol], [80, "HTTP"]);
        assert.deepStrictEqual(http.inputs.defaultActions, [{ type: "forward", targetGroupArn: run.one("aws:lb/targetGroup:TargetGroup", "-tg").state.arn }]);
        const production = run.one("aws:lb/listenerRule:ListenerRule", "web-production-rule").inputs;
        assert.deepStrictEqual([production.listenerArn, production.conditions, production.priority], [http.state.arn, [{ pathPattern: { values: ["/*"] } }], 50000]);
        assert.strictEqual(production.actions[0].forward.targetGroups[0].arn, run.one("aws:lb/targetGroup:TargetGroup", "-tg").state.arn);
        assert.match(run.outputs.url, /^http:\/\/web-alb-/);
        assert.strictEqual(run.ofType("aws:acm/certificate:Certificate").length, 0);
    });

    it("with a domain, serves HTTPS with TLS 1.3 on an issued certificate, redirects HTTP, and points the name at the ALB", async () => {
        const run = await runWith(https);
        const cert = run.one("aws:acm/certificate:Certificate");
        assert.deepStrictEqual([cert.inputs.domainName, cert.inputs.validationMethod], [https.domainName, "DNS"]);
        const validationRecord = run.one("aws:route53/record:Record", "-cert-validation").inputs;
        assert.deepStrictEqual([validationRecord.zoneId, validationRecord.name, validationRecord.type], [https.hostedZoneId, `_x1.${https.domainName}.`, "CNAME"]);
        const validation = run.one("aws:acm/certificateValidation:CertificateValidation");
        assert.deepStrictEqual(validation.inputs.validationRecordFqdns, [validationRecord.name]);

        const byPort = Object.fromEntries(listeners(run).map((l) => [l.inputs.port, l]));
        const tls = byPort[443];
        assert.deepStrictEqual([tls.inputs.protocol, tls.inputs.sslPolicy], ["HTTPS", tlsPolicy]);
        assert.match(tlsPolicy, /TLS13/);
        // The listener takes the validation's ARN, so it waits for issuance.
        assert.ok(tls.dependencies.includes(validation.urn));
        assert.deepStrictEqual(tls.inputs.defaultActions[0].type, "forward");
        assert.strictEqual(run.one("aws:lb/listenerRule:ListenerRule", "web-production-rule").inputs.listenerArn, tls.state.arn);
        assert.deepStrictEqual(byPort[80].inputs.defaultActions, [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);

        const alb = run.one("aws:lb/loadBalancer:LoadBalancer").state;
        const alias = run.one("aws:route53/record:Record", "-alias").inputs;
        assert.deepStrictEqual([alias.zoneId, alias.name, alias.type], [https.hostedZoneId, https.domainName, "A"]);
        assert.deepStrictEqual(alias.aliases, [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }]);
        assert.strictEqual(run.outputs.url, "https://app.example.com");
    });
});

describe("updates AWS would turn into replacements", () => {
    // terraform-provider-aws internal/service/ec2/vpc_security_group.go: `description` is ForceNew, and a
    // group in use by an ENI (the ALB's, the tasks') cannot be deleted, so a description that followed a
    // setting would make that setting's change a failing replacement.
    it("no security group's description depends on a setting", async function () {
        // Five runs of the program: beyond mocha's 20 s when the machine is loaded (it failed so in npm test at a load average of 8-10).
        this.timeout(5 * 60 * 1000);
        const descriptions = async (overrides: Record<string, unknown>) =>
            Object.fromEntries((await runWith(overrides)).ofType("aws:ec2/securityGroup:SecurityGroup").map((g) => [g.name, g.inputs.description]));
        const base = await descriptions({ capacity: "ec2", natGateways: "none", vpcEndpoints: true });
        for (const overrides of [{ containerPort: 9000 }, { ingressCidrs: ["203.0.113.0/24"] }, { domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }, { enableExecuteCommand: true }]) {
            const changed = await descriptions({ capacity: "ec2", natGateways: "none", vpcEndpoints: true, ...overrides });
            assert.deepStrictEqual(changed, base, JSON.stringify(overrides));
        }
    });
});
