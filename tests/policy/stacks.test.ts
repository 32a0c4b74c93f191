import * as assert from "assert";
import { policies } from "../../policy/policies";
import { ProgramRun, runStack, runWith } from "../harness";
import { fromRun, Input, previewOf, unknown, violations } from "./harness";

/** Every violation of every policy over one run (as an update sees it, or as a preview), as "policy: message" (`config`: the pack's config, by policy name). */
async function allViolations(run: ProgramRun, inputs: Input[] = fromRun(run), config: Record<string, Record<string, unknown>> = {}): Promise<string[]> {
    const found: string[] = [];
    for (const policy of policies) {
        for (const message of await violations(policy as never, inputs, config[policy.name])) {
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
        ["blue/green deployments", () => runWith({ deploymentStrategy: "blue-green" }, "prod")],
        ["EC2 capacity", () => runWith({ capacity: "ec2" })],
        ["secrets with a KMS key", () => runWith({ secrets: ["DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"], secretsKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k-1" })],
    ];
    for (const [what, run] of cases) {
        it(`${what}: no violation, in an update and in a preview (no policy advisory for want of a value)`, async () => {
            const recorded = await run();
            assert.deepStrictEqual(await allViolations(recorded), []);
            assert.deepStrictEqual(await allViolations(recorded, previewOf(recorded)), []);
        });
    }

    it("a preview does not know the values made from outputs: ARNs, container definitions, policy documents", async () => {
        const preview = previewOf(await runStack("prod"));
        const props = (type: string, suffix = "") => preview.find((r) => r.type === type && r.name.endsWith(suffix))!.props;
        assert.strictEqual(props("aws:ecs/taskDefinition:TaskDefinition").containerDefinitions, unknown);
        assert.strictEqual(props("aws:ecs/taskDefinition:TaskDefinition").taskRoleArn, unknown);
        assert.strictEqual(props("aws:iam/rolePolicy:RolePolicy", "-bucket").policy, unknown);
        assert.strictEqual(props("aws:iam/role:Role", "-task").arn, unknown);
        assert.strictEqual(typeof props("aws:iam/role:Role", "-task").assumeRolePolicy, "string");
    });

    it("at preview, what is bad in the known part is still caught", async () => {
        const run = await runStack("prod");
        const preview = previewOf(run).map((r) => {
            if (r.type === "aws:lb/loadBalancer:LoadBalancer") return { ...r, props: { ...r.props, enableDeletionProtection: false } };
            if (r.type === "aws:iam/role:Role" && r.name.endsWith("-execution")) return { ...r, props: { ...r.props, assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }) } };
            return r;
        });
        const found = await allViolations(run, preview);
        for (const name of ["alb-deletion-protection", "iam-task-role-trust", "iam-role-trust"]) {
            assert.ok(found.some((v) => v.startsWith(`${name}:`)), `${name} not reported:\n${found.join("\n")}`);
        }
        assert.deepStrictEqual(found.filter((v) => v.includes("advisory:")), []);
    });

    it("ECS Exec, endpoints without NAT: only the writable root filesystem is reported, and execStacks excepts it", async () => {
        const run = await runWith({ enableExecuteCommand: true, natGateways: "none", vpcEndpoints: true });
        const found = await allViolations(run);
        assert.ok(found.length > 0 && found.every((v) => v.startsWith("ecs-readonly-nonroot:") && v.includes("writable root filesystem")), found.join("\n"));
        assert.deepStrictEqual(await allViolations(run, fromRun(run), { "ecs-readonly-nonroot": { execStacks: ["test"] } }), []);
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
