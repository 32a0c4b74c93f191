import * as assert from "assert";
import { policies } from "../../policy/policies";
import { ProgramRun, runStack, runWith } from "../harness";
import { fromRun, violations } from "./harness";

/** Every violation of every policy over one run, as "policy: message" (`config`: the pack's config, by policy name). */
async function allViolations(run: ProgramRun, config: Record<string, Record<string, unknown>> = {}): Promise<string[]> {
    const found: string[] = [];
    for (const policy of policies) {
        for (const message of await violations(policy as never, fromRun(run), config[policy.name])) {
            found.push(`${policy.name}: ${message}`);
        }
    }
    return found;
}

describe("policy pack over the program's own stacks", () => {
    const cases: [string, () => Promise<ProgramRun>][] = [
        ["dev", () => runStack("dev")],
        ["prod", () => runStack("prod")],
        ["HTTPS with a domain", () => runWith({ domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }, "prod")],
        ["EC2 capacity", () => runWith({ capacity: "ec2" })],
        ["secrets with a KMS key", () => runWith({ secrets: ["DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"], secretsKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k-1" })],
    ];
    for (const [what, run] of cases) {
        it(`${what}: no violation`, async () => {
            assert.deepStrictEqual(await allViolations(await run()), []);
        });
    }

    it("ECS Exec, endpoints without NAT: only the writable root filesystem is reported, and execStacks excepts it", async () => {
        const run = await runWith({ enableExecuteCommand: true, natGateways: "none", vpcEndpoints: true });
        const found = await allViolations(run);
        assert.ok(found.length > 0 && found.every((v) => v.startsWith("ecs-readonly-nonroot:") && v.includes("writable root filesystem")), found.join("\n"));
        assert.deepStrictEqual(await allViolations(run, { "ecs-readonly-nonroot": { execStacks: ["test"] } }), []);
    });

    it("the pack sees the program's resources: a weakened stack is caught", async () => {
        const run = await runStack("prod");
        const alb = run.one("aws:lb/loadBalancer:LoadBalancer");
        alb.inputs.enableDeletionProtection = false;
        alb.inputs.dropInvalidHeaderFields = false;
        const found = await allViolations(run);
        assert.ok(found.some((v) => v.startsWith("alb-deletion-protection:")), found.join("\n"));
        assert.ok(found.some((v) => v.startsWith("alb-drop-invalid-headers:")), found.join("\n"));
    });
});
