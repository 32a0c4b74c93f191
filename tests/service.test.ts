import * as assert from "assert";
import { requestsPerTargetQueries } from "../lib/scaling";
import { json, ProgramRun, Recorded, runWith } from "./harness";

const service = (run: ProgramRun) => run.one("aws:ecs/service:Service");
const group = (run: ProgramRun, suffix: string) => run.one("aws:ec2/securityGroup:SecurityGroup", suffix);
const rulesOf = (run: ProgramRun, kind: "Ingress" | "Egress", g: Recorded) =>
    run.ofType(`aws:vpc/securityGroup${kind}Rule:SecurityGroup${kind}Rule`).filter((r) => r.inputs.securityGroupId === g.id);

describe("AppService component", () => {
    it("runs the task definition in private subnets, without public IPs, behind the target group", async () => {
        const run = await runWith();
        const inputs = service(run).inputs;
        assert.strictEqual(inputs.taskDefinition, run.one("aws:ecs/taskDefinition:TaskDefinition").state.arn);
        assert.strictEqual(inputs.cluster, run.one("aws:ecs/cluster:Cluster").state.arn);
        assert.deepStrictEqual(inputs.networkConfiguration, {
            subnets: ["subnet-private0", "subnet-private1"],
            securityGroups: [group(run, "app-sg").id],
            assignPublicIp: false,
        });
        const [lb] = inputs.loadBalancers;
        assert.strictEqual(lb.targetGroupArn, run.one("aws:lb/targetGroup:TargetGroup", "-tg").state.arn);
    });

    it("sends traffic to a container name and port that exist in the task definition", async () => {
        const run = await runWith({ containerPort: 9000 });
        const [lb] = service(run).inputs.loadBalancers;
        const containers = json(run.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
        const container = containers.find((c: any) => c.name === lb.containerName);
        assert.ok(container, `container ${lb.containerName}`);
        assert.ok(container.portMappings.some((p: any) => p.containerPort === lb.containerPort && lb.containerPort === 9000));
    });

    it("uses the cluster's capacity provider strategy and never a launch type", async () => {
        for (const capacity of ["fargate", "fargate-spot"]) {
            const run = await runWith({ capacity });
            const inputs = service(run).inputs;
            assert.strictEqual(inputs.launchType, undefined);
            const registered = run.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "app-capacity").inputs.capacityProviders;
            for (const item of inputs.capacityProviderStrategies) {
                assert.ok(registered.includes(item.capacityProvider), `${item.capacityProvider} is registered on the cluster`);
            }
            assert.strictEqual(inputs.platformVersion, "LATEST");
            const initial = run.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "app-capacity-initial");
            assert.ok(service(run).dependencies.includes(initial.urn), "the providers are attached before the service uses them");
        }
    });

    // AWS refuses a service whose target group no listener or rule uses yet.
    it("is created only after the listener rules that forward to its target groups", async () => {
        for (const overrides of [{}, { domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }]) {
            const run = await runWith(overrides);
            const tg = run.one("aws:lb/targetGroup:TargetGroup", "-tg").state.arn;
            const forwarding = run
                .ofType("aws:lb/listenerRule:ListenerRule")
                .filter((l) => l.inputs.actions.some((a: any) => a.type === "forward" && a.forward.targetGroups.some((g: any) => g.arn === tg)));
            assert.strictEqual(forwarding.length, 2);
            for (const rule of forwarding) {
                assert.ok(service(run).dependencies.includes(rule.urn), `the service depends on ${rule.name}`);
            }
        }
    });

    it("rolls back a failed rollout by itself and fails `pulumi up` when it does not settle", async () => {
        const inputs = service(await runWith()).inputs;
        assert.deepStrictEqual(inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
        assert.strictEqual(inputs.waitForSteadyState, true);
        assert.deepStrictEqual([inputs.deploymentMinimumHealthyPercent, inputs.deploymentMaximumPercent], [100, 200]);
        assert.strictEqual(inputs.healthCheckGracePeriodSeconds, 30);
    });

    it("security groups: the ALB reaches the tasks on exactly the container port, and nothing else reaches them", async () => {
        const run = await runWith({ containerPort: 9000 });
        const lb = group(run, "web-sg");
        const tasks = group(run, "app-sg");
        const taskIngress = rulesOf(run, "Ingress", tasks);
        assert.deepStrictEqual(
            taskIngress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.ipProtocol, r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4, r.inputs.cidrIpv6]),
            [[9000, 9000, "tcp", lb.id, undefined, undefined]],
        );
        const lbEgress = rulesOf(run, "Egress", lb);
        assert.deepStrictEqual(
            lbEgress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4]),
            [[9000, 9000, tasks.id, undefined]],
        );
        const taskEgress = rulesOf(run, "Egress", tasks);
        assert.deepStrictEqual(taskEgress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]), [[443, 443, "0.0.0.0/0"]]);
        for (const r of [lb, tasks, ...taskIngress, ...lbEgress, ...taskEgress]) {
            assert.ok(r.inputs.description, `${r.name} has a description`);
            assert.strictEqual(r.inputs.ingress, undefined, "no inline rules next to rule resources");
        }
    });

    describe("autoscaling", () => {
        it("scales the service between minCount and maxCount, addressed by the cluster's name", async () => {
            const run = await runWith({ minCount: 1, desiredCount: 2, maxCount: 6 });
            const target = run.one("aws:appautoscaling/target:Target").inputs;
            const cluster = run.one("aws:ecs/cluster:Cluster").state.name;
            assert.strictEqual(target.resourceId, `service/${cluster}/${service(run).state.name}`);
            assert.deepStrictEqual([target.minCapacity, target.maxCapacity, target.scalableDimension, target.serviceNamespace], [1, 6, "ecs:service:DesiredCount", "ecs"]);
        });

        it("tracks CPU, memory, and requests per target over both target groups, wherever production is", async () => {
            const run = await runWith();
            const alb = run.one("aws:lb/loadBalancer:LoadBalancer").state.arnSuffix;
            const groups = run.ofType("aws:lb/targetGroup:TargetGroup").map((tg) => tg.state.arnSuffix);
            const specs = run.ofType("aws:appautoscaling/policy:Policy").map((p) => {
                assert.strictEqual(p.inputs.resourceId, run.one("aws:appautoscaling/target:Target").inputs.resourceId);
                assert.strictEqual(p.inputs.policyType, "TargetTrackingScaling");
                const config = p.inputs.targetTrackingScalingPolicyConfiguration;
                return config.predefinedMetricSpecification ?? config.customizedMetricSpecification;
            });
            assert.deepStrictEqual(specs, [
                { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                { predefinedMetricType: "ECSServiceAverageMemoryUtilization" },
                { metrics: requestsPerTargetQueries(alb, groups) },
            ]);
            assert.strictEqual(groups.length, 2);
        });

        it("sets desiredCount on create and then leaves the running count to autoscaling", async () => {
            const run = await runWith({ desiredCount: 3 });
            assert.strictEqual(service(run).inputs.desiredCount, 3);
            assert.deepStrictEqual(service(run).ignoreChanges, ["desiredCount"]);
        });

        it("applies a changed desiredCount when applyDesiredCount asks for it", async () => {
            const run = await runWith({ desiredCount: 3, applyDesiredCount: true });
            assert.strictEqual(service(run).inputs.desiredCount, 3);
            assert.deepStrictEqual(service(run).ignoreChanges, []);
        });
    });

    describe("ECS Exec", () => {
        it("is off by default, with no SSM permissions", async () => {
            const run = await runWith();
            assert.strictEqual(service(run).inputs.enableExecuteCommand, false);
            assert.strictEqual(run.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.name.endsWith("-task-exec")).length, 0);
        });

        it("when on, the task role may open the SSM channels and the root filesystem is writable (ECS Exec does not support a read-only one)", async () => {
            const run = await runWith({ enableExecuteCommand: true });
            assert.strictEqual(service(run).inputs.enableExecuteCommand, true);
            const taskRole = run.ofType("aws:iam/role:Role").find((r) => r.state.arn === run.one("aws:ecs/taskDefinition:TaskDefinition").inputs.taskRoleArn)!;
            const policy = json(run.one("aws:iam/rolePolicy:RolePolicy", "-task-exec").inputs.policy);
            assert.strictEqual(run.one("aws:iam/rolePolicy:RolePolicy", "-task-exec").inputs.role, taskRole.state.name);
            assert.ok(policy.Statement[0].Action.every((a: string) => a.startsWith("ssmmessages:")));
            const container = json(run.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions)[0];
            assert.strictEqual(container.readonlyRootFilesystem, false);
            assert.deepStrictEqual(container.mountPoints.map((m: any) => m.containerPath), ["/tmp"]);
        });
    });
});
