/**
 * Every setting the program accepts deploys: the settings matrix (tests/matrix.ts) under mocks.
 * Each config the program accepts must run to the end; each value it refuses must be refused at
 * preview naming a setting of the stack file.
 */
import * as assert from "assert";
import { projectName } from "../lib/config";
import { policies } from "../policy/policies";
import { runProgram } from "./harness";
import { parse, settingsMatrix } from "./matrix";
import { checkContract, formatViolations } from "./contract";
import { fromRun, violations } from "./policy/harness";

describe("the settings matrix", () => {
    const matrix = settingsMatrix();

    before(() => {
        console.log(
            `      settings matrix: ${matrix.accepted.length} configs (${matrix.probes} boundary values packed into ${matrix.boundaryConfigs} configs, ` +
                `${matrix.combinations} combinations of the choices), ${matrix.refused.length} boundary values refused at preview`,
        );
    });

    it("each boundary value the program refuses, it refuses naming a setting the stack file sets", () => {
        for (const { probe, message } of matrix.refused) {
            const named = new RegExp(`^${projectName}:(\\w+) is `).exec(message)?.[1];
            assert.ok(named !== undefined && named in probe.settings, `${probe.name}: ${message}`);
        }
    });

    it("every combination of capacity, deployment strategy, network, WAF and domain is accepted", () => {
        for (const config of matrix.accepted) {
            const parsed = parse(config.settings);
            assert.ok(!(parsed instanceof Error), `${config.name}: ${(parsed as Error).message}`);
        }
    });

    // CI runs the policy pack with every preview: a config the program accepts and its own pack
    // refuses stops there, with a message naming a resource rather than the setting.
    it("every accepted config runs to the end under mocks, its own policy pack passes it, and AWS's published rules take its requests", async () => {
        const requests: Parameters<typeof checkContract>[0] = [];
        for (const config of matrix.accepted) {
            const parsed = parse(config.settings);
            if (parsed instanceof Error) {
                throw parsed;
            }
            const run = await runProgram(parsed, "matrix").catch((err) => assert.fail(`${config.name}: ${err.message}`));
            const found: string[] = [];
            for (const policy of policies) {
                // ECS Exec needs a writable root filesystem: the pack allows it in the stacks its `execStacks` names.
                const pack = policy.name === "ecs-readonly-nonroot" && parsed.enableExecuteCommand ? { execStacks: ["matrix"] } : {};
                found.push(...(await violations(policy as never, fromRun(run), pack)).map((m) => `${policy.name}: ${m}`));
            }
            assert.deepStrictEqual(found, [], config.name);
            requests.push(...run.resources.map((r) => ({ ...r, group: config.name })));
        }
        // Every request each config makes, in one run of the AWS request contract (docs/aws-contract.md).
        assert.deepStrictEqual(formatViolations(checkContract(requests)), []);
    });
});
