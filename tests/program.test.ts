import * as assert from "assert";
import { json, ProgramRun, runStack } from "./harness";

describe("the whole program with the committed stack configs", () => {
    let dev: ProgramRun;
    let prod: ProgramRun;
    before(async () => {
        dev = await runStack("dev");
        prod = await runStack("prod");
    });

    it("exports the outputs users need", () => {
        for (const run of [dev, prod]) {
            for (const key of ["clusterName", "taskDefinitionArn", "repositoryUrl", "image", "logGroupName", "bucketName"]) {
                assert.ok(typeof run.outputs[key] === "string" && run.outputs[key] !== "", key);
            }
        }
    });

    it("dev runs on Spot; prod on on-demand Fargate", () => {
        const strategy = (run: ProgramRun) =>
            run.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders").inputs.defaultCapacityProviderStrategies;
        assert.deepStrictEqual(strategy(dev), [{ capacityProvider: "FARGATE_SPOT", weight: 1 }]);
        assert.deepStrictEqual(strategy(prod), [{ capacityProvider: "FARGATE", weight: 1 }]);
    });

    it("dev keeps logs a week, prod a year", () => {
        const retention = (run: ProgramRun) => run.one("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays;
        assert.deepStrictEqual([retention(dev), retention(prod)], [7, 365]);
    });

    it("prod protects and retains its data; dev's destroy removes everything", () => {
        const bucket = (run: ProgramRun) => run.one("aws:s3/bucket:Bucket");
        assert.deepStrictEqual([bucket(prod).protect, bucket(prod).retainOnDelete, bucket(prod).inputs.forceDestroy], [true, true, false]);
        assert.deepStrictEqual([bucket(dev).protect, bucket(dev).retainOnDelete, bucket(dev).inputs.forceDestroy], [false, false, true]);
        assert.strictEqual(prod.one("aws:cloudwatch/logGroup:LogGroup").retainOnDelete, true);
        assert.strictEqual(dev.one("aws:cloudwatch/logGroup:LogGroup").retainOnDelete, false);
        assert.strictEqual(prod.one("aws:ecr/repository:Repository").inputs.forceDelete, false);
        assert.strictEqual(dev.one("aws:ecr/repository:Repository").inputs.forceDelete, true);
    });

    it("prod's tasks are larger and it keeps more images", () => {
        const size = (run: ProgramRun) => {
            const { cpu, memory } = run.one("aws:ecs/taskDefinition:TaskDefinition").inputs;
            return [cpu, memory];
        };
        assert.deepStrictEqual(size(dev), ["256", "512"]);
        assert.deepStrictEqual(size(prod), ["512", "1024"]);
        const keep = (run: ProgramRun) => json(run.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy).rules[1].selection.countNumber;
        assert.deepStrictEqual([keep(dev), keep(prod)], [5, 20]);
    });

    it("every resource belongs to a component, and each child is named after it", () => {
        for (const run of [dev, prod]) {
            for (const r of run.resources) {
                if (r.type.startsWith("flask-fargate:")) {
                    assert.strictEqual(r.parent, "", `${r.name} is a top-level component`);
                    continue;
                }
                assert.notStrictEqual(r.parent, "", `${r.type} ${r.name} has no parent`);
                const parent = run.byUrn(r.parent);
                assert.match(parent.type, /^flask-fargate:[a-z]+:[A-Z][A-Za-z]+$/);
                assert.ok(r.name.startsWith(`${parent.name}-`), `${r.name} is named after its component ${parent.name}`);
            }
        }
    });

    it("lets AWS name resources that a fixed name would keep from being replaced", () => {
        for (const type of ["aws:ecs/cluster:Cluster", "aws:iam/role:Role", "aws:ecr/repository:Repository", "aws:s3/bucket:Bucket"]) {
            for (const r of prod.ofType(type)) {
                assert.strictEqual(r.inputs.name ?? r.inputs.bucket, undefined, `${type} ${r.name}`);
            }
        }
    });
});
