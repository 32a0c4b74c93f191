/**
 * Issue 20's proof: examples/two-services adds a background worker and a second web service on
 * /api/* to the committed dev stack, from the components as they are, each with its own target
 * groups, alarms and dashboard, and leaves the app's resources exactly as they were.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { addServices } from "../examples/two-services";
import { policies } from "../policy/policies";
import { createStack } from "../program";
import { committedStack, configWith, ProgramRun, root, runAlone, runStack } from "./harness";
import { fromRun, violations } from "./policy/harness";

describe("examples/two-services: a worker and a second web service from the components", () => {
    let run: ProgramRun;
    let dev: ProgramRun;
    const service = (r: ProgramRun, name: string) => r.within("flask-fargate:service:Service", name);
    before(async () => {
        run = await runAlone(() => {
            const stack = createStack(committedStack("dev"), addServices);
            return { ...stack.outputs, ...stack.added!.outputs };
        }, "dev");
        dev = await runStack("dev");
    });

    it("takes at most 30 lines of its own", () => {
        const code = fs
            .readFileSync(path.join(root, "examples", "two-services", "index.ts"), "utf8")
            .split("\n")
            .filter((line) => !/^\s*(\/\/|\/\*\*|\*|$)/.test(line));
        assert.ok(code.length <= 30, `${code.length} lines`);
    });

    it("the worker runs in the cluster with no load balancer, scaling on its own", () => {
        const svc = service(run, "worker").one("aws:ecs/service:Service").inputs;
        assert.strictEqual(svc.cluster, run.one("aws:ecs/cluster:Cluster").state.arn);
        assert.strictEqual(svc.loadBalancers, undefined);
        assert.deepStrictEqual([service(run, "worker").one("aws:appautoscaling/target:Target").inputs.minCapacity, service(run, "worker").one("aws:appautoscaling/target:Target").inputs.maxCapacity], [1, 3]);
    });

    it("the api has its own target groups and rules on the same load balancer, before the app's catch-all", () => {
        const lb = run.within("flask-fargate:lb:LoadBalancer", "web");
        const api = service(run, "api").one("aws:ecs/service:Service").inputs;
        assert.strictEqual(api.loadBalancers[0].targetGroupArn, lb.one("aws:lb/targetGroup:TargetGroup", "api-tg").state.arn);
        assert.ok(lb.one("aws:lb/listenerRule:ListenerRule", "api-production-rule").inputs.priority < lb.one("aws:lb/listenerRule:ListenerRule", "web-production-rule").inputs.priority);
        assert.strictEqual(run.ofType("aws:lb/loadBalancer:LoadBalancer").length, 1);
    });

    it("each service has its own alarms and dashboard; the api's deployment alarms are its own", () => {
        for (const name of ["app", "worker", "api"]) {
            assert.ok(run.within("flask-fargate:alarms:Alarms", name).ofType("aws:cloudwatch/metricAlarm:MetricAlarm").length >= 3, name);
            assert.strictEqual(run.within("flask-fargate:dashboard:Dashboard", name).ofType("aws:cloudwatch/dashboard:Dashboard").length, 1, name);
        }
        const names = run.ofType("aws:cloudwatch/dashboard:Dashboard").map((d) => d.inputs.dashboardName);
        assert.strictEqual(new Set(names).size, 3);
        const apiAlarms = run.within("flask-fargate:alarms:Alarms", "api");
        assert.deepStrictEqual(
            service(run, "api").one("aws:ecs/service:Service").inputs.alarms.alarmNames,
            ["target-5xx", "latency-p99"].map((role) => apiAlarms.one("aws:cloudwatch/metricAlarm:MetricAlarm", `api-${role}`).state.name),
        );
        // The app's deployment alarms watch only the app's target groups.
        const appGroups = run.within("flask-fargate:lb:LoadBalancer", "web").ofType("aws:lb/targetGroup:TargetGroup").filter((g) => g.name.startsWith("web-")).map((g) => g.state.arnSuffix);
        const watched = run.within("flask-fargate:alarms:Alarms", "app").one("aws:cloudwatch/metricAlarm:MetricAlarm", "app-target-5xx").inputs.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.dimensions.TargetGroup);
        assert.ok(watched.every((g: string) => appGroups.includes(g)), watched.join(", "));
    });

    it("the app's own resources are exactly as in the dev stack alone, but for the cluster's provider list waiting for every service", () => {
        const shape = (r: ProgramRun) => r.resources.map((x) => [x.urn, JSON.stringify(x.inputs)].join(" ")).sort();
        const added = new Set(run.resources.filter((r) => !dev.resources.some((d) => d.urn === r.urn)).map((r) => r.urn));
        assert.deepStrictEqual(shape(new ProgramRun(run.resources.filter((r) => !added.has(r.urn)), {})), shape(dev));
        // Registered after the services, so a switch from ec2 drops the EC2 provider only once every service has left it.
        const registration = run.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "app-capacity");
        for (const name of ["app", "worker", "api"]) {
            assert.ok(registration.dependencies.includes(service(run, name).one("aws:ecs/service:Service").urn), name);
        }
    });

    it("its task definitions run where the cluster's capacity is: launch types and architecture", async () => {
        const ec2 = await runAlone(() => {
            const stack = createStack(configWith({ capacity: "ec2", architecture: "ARM64", ec2InstanceTypes: ["t4g.medium"] }), addServices);
            return stack.added!.outputs;
        });
        for (const name of ["worker", "api"]) {
            const td = ec2.within("flask-fargate:task:TaskDefinition", name).one("aws:ecs/taskDefinition:TaskDefinition").inputs;
            assert.deepStrictEqual([td.requiresCompatibilities, td.runtimePlatform.cpuArchitecture], [["FARGATE", "EC2"], "ARM64"], name);
        }
    });

    it("passes the policy pack", async () => {
        const found: string[] = [];
        for (const policy of policies) {
            found.push(...(await violations(policy as never, fromRun(run))).map((m) => `${policy.name}: ${m}`));
        }
        assert.deepStrictEqual(found, []);
    });
});
