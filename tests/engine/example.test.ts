/**
 * examples/two-services through the real CLI: the committed dev stack plus a worker and a second
 * web service, previewed with the policy pack against the stand-ins, which hold every request to
 * AWS's published rules.
 */
import * as assert from "assert";
import { EngineProject, policyPack, preview } from "./engine";

describe("engine tier: examples/two-services previews through the real CLI", function () {
    this.timeout(10 * 60 * 1000);
    let project: EngineProject;
    before(() => {
        project = new EngineProject();
    });
    after(() => project?.cleanup());

    it("adds the worker and the api, each with its target groups, alarms and dashboard, the policy pack passing", async () => {
        const stack = await project.stack("dev", { module: "examples/two-services", fn: "program" });
        const run = await preview(stack, { policyPacks: [policyPack] });
        assert.deepStrictEqual(run.policyEvents.map((e) => `${e.policyName}: ${e.message}`), []);
        const created = run.steps.filter((s) => s.op === "create").map((s) => s.urn.split("::").pop()!);
        for (const name of ["worker-service", "worker-dashboard", "worker-cpu-high", "api-service", "api-tg", "api-tg-green", "api-production-rule", "api-target-5xx", "api-dashboard", "api-to-targets"]) {
            assert.ok(created.includes(name), `${name} is not created:\n${created.join("\n")}`);
        }
        assert.deepStrictEqual(run.steps.filter((s) => s.op !== "create" && s.op !== "same"), []);
    });
});
