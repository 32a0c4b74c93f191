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
        for (const [capacity, provider] of [
            ["fargate", "FARGATE"],
            ["fargate-spot", "FARGATE_SPOT"],
        ]) {
            const run = await runWith({ capacity });
            const providers = run.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders");
            assert.deepStrictEqual(providers.inputs.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
            assert.deepStrictEqual(providers.inputs.defaultCapacityProviderStrategies, [{ capacityProvider: provider, weight: 1 }]);
            assert.strictEqual(providers.inputs.clusterName, run.one("aws:ecs/cluster:Cluster").state.name);
        }
    });

    it("every provider a strategy names is one the cluster registers", () => {
        for (const capacity of ["fargate", "fargate-spot"] as const) {
            for (const item of capacityStrategy(capacity)) {
                assert.ok(["FARGATE", "FARGATE_SPOT"].includes(item.capacityProvider));
            }
        }
    });
});
