/**
 * The committed stacks through the real Pulumi CLI (see engine.ts): what the mocks cannot show.
 */
import * as auto from "@pulumi/pulumi/automation";
import * as assert from "assert";
import { stackConfig } from "../../lib/configSchema";
import { changes, EngineProject, policyPack, preview, Run, up } from "./engine";

/** Every output a stack exports (index.ts). */
const outputNames = ["url", "clusterName", "serviceName", "taskDefinitionArn", "repositoryUrl", "image", "logGroupName", "bucketName", "runTaskCommand", "runTaskTarget"];

/** No policy reported anything: no violation, and no policy left advisory because a value was unknown. */
function assertNoPolicyEvents(run: Run): void {
    assert.deepStrictEqual(
        run.policyEvents.map((e) => `${e.policyName} (${e.enforcementLevel}) ${e.resourceUrn ?? ""}: ${e.message}`),
        [],
    );
    assert.deepStrictEqual(
        run.diagnostics.filter((d) => d.severity === "error" || /can't run policy|advisory|mandatory/i.test(d.message)).map((d) => d.message),
        [],
    );
}

/** The error an operation failed with (its message holds the CLI's stderr). */
async function failure(operation: Promise<unknown>): Promise<string> {
    try {
        await operation;
    } catch (err) {
        return (err as Error).message;
    }
    assert.fail("the operation succeeded");
}

for (const name of ["dev", "prod"]) {
    describe(`engine tier: the ${name} stack through the real CLI`, function () {
        this.timeout(10 * 60 * 1000);
        let project: EngineProject;
        let stack: auto.Stack;

        before(async () => {
            project = new EngineProject();
            stack = await project.stack(name);
        });
        after(() => project?.cleanup());

        it("the CLI hands the program the config that lib/configSchema.ts computes (defaults merged)", async () => {
            const cli = await stack.getAllConfig();
            const expected = stackConfig(name, project.dir);
            assert.deepStrictEqual(Object.fromEntries(Object.entries(cli).map(([k, v]) => [k, v.value])), expected);
        });

        it("preview succeeds with the policy pack, no policy left advisory, and creates the whole stack", async () => {
            const run = await preview(stack, { policyPacks: [policyPack] });
            assertNoPolicyEvents(run);
            const creates = run.steps.filter((s) => s.op === "create").length;
            console.log(`      ${name}: preview creates ${creates} resources`);
            assert.ok(creates >= 40, `${creates} creates`);
            assert.deepStrictEqual(run.steps.filter((s) => s.op !== "create" && s.op !== "same"), []);
        });

        it("up succeeds with the policy pack and sets every stack output", async () => {
            const run = await up(stack, { policyPacks: [policyPack] });
            assertNoPolicyEvents(run);
            for (const output of outputNames) {
                const value = run.outputs[output]?.value;
                assert.ok(value !== undefined && value !== "" && JSON.stringify(value) !== "{}", `${output} is ${JSON.stringify(value)}`);
            }
            assert.match(run.outputs.url.value, /^http:\/\/.+\.elb\.amazonaws\.com$/);
        });

        it("a second preview, from a copy of the project at another path, shows no changes", async () => {
            const other = new EngineProject(project);
            try {
                const run = await preview(await other.stack(name), { expectNoChanges: true });
                assert.deepStrictEqual(changes(run), []);
            } finally {
                other.cleanup(false);
            }
        });

        if (name === "dev") {
            // Each change is previewed against the deployed stack: what it updates, and that it
            // replaces only what AWS cannot change in place.
            const settingChanges: [string, Record<string, unknown>, string[]][] = [
                [
                    "a bigger task replaces the task definition (ECS task definitions are immutable) and rolls the service to it",
                    { cpu: 512, memory: 1024 },
                    ["replace aws:ecs/taskDefinition:TaskDefinition::app-taskdef", "update aws:ecs/service:Service::app-service"],
                ],
                ["desiredCount with applyDesiredCount updates only the service", { desiredCount: 2, applyDesiredCount: true }, ["update aws:ecs/service:Service::app-service"]],
                ["logRetentionDays updates only the log group", { logRetentionDays: 14 }, ["update aws:cloudwatch/logGroup:LogGroup::app-logs"]],
                [
                    "architecture rebuilds the image for the new platform and replaces the task definition",
                    { architecture: "ARM64" },
                    ["replace aws:ecs/taskDefinition:TaskDefinition::app-taskdef", "update aws:ecs/service:Service::app-service", "update docker-build:index:Image::app-build"],
                ],
            ];
            for (const [what, settings, expected] of settingChanges) {
                it(`changing settings: ${what}`, async () => {
                    const full = Object.fromEntries(Object.entries(settings).map(([key, value]) => [`flask-fargate:${key}`, value]));
                    const run = await project.withSettings(name, full, () => preview(stack, { policyPacks: [policyPack] }));
                    assertNoPolicyEvents(run);
                    assert.deepStrictEqual(changes(run), expected);
                });
            }

            it("a bad setting stops the preview with the program's message naming it, and no stack trace", async () => {
                const message = await project.withSettings(name, { "flask-fargate:cpu": 300 }, () => failure(preview(stack)));
                assert.match(message, /flask-fargate:cpu is 300, which is not a Fargate task CPU value; allowed: 256, 512, 1024/);
                assert.doesNotMatch(message, /^\s+at .+\(.+:\d+:\d+\)$/m);
            });

            it("a value of the wrong type is refused by the CLI before the program runs", async () => {
                const message = await project.withSettings(name, { "flask-fargate:cpu": "abc" }, () => failure(preview(stack)));
                assert.match(message, /Stack 'dev' with configuration key 'cpu' must be of type 'integer'/);
            });

            it("destroy removes every resource (protectData is false in dev)", async () => {
                await stack.destroy();
                const resources = (await stack.exportStack()).deployment.resources ?? [];
                assert.deepStrictEqual(resources, []);
            });
        } else {
            it("destroy is refused while the app's bucket is protected (protectData is true in prod)", async () => {
                const message = await failure(stack.destroy());
                assert.match(message, /protected/);
                const left = ((await stack.exportStack()).deployment.resources ?? []).map((r: { type: string }) => r.type);
                assert.ok(left.includes("aws:s3/bucket:Bucket"), "the bucket is still in the stack");
            });
        }
    });
}
