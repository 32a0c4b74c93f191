/**
 * Review stacks through the real CLI (see engine.ts), driven by the automation module as
 * `npm run deploy -- review ...` drives it: up and destroy of a pull request's stack with a long
 * pull request number and an awkward branch name.
 */
import * as assert from "assert";
import { reviewDestroy, reviewList, reviewUp } from "../../automation/review";
import { EngineProject, policyPack } from "./engine";

describe("engine tier: a review stack per pull request", function () {
    this.timeout(10 * 60 * 1000);
    let project: EngineProject;
    const pr = "12345678901234";
    const stack = `pr-${pr}`;
    // The project's workDir, inline program, CLI and environment (its stack name is the review's own anyway).
    const options = () => ({ ...project.stackOptions(stack), pr, branch: "feature/ünïcode-#42's", policyPacks: [policyPack] });

    before(() => (project = new EngineProject()));
    after(() => project?.cleanup());

    it("review up creates pr-N from dev's settings, passing the policy pack, and returns its URL and monthly floor", async () => {
        const result = await reviewUp(options());
        assert.strictEqual(result.stack, stack);
        assert.match(result.url ?? "", /^http:\/\/.+\.elb\.amazonaws\.com$/);
        assert.ok(result.result.changes.create >= 40, JSON.stringify(result.result.changes));
        assert.ok(Math.abs(result.cost.monthlyUsd - 39.62) < 0.005, String(result.cost.monthlyUsd));
        const resources = (await (await project.stack(stack)).exportStack()).deployment.resources as { type: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[];
        const one = (type: string) => resources.find((r) => r.type === type)!;
        // Names from the stack's, within AWS's limits; the stack's own tags; the cheapest settings.
        assert.strictEqual(one("aws:ecs/taskDefinition:TaskDefinition").inputs.family, `flask-fargate-${stack}-app`);
        assert.strictEqual(one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName, `flask-fargate-${stack}`);
        assert.deepStrictEqual(
            one("aws:ecs/cluster:Cluster").outputs.tagsAll,
            { project: "flask-fargate", stack, "managed-by": "pulumi", "review-pr": pr, branch: "feature/ünïcode-_42_s" },
        );
        assert.strictEqual(one("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 7, "the policy pack's minimum");
        assert.strictEqual(one("aws:ecs/service:Service").inputs.desiredCount, 1);
        assert.ok(!resources.some((r) => r.type.startsWith("aws:wafv2/")), "no WAF");
        assert.strictEqual(resources.filter((r) => r.type === "aws:s3/bucket:Bucket").length, 1, "its own bucket only: no access-logs bucket");
        assert.ok(resources.every((r) => !(r as { protect?: boolean }).protect), "nothing protected");
    });

    it("review list shows it, by its pull request", async () => {
        const [listed, ...others] = await reviewList(project.stackOptions(stack));
        assert.deepStrictEqual(others, []);
        assert.deepStrictEqual([listed.stack, listed.pr], [stack, pr]);
        assert.ok(listed.lastUpdate !== undefined && Date.now() - new Date(listed.lastUpdate).getTime() < 3600000, String(listed.lastUpdate));
    });

    it("review destroy, from a fresh copy of the project, deletes every resource and removes the stack; again, it is nothing to do", async () => {
        const result = await reviewDestroy(options());
        assert.strictEqual(result.existed, true);
        assert.ok(result.deleted >= 40, String(result.deleted));
        assert.deepStrictEqual(await reviewList(project.stackOptions(stack)), []);
        assert.deepStrictEqual(await reviewDestroy(options()), { stack, existed: false, deleted: 0 });
    });
});
