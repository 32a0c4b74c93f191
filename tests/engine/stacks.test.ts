/**
 * The committed stacks through the real Pulumi CLI (see engine.ts): what the mocks cannot show.
 */
import * as auto from "@pulumi/pulumi/automation";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { changeDiagram, diagramMarkdown, shortType } from "../../automation/changeDiagram";
import { drift } from "../../automation/drift";
import { stackConfig } from "../../lib/configSchema";
import { changes, EngineProject, policyPack, preview, repoRoot, Run, up } from "./engine";
import { defaultStackTraceLimit } from "./setup";

/** dev's settings turned to EC2 capacity (the Spot mix's own settings removed). */
const ec2Settings = { "flask-fargate:capacity": "ec2", "flask-fargate:onDemandBase": undefined, "flask-fargate:onDemandWeight": undefined, "flask-fargate:spotWeight": undefined };

/** Every output a stack exports: index.ts's exports, which `pulumi up` sets. */
const outputNames = [...fs.readFileSync(path.join(repoRoot, "index.ts"), "utf8").matchAll(/^export const (\w+) =/gm)].map((m) => m[1]);

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

/**
 * The resources the picture of a run's changes (automation/changeDiagram.ts) draws, as
 * `op type::name` like changes(run): what a reader of the pull request's preview comment sees.
 */
function drawn(run: Run): string[] {
    const { mermaid } = changeDiagram(run.steps);
    return [...mermaid.matchAll(/\["\S+ (.+?)<br\/>(\S+)(?: \(.*\))?"\]:::(\w+)/g)].map(([, name, type, op]) => `${op} ${type}::${name}`).sort();
}

/** changes(run) with types as the picture writes them. */
function planned(run: Run): string[] {
    return changes(run)
        .map((c) => c.replace(/ (\S+)::/, (_, type) => ` ${shortType(type)}::`))
        .sort();
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
        /** The preview of the fresh stack. */
        let fresh: Run;

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
            const run = (fresh = await preview(stack, { policyPacks: [policyPack] }));
            assertNoPolicyEvents(run);
            const creates = run.steps.filter((s) => s.op === "create").length;
            console.log(`      ${name}: preview creates ${creates} resources`);
            assert.ok(creates >= 40, `${creates} creates`);
            assert.deepStrictEqual(run.steps.filter((s) => s.op !== "create" && s.op !== "same"), []);
        });

        it("the picture of a fresh stack counts its resources per component, every one of them, within a comment's size", () => {
            const run = fresh;
            const diagram = changeDiagram(run.steps);
            assert.strictEqual(diagram.detail, "components", "too many to draw one by one");
            const customCreates = run.steps.filter((s) => s.op === "create" && s.custom).length;
            assert.strictEqual(diagram.counts.create, customCreates);
            const counted = [...diagram.mermaid.matchAll(/\["\+ (\d+) to create"\]/g)].reduce((sum, m) => sum + Number(m[1]), 0);
            assert.strictEqual(counted, customCreates, "every created resource is counted once");
            for (const component of ["net (Network)", "app (Cluster)", "files (AppBucket)", "app (ContainerImage)", "app (TaskDefinition)", "web (LoadBalancer)", "app (Service)", "app (Alarms)", "alarms (Notifications)", "app (Dashboard)"]) {
                assert.ok(diagram.mermaid.includes(`["+ ${component}"]`), `${component} in\n${diagram.mermaid}`);
            }
            assert.ok(diagramMarkdown(diagram).length < 10000);
        });

        it("up succeeds with the policy pack and sets every stack output", async () => {
            const run = await up(stack, { policyPacks: [policyPack] });
            assertNoPolicyEvents(run);
            // The inline program exports what index.ts exports, and each is set.
            assert.deepStrictEqual(Object.keys(run.outputs).sort(), [...outputNames].sort());
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
            it("drift: none when nothing changed outside Pulumi (npm run deploy -- drift, through the automation module)", async () => {
                const result = await drift(project.stackOptions(name));
                assert.deepStrictEqual(result.drifted, []);
            });

            it("drift: a property changed and a resource deleted outside Pulumi are found, with the state's and AWS's values; the state is not written", async () => {
                const result = await project.withDrift(
                    [
                        { resource: "aws:cloudwatch/logGroup:LogGroup::app-logs", property: "retentionInDays", value: 90 },
                        { resource: "aws:sns/topic:Topic::alarms-topic", deleted: true },
                    ],
                    () => drift(project.stackOptions(name)),
                );
                assert.deepStrictEqual(
                    result.drifted.map((r) => [r.op, r.type, r.urn.split("::").pop(), r.properties]),
                    [
                        ["delete", "aws:sns/topic:Topic", "alarms-topic", []],
                        ["update", "aws:cloudwatch/logGroup:LogGroup", "app-logs", [{ path: "retentionInDays", inState: 7, now: 90 }]],
                    ],
                );
                const logGroup = (await stack.exportStack()).deployment.resources.find((r: { type: string }) => r.type === "aws:cloudwatch/logGroup:LogGroup");
                assert.strictEqual(logGroup.inputs.retentionInDays, 7, "a refresh in preview mode writes nothing");
            });
        }

        if (name === "dev") {
            // Each change is previewed against the deployed stack: what it updates, and that it
            // replaces only what AWS cannot change in place.
            const settingChanges: [string, Record<string, unknown>, string[], picture?: string[]][] = [
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
                // Issue 11: a capacity change is an in-place service update (forceNewDeployment), and
                // the cluster's provider list follows it.
                [
                    "capacity fargate-spot -> fargate updates the service and the cluster's providers in place (and drops the Spot interruption alerts)",
                    { capacity: "fargate", onDemandBase: undefined, onDemandWeight: undefined, spotWeight: undefined },
                    [
                        "delete aws:cloudwatch/eventRule:EventRule::app-spot-interruptions",
                        "delete aws:cloudwatch/eventTarget:EventTarget::app-spot-interruptions",
                        "update aws:ecs/clusterCapacityProviders:ClusterCapacityProviders::app-capacity",
                        "update aws:ecs/service:Service::app-service",
                    ],
                    // The preview comment's picture: each change in its component.
                    [
                        "flowchart LR",
                        '    subgraph g0["app (Alarms)"]',
                        '        n0["- app-spot-interruptions<br/>aws:cloudwatch:EventTarget"]:::delete',
                        '        n1["- app-spot-interruptions<br/>aws:cloudwatch:EventRule"]:::delete',
                        "    end",
                        '    subgraph g1["app (Cluster)"]',
                        '        n2["~ app-capacity<br/>aws:ecs:ClusterCapacityProviders"]:::update',
                        "    end",
                        '    subgraph g2["app (Service)"]',
                        '        n3["~ app-service<br/>aws:ecs:Service"]:::update',
                        "    end",
                    ],
                ],
                [
                    "Spot weights update the service and the cluster's default strategy in place",
                    { onDemandWeight: 1, spotWeight: 3 },
                    ["update aws:ecs/clusterCapacityProviders:ClusterCapacityProviders::app-capacity", "update aws:ecs/service:Service::app-service"],
                ],
            ];
            for (const [what, settings, expected, picture] of settingChanges) {
                it(`changing settings: ${what}`, async () => {
                    const full = Object.fromEntries(Object.entries(settings).map(([key, value]) => [`flask-fargate:${key}`, value]));
                    const run = await project.withSettings(name, full, () => preview(stack, { policyPacks: [policyPack] }));
                    assertNoPolicyEvents(run);
                    assert.deepStrictEqual(changes(run), expected);
                    // The preview comment's picture draws exactly these, a replacement once, as a replacement.
                    assert.deepStrictEqual(drawn(run), planned(run));
                    if (picture !== undefined) {
                        assert.deepStrictEqual(changeDiagram(run.steps).mermaid.split("\n").filter((line) => !line.includes("classDef")), picture);
                    }
                });
            }

            it("capacity fargate-spot -> ec2 adds the instances and their provider, and updates the service in place", async () => {
                const run = await project.withSettings(name, ec2Settings, () => preview(stack, { policyPacks: [policyPack] }));
                assertNoPolicyEvents(run);
                const planned = changes(run);
                assert.deepStrictEqual(planned.filter((c) => c.startsWith("replace ")), ["replace aws:ecs/taskDefinition:TaskDefinition::app-taskdef"], "only the task definition (EC2 compatibility) is replaced");
                assert.ok(planned.includes("update aws:ecs/service:Service::app-service"), planned.join("\n"));
                assert.ok(planned.includes("create aws:ecs/capacityProvider:CapacityProvider::app-ec2-provider"), planned.join("\n"));
                assert.ok(planned.includes("create aws:autoscaling/group:Group::app-ec2-asg"), planned.join("\n"));
                // Without Spot tasks, the Spot interruption alerts go (issue 14); nothing else is deleted.
                assert.deepStrictEqual(planned.filter((c) => c.startsWith("delete ")), ["delete aws:cloudwatch/eventRule:EventRule::app-spot-interruptions", "delete aws:cloudwatch/eventTarget:EventTarget::app-spot-interruptions"]);
            });

            // Issue 19: the routing ECS owns is there in both strategies, so a switch is the
            // service's strategy alone; nothing is created or deleted under the running tasks.
            it("deploymentStrategy rolling -> blue-green updates the service in place, and nothing else", async () => {
                const run = await project.withSettings(name, { "flask-fargate:deploymentStrategy": "blue-green" }, () => preview(stack, { policyPacks: [policyPack] }));
                assertNoPolicyEvents(run);
                assert.deepStrictEqual(changes(run), ["update aws:ecs/service:Service::app-service"]);
            });

            // A target group's port forces a new group, and the rules (whose actions ECS owns) would
            // keep forwarding to the old, emptied one: the groups ignore their port, which ECS does
            // not use (each target is registered with the container's port).
            it("containerPort: a new task definition and the service and rules on the new port, the target groups kept", async () => {
                const run = await project.withSettings(name, { "flask-fargate:containerPort": 8080 }, () => preview(stack, { policyPacks: [policyPack] }));
                assertNoPolicyEvents(run);
                const planned = changes(run);
                assert.deepStrictEqual(planned.filter((c) => c.startsWith("replace ") || c.startsWith("delete ")), ["replace aws:ecs/taskDefinition:TaskDefinition::app-taskdef"], planned.join("\n"));
                assert.ok(planned.includes("update aws:ecs/service:Service::app-service"), planned.join("\n"));
                assert.deepStrictEqual(planned.filter((c) => c.includes("TargetGroup")), []);
            });

            it("the policy pack enforces through the real CLI: ECS Exec's writable root filesystem stops the preview", async () => {
                const message = await project.withSettings(name, { "flask-fargate:enableExecuteCommand": true }, () => failure(preview(stack, { policyPacks: [policyPack] })));
                assert.match(message, /ecs-readonly-nonroot/);
                assert.match(message, /mandatory/);
            });

            it("a bad setting stops the preview with the program's message naming it, and no stack trace", async () => {
                // Frames on, as in a user's `pulumi preview` (tests/engine/setup.ts turns them off).
                Error.stackTraceLimit = defaultStackTraceLimit;
                const message = await project.withSettings(name, { "flask-fargate:cpu": 300 }, () => failure(preview(stack))).finally(() => (Error.stackTraceLimit = 0));
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

describe("engine tier: a dev stack on EC2 with blue/green deployments, and back", function () {
    this.timeout(10 * 60 * 1000);
    let project: EngineProject;
    let stack: auto.Stack;
    const ec2BlueGreen = { ...ec2Settings, "flask-fargate:deploymentStrategy": "blue-green" };

    before(async () => {
        project = new EngineProject();
        stack = await project.stack("dev");
    });
    after(() => project?.cleanup());

    it("deploys with capacity ec2 and deploymentStrategy blue-green, the policy pack passing", async () => {
        const run = await project.withSettings("dev", ec2BlueGreen, () => up(stack, { policyPacks: [policyPack] }));
        assertNoPolicyEvents(run);
        const service = (await stack.exportStack()).deployment.resources.find((r: { type: string }) => r.type === "aws:ecs/service:Service");
        assert.strictEqual(service.inputs.deploymentConfiguration.strategy, "BLUE_GREEN");
    });

    it("back to the committed settings (fargate-spot, rolling): the service is updated before its old provider and the EC2 resources go", async () => {
        const run = await up(stack, { policyPacks: [policyPack] });
        assertNoPolicyEvents(run);
        const planned = changes(run);
        assert.deepStrictEqual(planned.filter((c) => c.startsWith("replace ")), ["replace aws:ecs/taskDefinition:TaskDefinition::app-taskdef"]);
        // The step order of the update: the service leaves the EC2 provider, then the cluster's
        // list drops it, then the provider is deleted (ECS refuses to remove a provider in use:
        // ResourceInUseException).
        const at = (op: string, type: string) => run.steps.findIndex((s) => s.op === op && s.type === type);
        const serviceUpdate = at("update", "aws:ecs/service:Service");
        const listUpdate = at("update", "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders");
        const providerDelete = at("delete", "aws:ecs/capacityProvider:CapacityProvider");
        assert.ok(serviceUpdate >= 0 && listUpdate > serviceUpdate && providerDelete > listUpdate, `service ${serviceUpdate}, list ${listUpdate}, provider ${providerDelete}`);
        assert.ok(planned.includes("delete aws:autoscaling/group:Group::app-ec2-asg"), planned.join("\n"));
        // blue-green -> rolling: the production rule and the green group stay (ECS keeps routing
        // to whichever group serves production); a rule deleted after the service's update would
        // have kept forwarding to green while its tasks drained.
        assert.deepStrictEqual(planned.filter((c) => /ListenerRule|TargetGroup|Listener:/.test(c)), []);
    });

    // Issue 19: a route table holds one route per destination (CreateRoute: RouteAlreadyExists),
    // and Pulumi creates before it deletes. The NAT instance's routes are two halves of the address
    // space, so they never meet awsx's 0.0.0.0/0 to a gateway, in either direction.
    const gatewayRoutes = (run: Run, op: string) => run.steps.filter((s) => s.op === op && s.type === "aws:ec2/route:Route" && s.urn.includes("awsx:ec2:Vpc"));
    const instanceRoutes = (run: Run, op: string) => run.steps.filter((s) => s.op === op && s.type === "aws:ec2/route:Route" && s.urn.includes("flask-fargate:network:NatInstance"));

    it("natGateways instance -> single: the gateway's default route is created while the instance's routes still exist, then they go", async () => {
        const run = await project.withSettings("dev", { "flask-fargate:natGateways": "single" }, () => up(stack, { policyPacks: [policyPack] }));
        assertNoPolicyEvents(run);
        const created = gatewayRoutes(run, "create");
        const deleted = instanceRoutes(run, "delete");
        assert.ok(created.length >= 2 && deleted.length >= 4, changes(run).join("\n"));
        assert.ok(Math.max(...created.map((s) => run.steps.indexOf(s))) < Math.min(...deleted.map((s) => run.steps.indexOf(s))), "creates come before deletes");
        assert.deepStrictEqual(changes(run).filter((c) => c.startsWith("replace ")), []);
    });

    it("natGateways single -> instance: the instance's routes are created while the gateway's still exist, then the gateway goes", async () => {
        const run = await up(stack, { policyPacks: [policyPack] });
        assertNoPolicyEvents(run);
        assert.ok(instanceRoutes(run, "create").length >= 4 && gatewayRoutes(run, "delete").length >= 2, changes(run).join("\n"));
        assert.deepStrictEqual(changes(run).filter((c) => c.startsWith("replace ")), []);
    });
});
