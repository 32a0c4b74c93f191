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
            const providers = run.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "app-capacity");
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

/**
 * Capacity changes on a running stack, as the AWS provider and ECS treat them.
 * - The provider refuses a strategy change of an existing service unless forceNewDeployment is true
 *   ("force_new_deployment should be true when capacity_provider_strategy is being updated"; older
 *   versions replaced the service instead): terraform-provider-aws internal/service/ecs/service.go,
 *   capacityProviderStrategyCustomizeDiff.
 * - ECS refuses to remove from a cluster a provider a service still uses (PutClusterCapacityProviders:
 *   ResourceInUseException, which the provider retries until its timeout), and a service may name
 *   only providers associated with its cluster (UpdateService, capacityProviderStrategy).
 * - Pulumi updates a resource after the ones it depends on, and deletes what the program no longer
 *   declares after all updates.
 */
describe("capacity changes: in-place, never removing a provider a service uses", () => {
    const CCP = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders";
    const choices = [{ capacity: "fargate" }, { capacity: "fargate-spot" }, { capacity: "fargate-spot", spotWeight: 5 }, { capacity: "ec2" }];

    it("every capacity choice sets forceNewDeployment, so a strategy change updates the service in place (capacityProviderStrategyCustomizeDiff)", async () => {
        for (const overrides of choices) {
            const run = await runWith(overrides);
            assert.strictEqual(run.one("aws:ecs/service:Service").inputs.forceNewDeployment, true, JSON.stringify(overrides));
        }
    });

    it("switching capacity changes no URN of the cluster, its registrations or the service (so nothing is created twice or replaced by rename)", async () => {
        const urns = async (overrides: Record<string, unknown>) => {
            const run = await runWith(overrides);
            return [run.one("aws:ecs/cluster:Cluster"), ...run.ofType(CCP), run.one("aws:ecs/service:Service"), run.one("aws:appautoscaling/target:Target")].map((r) => r.urn).sort();
        };
        const fargate = await urns({ capacity: "fargate" });
        for (const overrides of choices.slice(1)) {
            assert.deepStrictEqual(await urns(overrides), fargate, JSON.stringify(overrides));
        }
    });

    it("a new service finds its providers: the initial registration comes before it and ignores later changes", async () => {
        for (const overrides of choices) {
            const run = await runWith(overrides);
            const initial = run.one(CCP, "app-capacity-initial");
            assert.ok(run.one("aws:ecs/service:Service").dependencies.includes(initial.urn), JSON.stringify(overrides));
            assert.deepStrictEqual(initial.ignoreChanges.sort(), ["capacityProviders", "defaultCapacityProviderStrategies"]);
            assert.deepStrictEqual(initial.inputs.capacityProviders, run.one(CCP, "app-capacity").inputs.capacityProviders);
        }
    });

    it("fargate, fargate-spot: the cluster's list is written after the service, so ec2 -> fargate drops the EC2 provider only once the service has left it", async () => {
        for (const overrides of choices.slice(0, 3)) {
            const run = await runWith(overrides);
            const svc = run.one("aws:ecs/service:Service");
            const current = run.one(CCP, "app-capacity");
            assert.ok(current.dependencies.includes(svc.urn), `${JSON.stringify(overrides)}: the registration waits for the service`);
            assert.ok(!svc.dependencies.includes(current.urn), `${JSON.stringify(overrides)}: the service does not wait for it`);
            assert.deepStrictEqual(current.inputs.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
        }
    });

    it("ec2: the EC2 provider is registered before the service moves to it (fargate -> ec2)", async () => {
        const run = await runWith({ capacity: "ec2" });
        const current = run.one(CCP, "app-capacity");
        const svc = run.one("aws:ecs/service:Service");
        assert.ok(svc.dependencies.includes(current.urn));
        assert.ok(current.inputs.capacityProviders.includes(run.one("aws:ecs/capacityProvider:CapacityProvider").state.name));
        assert.ok(current.dependencies.includes(run.one(CCP, "app-capacity-initial").urn), "it writes after the initial registration");
    });

    it("removing a registration never empties the cluster's list under a running service (its delete would: resourceClusterCapacityProvidersDelete)", async () => {
        for (const overrides of choices) {
            const run = await runWith(overrides);
            assert.strictEqual(run.one(CCP, "app-capacity").retainOnDelete, true);
            // On destroy the initial registration empties the list, after the service is gone.
            assert.strictEqual(run.one(CCP, "app-capacity-initial").retainOnDelete, false);
        }
    });

    it("the service names a Fargate platform version only on Fargate (ECS takes none for EC2)", async () => {
        assert.strictEqual((await runWith({ capacity: "ec2" })).one("aws:ecs/service:Service").inputs.platformVersion, undefined);
        for (const overrides of choices.slice(0, 3)) {
            assert.strictEqual((await runWith(overrides)).one("aws:ecs/service:Service").inputs.platformVersion, "LATEST");
        }
    });
});
