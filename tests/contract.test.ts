/**
 * The AWS request contract over the program under mocks (tests/contract.ts; docs/aws-contract.md):
 * what the committed stacks, and every config any test of the suite runs, declare is what AWS
 * accepts.
 */
import * as assert from "assert";
import { createHash } from "crypto";
import { checkContract, durationSeconds, formatViolations } from "./contract";
import { recordedRuns, runStack, runWith } from "./harness";

describe("AWS request contract: what the program declares is what AWS accepts", () => {
    for (const stack of ["dev", "prod"]) {
        it(`the committed ${stack} stack passes`, async () => {
            assert.deepStrictEqual(formatViolations(checkContract((await runStack(stack)).resources, stack)), []);
        });
    }

    it("a type without a contract fails: every AWS type the program declares has one", () => {
        const [violation] = checkContract([{ type: "aws:ec2/instance:Instance", urn: "urn:pulumi:dev::flask-fargate::aws:ec2/instance:Instance::x", inputs: {} }]);
        assert.strictEqual(violation.id, "contract-coverage");
        assert.match(violation.rule, /no AWS request contract for this type/);
    });

    it("takes a service's customTimeouts: a long blue/green bake fits a longer wait", () => {
        const service = {
            type: "aws:ecs/service:Service",
            urn: "urn:pulumi:dev::flask-fargate::aws:ecs/service:Service::app-service",
            inputs: { waitForSteadyState: true, deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: "30" } },
        };
        const ids = (timeouts: Record<string, string>) =>
            checkContract([{ ...service, custom: true, customTimeouts: { create: "", update: "", ...timeouts } } as any]).map((v) => v.id);
        assert.ok(ids({}).includes("ecs-steady-state-timeout"));
        assert.ok(!ids({ create: "1h" }).includes("ecs-steady-state-timeout"));
        assert.strictEqual(durationSeconds("1h30m"), 5400);
        assert.throws(() => durationSeconds("90 minutes"), /not a duration/);
    });

    it("names the API operation, the member, the rule and its source, as the stand-in does", () => {
        const [violation] = checkContract([
            {
                type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
                inputs: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "the instance's calls" },
            },
        ]);
        assert.strictEqual(violation.api, "ec2:AuthorizeSecurityGroupEgress");
        assert.strictEqual(violation.member, "IpPermissions[0].IpRanges[0].Description");
        assert.match(violation.rule, /^must match pattern/);
        assert.match(violation.source, /^botocore ec2 2016-11-15 IpRange\.Description/);
    });
});

// Settings the config accepted on 2026-12-03 that AWS refuses (docs/aws-contract.md). Each is now
// refused by the program at preview, naming the setting, or turned into a request AWS takes.
describe("AWS request contract: a setting AWS refused is refused at preview, or made a request AWS takes", () => {
    const cases: [string, Record<string, unknown>, string][] = [
        ["an 11-digit MAX_UPLOAD_BYTES under WAF (a 223-character regex): refused", { waf: true, environment: ["MAX_UPLOAD_BYTES=10000000000"] }, "refused"],
        ["a partial Secrets Manager ARN, which the execution role's grant cannot match: refused", { secrets: ["DB=arn:aws:secretsmanager:us-east-1:123456789012:secret:db"] }, "refused"],
        ["deploymentMaxPercent 100: AZ rebalancing off, which AWS requires below 101 %", { deploymentMaxPercent: 100, deploymentMinHealthyPercent: 0 }, "valid"],
        ["a 16-minute blue/green bake: a service timeout that outlasts the deployment", { deploymentStrategy: "blue-green", bakeTimeMinutes: 16 }, "valid"],
    ];
    for (const [what, settings, outcome] of cases) {
        it(what, async () => {
            const run = await Promise.resolve()
                .then(() => runWith(settings))
                .catch((err: Error) => err);
            if (outcome === "refused") {
                assert.ok(run instanceof Error, `the program accepts ${JSON.stringify(settings)}`);
                assert.match(run.message, new RegExp(`^flask-fargate:(${Object.keys(settings).join("|")}) is `));
            } else {
                assert.ok(!(run instanceof Error), String(run));
                assert.deepStrictEqual(formatViolations(checkContract(run.resources)), []);
            }
        });
    }
});

// A root hook: after every test file has run, each config any test ran the program with (the
// committed stacks, HTTPS, EC2, blue/green, WAF, an existing VPC, endpoints, the NAT instance,
// secrets with KMS, ...) is checked in one run of the contract's command.
after("every config the suite ran the program with passes the AWS request contract", async function () {
    this.timeout(120000);
    const runs = await recordedRuns();
    const resources = runs.flatMap(({ key, resources }) => {
        const group = `run ${createHash("sha256").update(key).digest("hex").slice(0, 8)}`;
        return resources.map((r) => ({ ...r, group }));
    });
    const violations = checkContract(resources);
    const configs = [...new Set(violations.map((v) => v.group))].map((group) => {
        const run = runs.find(({ key }) => `run ${createHash("sha256").update(key).digest("hex").slice(0, 8)}` === group);
        const key = run?.key ?? "";
        return `${group}: ${key.length > 400 ? `${key.slice(0, 400)}...` : key}`;
    });
    assert.deepStrictEqual(formatViolations(violations), [], `in ${runs.length} configs; those with violations:\n${configs.join("\n")}`);
});
