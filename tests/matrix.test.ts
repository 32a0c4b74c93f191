/**
 * Every setting the program accepts deploys: the settings matrix (tests/matrix.ts) under mocks.
 * Each config the program accepts must run to the end; each value it refuses must be refused at
 * preview naming a setting of the stack file.
 */
import * as assert from "assert";
import { projectName } from "../lib/config";
import { runProgram } from "./harness";
import { parse, settingsMatrix } from "./matrix";

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

    it("every accepted config runs to the end under mocks", async () => {
        for (const config of matrix.accepted) {
            const parsed = parse(config.settings);
            if (parsed instanceof Error) {
                throw parsed;
            }
            await runProgram(parsed, "matrix").catch((err) => assert.fail(`${config.name}: ${err.message}`));
        }
    });
});
