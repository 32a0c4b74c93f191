import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { guarded, unchecked } from "../../policy/policies/coverage";
import { policies } from "../../policy/policies";
import { canonicalType } from "../../policy/policies/util";
import { root, runStack, runWith, typesDeclaredSoFar } from "../harness";
import { corpus } from "./corpus";

/**
 * The children awsx's Vpc registers (awsx 3.x, awsx/ec2/vpc.ts; the engine tier's stand-in
 * registers the same): the mocks see the Vpc as one component, the pack sees these.
 */
const awsxVpcChildren = [
    "aws:ec2/vpc:Vpc",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/route:Route",
    "aws:ec2/eip:Eip",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/vpcEndpoint:VpcEndpoint",
];

/** The AWS (and docker-build) resource types the runs so far declared, as the pack names them; awsx's Vpc stands for its children. */
async function declared(): Promise<{ types: string[]; runs: number }> {
    const { types, runs } = await typesDeclaredSoFar();
    const all = [...types].flatMap((t) => (t === "awsx:ec2:Vpc" ? awsxVpcChildren : [t])).filter((t) => !t.startsWith("pulumi:"));
    return { types: [...new Set(all.map(canonicalType))].sort(), runs };
}

const missingFromTable = (types: string[]) => types.filter((t) => guarded[t] === undefined && unchecked[t] === undefined);

/** The rows of the markdown table under `heading` in docs/guardrails.md: first cell -> second cell. */
function docTable(heading: string): Record<string, string> {
    const text = fs.readFileSync(path.join(root, "docs", "guardrails.md"), "utf8");
    const section = text.split(/^## /m).find((s) => s.startsWith(heading));
    assert.ok(section, `docs/guardrails.md has no section "## ${heading}"`);
    const rows = section.split("\n").filter((l) => /^\| `/.test(l));
    return Object.fromEntries(rows.map((l) => l.split("|").map((c) => c.trim())).map((cells) => [cells[1].replace(/`/g, ""), cells[2]]));
}

describe("coverage by type: every type the program declares is guarded or listed with its reason", () => {
    it("under the committed stacks and the configs of the suite (dev, prod, HTTPS, EC2, blue/green, WAF, existing VPC, endpoints and exec, NAT instance, subscribers, secrets, access-log bucket)", async function () {
        this.timeout(300_000);
        for (const run of [
            () => runStack("dev"),
            () => runStack("prod"),
            () => runWith({ domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }, "prod"),
            () => runWith({ capacity: "ec2" }),
            () => runWith({ deploymentStrategy: "blue-green" }, "prod"),
            () => runWith({ waf: true }),
            () => runWith({ vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"], privateSubnetIds: ["subnet-0b0b0b0b0b0b0b0b1", "subnet-0b0b0b0b0b0b0b0b2"] }),
            () => runWith({ natGateways: "none", vpcEndpoints: true, enableExecuteCommand: true }),
            () => runWith({ natGateways: "instance" }),
            () => runWith({ alarmEmails: ["ops@example.com"], alarmHttpsEndpoints: ["https://hooks.example.com/alarms"] }),
            () => runWith({ secrets: ["DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"], secretsKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k-1" }),
        ]) {
            await run();
        }
        const { types, runs } = await declared();
        console.log(`      ${types.length} types declared over ${runs} runs: ${types.filter((t) => guarded[t]).length} guarded, ${types.filter((t) => unchecked[t]).length} listed as unchecked`);
        assert.deepStrictEqual(missingFromTable(types), []);
    });

    // Runs after every test of the suite: configs other test files ran (a new settings matrix, a second service) are held to the table too.
    after(async () => {
        const { types } = await declared();
        assert.deepStrictEqual(missingFromTable(types), [], "types declared by some config of the suite that are neither guarded nor listed in policy/policies/coverage.ts");
    });

    it("no type is both guarded and listed as unchecked; every guard names a policy of the pack", () => {
        assert.deepStrictEqual(Object.keys(guarded).filter((t) => unchecked[t] !== undefined), []);
        const names = new Set(policies.map((p) => p.name));
        assert.deepStrictEqual(Object.values(guarded).flat().filter((n) => !names.has(n)), []);
    });

    it("every guard is shown by a corpus case of that policy on that type", () => {
        const unshown = Object.entries(guarded).flatMap(([type, names]) =>
            names.filter((n) => ![...(corpus[n]?.bad ?? []), ...(corpus[n]?.good ?? [])].some((k) => k.inputs.some((i) => canonicalType(i.type) === type))).map((n) => `${type}: ${n}`),
        );
        assert.deepStrictEqual(unshown, []);
    });

    it("docs/guardrails.md's tables are the code's", () => {
        const guards = docTable("Coverage by type");
        assert.deepStrictEqual(
            Object.fromEntries(Object.entries(guards).map(([t, cell]) => [t, cell.split(",").map((n) => n.replace(/`/g, "").trim())])),
            guarded,
        );
        assert.deepStrictEqual(docTable("Deliberately unchecked"), unchecked);
    });
});
