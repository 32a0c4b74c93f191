import * as assert from "assert";
import { rolloutBudgetSeconds, rolloutSeconds } from "../lib/rollout";
import { json, ProgramRun, runStack, runWith } from "./harness";

describe("the whole program with the committed stack configs", () => {
    let dev: ProgramRun;
    let prod: ProgramRun;
    before(async () => {
        dev = await runStack("dev");
        prod = await runStack("prod");
    });

    it("exports the outputs users need", () => {
        for (const run of [dev, prod]) {
            for (const key of ["url", "clusterName", "serviceName", "taskDefinitionArn", "repositoryUrl", "image", "logGroupName", "bucketName", "runTaskCommand"]) {
                assert.ok(typeof run.outputs[key] === "string" && run.outputs[key] !== "", key);
            }
        }
    });

    it("the run-task command starts the service's task definition on the service's network", () => {
        for (const run of [dev, prod]) {
            const svc = run.one("aws:ecs/service:Service").inputs;
            const command: string = run.outputs.runTaskCommand;
            assert.ok(command.startsWith(`aws ecs run-task --cluster ${run.outputs.clusterName} --task-definition ${run.outputs.taskDefinitionArn}`));
            assert.ok(command.includes(`subnets=[${svc.networkConfiguration.subnets.join(",")}]`));
            assert.ok(command.includes(`securityGroups=[${svc.networkConfiguration.securityGroups[0]}]`));
            assert.ok(command.includes("assignPublicIp=DISABLED"));
        }
    });

    it("exports what a one-off task needs, matching the service and the container's logs", () => {
        for (const run of [dev, prod]) {
            const svc = run.one("aws:ecs/service:Service").inputs;
            const container = json(run.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions)[0];
            assert.deepStrictEqual(run.outputs.runTaskTarget, {
                cluster: run.outputs.clusterName,
                taskDefinition: svc.taskDefinition,
                subnets: svc.networkConfiguration.subnets,
                securityGroup: svc.networkConfiguration.securityGroups[0],
                capacityProviderStrategy: svc.capacityProviderStrategies,
                containerName: container.name,
                logGroup: container.logConfiguration.options["awslogs-group"],
                logStreamPrefix: container.logConfiguration.options["awslogs-stream-prefix"],
            });
        }
    });

    it("keeps the configurable part of a rollout within 55 s in both stacks (AWS's defaults: 450 s)", () => {
        for (const run of [dev, prod]) {
            const tg = run.one("aws:lb/targetGroup:TargetGroup", "-tg").inputs;
            const seconds = rolloutSeconds({
                healthCheckInterval: tg.healthCheck.interval,
                healthyThreshold: tg.healthCheck.healthyThreshold,
                deregistrationDelay: tg.deregistrationDelay,
            });
            assert.ok(seconds <= rolloutBudgetSeconds, `${seconds} s`);
        }
    });

    it("tasks get no public IP and nothing from the internet: only the ALB's group reaches them", () => {
        for (const run of [dev, prod]) {
            const svc = run.one("aws:ecs/service:Service").inputs;
            assert.strictEqual(svc.networkConfiguration.assignPublicIp, false);
            const [taskGroup] = svc.networkConfiguration.securityGroups;
            const albGroups = run.one("aws:lb/loadBalancer:LoadBalancer").inputs.securityGroups;
            const ingress = run.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === taskGroup);
            assert.ok(ingress.length > 0);
            for (const rule of ingress) {
                assert.ok(albGroups.includes(rule.inputs.referencedSecurityGroupId));
                assert.strictEqual(rule.inputs.cidrIpv4 ?? rule.inputs.cidrIpv6, undefined);
            }
        }
    });

    it("puts the ALB in at least two zones' public subnets and the tasks in private ones with NAT", () => {
        for (const run of [dev, prod]) {
            const vpc = run.one("awsx:ec2:Vpc");
            assert.ok(vpc.inputs.numberOfAvailabilityZones >= 2);
            assert.deepStrictEqual(run.one("aws:lb/loadBalancer:LoadBalancer").inputs.subnets, vpc.state.publicSubnetIds);
            assert.deepStrictEqual(run.one("aws:ecs/service:Service").inputs.networkConfiguration.subnets, vpc.state.privateSubnetIds);
            const natInstance = run.ofType("flask-fargate:network:NatInstance").length === 1;
            assert.ok(vpc.inputs.natGateways.strategy !== "None" || natInstance, "NAT gateways or a NAT instance");
        }
    });

    it("dev has a NAT instance over two zones; prod a NAT gateway per zone over three", () => {
        const shape = (run: ProgramRun) => {
            const vpc = run.one("awsx:ec2:Vpc").inputs;
            return [vpc.numberOfAvailabilityZones, vpc.natGateways.strategy, run.ofType("flask-fargate:network:NatInstance").length];
        };
        assert.deepStrictEqual(shape(dev), [2, "None", 1]);
        assert.deepStrictEqual(shape(prod), [3, "OnePerAz", 0]);
    });

    it("dev starts one task (1-2), prod two (2-10)", () => {
        const counts = (run: ProgramRun) => {
            const target = run.one("aws:appautoscaling/target:Target").inputs;
            return [run.one("aws:ecs/service:Service").inputs.desiredCount, target.minCapacity, target.maxCapacity];
        };
        assert.deepStrictEqual(counts(dev), [1, 1, 2]);
        assert.deepStrictEqual(counts(prod), [2, 2, 10]);
    });

    it("prod's load balancer has deletion protection; dev's can be destroyed", () => {
        const protection = (run: ProgramRun) => run.one("aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection;
        assert.deepStrictEqual([protection(dev), protection(prod)], [false, true]);
    });

    it("dev drains stopping tasks for 10 s, prod for 30 s", () => {
        const delay = (run: ProgramRun) => run.one("aws:lb/targetGroup:TargetGroup", "-tg").inputs.deregistrationDelay;
        assert.deepStrictEqual([delay(dev), delay(prod)], [10, 30]);
    });

    it("dev runs on Spot; prod on on-demand Fargate", () => {
        const strategy = (run: ProgramRun) =>
            run.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "app-capacity").inputs.defaultCapacityProviderStrategies;
        assert.deepStrictEqual(strategy(dev), [{ capacityProvider: "FARGATE_SPOT", weight: 1 }]);
        assert.deepStrictEqual(strategy(prod), [{ capacityProvider: "FARGATE", weight: 1 }]);
    });

    it("dev keeps logs a week, prod a year", () => {
        const retention = (run: ProgramRun) => run.one("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays;
        assert.deepStrictEqual([retention(dev), retention(prod)], [7, 365]);
    });

    it("prod protects and retains its data; dev's destroy removes everything", () => {
        const bucket = (run: ProgramRun) => run.one("aws:s3/bucket:Bucket", "files-bucket");
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

    it("every resource belongs to a component, and each child is named after it", async () => {
        const ec2 = await runWith({ capacity: "ec2" }, "prod");
        for (const run of [dev, prod, ec2]) {
            for (const r of run.resources) {
                if (r.type.startsWith("flask-fargate:") && r.parent === "") {
                    continue; // a top-level component
                }
                assert.notStrictEqual(r.parent, "", `${r.type} ${r.name} has no parent`);
                const parent = run.byUrn(r.parent);
                assert.match(parent.type, /^flask-fargate:[a-z0-9]+:[A-Z][A-Za-z0-9]+$/);
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
