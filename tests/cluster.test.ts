import * as assert from "assert";
import { capacityStrategy } from "../components/cluster";
import { runWith } from "./harness";

describe("Cluster component", () => {
    it("turns Container Insights on", async () => {
        const run = await runWith();
        const cluster = run.one("aws:ecs/cluster:Cluster");
        assert.deepStrictEqual(cluster.inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
    });

    it("registers FARGATE and FARGATE_SPOT on the cluster, with the configured default strategy", async () => {
        for (const [overrides, strategy] of [
            [{ capacity: "fargate" }, [{ capacityProvider: "FARGATE", weight: 1 }]],
            [{ capacity: "fargate-spot" }, [{ capacityProvider: "FARGATE", weight: 1, base: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 3 }]],
            [{ capacity: "fargate-spot", onDemandBase: 0, onDemandWeight: 0, spotWeight: 1 }, [{ capacityProvider: "FARGATE_SPOT", weight: 1 }]],
        ] as const) {
            const run = await runWith(overrides);
            const providers = run.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders");
            assert.deepStrictEqual(providers.inputs.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
            assert.deepStrictEqual(providers.inputs.defaultCapacityProviderStrategies, strategy);
            assert.strictEqual(providers.inputs.clusterName, run.one("aws:ecs/cluster:Cluster").state.name);
        }
    });

    it("a fargate-spot mix keeps a base of on-demand tasks and shares the rest by weight", () => {
        assert.deepStrictEqual(capacityStrategy({ kind: "fargate-spot", onDemandBase: 2, onDemandWeight: 1, spotWeight: 3 }), [
            { capacityProvider: "FARGATE", weight: 1, base: 2 },
            { capacityProvider: "FARGATE_SPOT", weight: 3 },
        ]);
        assert.deepStrictEqual(capacityStrategy({ kind: "fargate-spot", onDemandBase: 0, onDemandWeight: 0, spotWeight: 1 }), [{ capacityProvider: "FARGATE_SPOT", weight: 1 }]);
        assert.deepStrictEqual(capacityStrategy({ kind: "fargate-spot", onDemandBase: 1, onDemandWeight: 0, spotWeight: 1 }), [
            { capacityProvider: "FARGATE", weight: 0, base: 1 },
            { capacityProvider: "FARGATE_SPOT", weight: 1 },
        ]);
        assert.deepStrictEqual(capacityStrategy({ kind: "ec2", instanceTypes: ["t3.medium"], minSize: 1, maxSize: 2, targetCapacity: 100 }, "cp-1"), [{ capacityProvider: "cp-1", weight: 1 }]);
    });
});
