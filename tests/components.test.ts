/**
 * Each component built alone under mocks, as a platform team would use it outside this program:
 * with only its required arguments (the defaults in its Args), it declares what it says, exposes
 * its resources, and refuses arguments AWS would refuse, naming them.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { Alarms } from "../components/alarms";
import { AppBucket } from "../components/bucket";
import { Cluster } from "../components/cluster";
import { Dashboard } from "../components/dashboard";
import { Ec2Capacity } from "../components/ec2Capacity";
import { ContainerImage } from "../components/image";
import { LoadBalancer } from "../components/loadBalancer";
import { NatInstance } from "../components/natInstance";
import { Network } from "../components/network";
import { Notifications } from "../components/notifications";
import { Service } from "../components/service";
import { TaskDefinition } from "../components/taskDefinition";
import { Waf } from "../components/waf";
import { configSchema } from "../lib/config";
import { json, root, runAlone } from "./harness";

const vpcId = "vpc-0123456789abcdef0";
const subnets = ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"];
const cluster = { arn: "arn:aws:ecs:us-east-1:123456789012:cluster/c", name: "c", capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }], platformVersion: "LATEST" };
const network = { vpcId, subnetIds: subnets };
const worker = { name: "worker", image: "public.ecr.aws/docker/library/busybox:1", command: ["sh", "-c", "sleep 3600"] };

/** The message a component's constructor refuses its arguments with. */
async function refusal(body: () => void): Promise<string> {
    try {
        await runAlone(body);
    } catch (err) {
        return (err as Error).message;
    }
    return assert.fail("the component took its arguments");
}

describe("each component alone", () => {
    it("Network: a VPC of its own by default, in 2 zones with a NAT gateway in each", async () => {
        const run = await runAlone(() => void new Network("net", { region: "eu-west-1" }));
        const vpc = run.one("awsx:ec2:Vpc").inputs;
        assert.deepStrictEqual([vpc.numberOfAvailabilityZones, vpc.natGateways], [2, { strategy: "OnePerAz" }]);
    });

    it("NatInstance: routes the private route tables through its interface", async () => {
        const run = await runAlone(() => void new NatInstance("nat", { vpcId, vpcCidr: "10.0.0.0/16", publicSubnetId: subnets[0], privateRouteTableIds: ["rtb-1"] }));
        assert.deepStrictEqual(run.ofType("aws:ec2/route:Route").map((r) => r.inputs.destinationCidrBlock), ["0.0.0.0/1", "128.0.0.0/1"]);
    });

    it("Cluster: Fargate capacity by default; EC2 needs a VPC and subnets", async () => {
        const run = await runAlone(() => {
            const c = new Cluster("c");
            return { strategy: c.capacityProviderStrategy };
        });
        assert.deepStrictEqual(run.outputs.strategy, [{ capacityProvider: "FARGATE", weight: 1 }]);
        assert.ok(run.one("aws:ecs/cluster:Cluster"));
        assert.match(
            await refusal(() => void new Cluster("c", { capacity: { kind: "ec2", instanceTypes: ["t3.medium"], minSize: 1, maxSize: 2, targetCapacity: 100 } })),
            /EC2 capacity needs vpcId and privateSubnetIds/,
        );
    });

    it("Ec2Capacity: instances that ECS scales, with an AMI kept from creation on", async () => {
        const run = await runAlone(() => void new Ec2Capacity("ec2", { clusterName: "c", vpcId, privateSubnetIds: subnets }));
        assert.deepStrictEqual(run.one("aws:autoscaling/group:Group").inputs.mixedInstancesPolicy.launchTemplate.overrides, [{ instanceType: "t3.medium" }]);
        assert.deepStrictEqual(run.one("aws:ec2/launchTemplate:LaunchTemplate").ignoreChanges, ["imageId"]);
    });

    it("AppBucket: private, encrypted, versioned, TLS only, protected by default", async () => {
        const run = await runAlone(() => void new AppBucket("b"));
        assert.strictEqual(run.one("aws:s3/bucket:Bucket").protect || run.one("aws:s3/bucket:Bucket").retainOnDelete, true);
        assert.strictEqual(json(run.one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy).Statement[0].Condition.Bool["aws:SecureTransport"], "false");
    });

    it("ContainerImage: an existing image builds nothing", async () => {
        const run = await runAlone(() => void new ContainerImage("i", { image: "public.ecr.aws/docker/library/busybox:1" }));
        assert.deepStrictEqual(run.resources.filter((r) => r.custom), []);
    });

    it("TaskDefinition: any container (a worker: no port, no health check), roles and log group of its own, or existing ones", async () => {
        const run = await runAlone(() => void new TaskDefinition("worker", { container: worker, taskRolePolicies: { queue: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage"], Resource: "arn:aws:sqs:us-east-1:123456789012:jobs" }] } } }));
        const container = json(run.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions)[0];
        assert.deepStrictEqual([container.name, container.command, container.portMappings, container.healthCheck], ["worker", worker.command, undefined, undefined]);
        assert.deepStrictEqual([run.ofType("aws:iam/role:Role").length, run.ofType("aws:cloudwatch/logGroup:LogGroup").length], [2, 1]);
        assert.ok(run.one("aws:iam/rolePolicy:RolePolicy", "worker-task-queue"));
        const existing = await runAlone(
            () =>
                void new TaskDefinition("worker", {
                    container: worker,
                    taskRole: { arn: "arn:aws:iam::123456789012:role/mine" },
                    executionRole: { arn: "arn:aws:iam::123456789012:role/exec" },
                    logGroupName: "/mine",
                }),
        );
        assert.deepStrictEqual(existing.resources.filter((r) => r.custom).map((r) => r.type), ["aws:ecs/taskDefinition:TaskDefinition"]);
        assert.match(await refusal(() => void new TaskDefinition("t", { container: worker, cpu: 300 })), /TaskDefinition t: cpu is 300, which is not a Fargate task CPU value/);
        assert.match(await refusal(() => void new TaskDefinition("t", { container: { ...worker, secrets: { DB: "my-secret" } } })), /container secret DB: "my-secret" must be a Secrets Manager secret's full ARN/);
        assert.match(await refusal(() => void new TaskDefinition("t", { container: worker, family: "a.b" })), /family "a.b" must be 1-255 letters/);
        assert.match(
            await refusal(() => void new TaskDefinition("t", { container: { ...worker, healthCheck: { command: ["CMD", "true"], interval: 1, timeout: 5, retries: 3, startPeriod: 0 } } })),
            /container.healthCheck.interval 1 must be 5-300/,
        );
    });

    it("LoadBalancer: listeners, and a route per service with its own target groups and rules", async () => {
        const run = await runAlone(() => {
            const lb = new LoadBalancer("web", { vpcId, publicSubnetIds: subnets });
            lb.addRoute("api", { port: 8080, pathPatterns: ["/api/*"], priority: 10, healthCheckPath: "/api/healthz" });
            lb.addRoute("site", { port: 8000, priority: 20 });
        });
        assert.deepStrictEqual(run.ofType("aws:lb/targetGroup:TargetGroup").map((g) => g.name).sort(), ["api-tg", "api-tg-green", "site-tg", "site-tg-green"]);
        const production = (route: string) => run.one("aws:lb/listenerRule:ListenerRule", `${route}-production-rule`).inputs;
        assert.deepStrictEqual([production("api").priority, production("api").conditions], [20, [{ pathPattern: { values: ["/api/*"] } }]]);
        assert.ok(production("api").priority < production("site").priority, "the path route comes before the catch-all");
        assert.match(
            await refusal(() => {
                const lb = new LoadBalancer("web", { vpcId, publicSubnetIds: subnets });
                lb.addRoute("a", { port: 80, priority: 5 });
                lb.addRoute("b", { port: 80, priority: 5 });
            }),
            /route b: priority 5 is route a's already/,
        );
        assert.match(await refusal(() => void new LoadBalancer("web", { vpcId, publicSubnetIds: subnets, idleTimeout: 5000 })), /idleTimeout 5000 must be 1-4000/);
        // Without a default route, what no rule matches gets a JSON 404.
        assert.strictEqual(run.one("aws:lb/listener:Listener").inputs.defaultActions[0].fixedResponse.statusCode, "404");
        // What AWS refuses of a route: ALB listener rules take 3 values a condition; a target group's
        // autonamed name (`<name>-tg-green-` and 7 characters) fits 32 only with a name of 15;
        // CreateTargetGroup's health check bounds.
        const route = (name: string, args: Partial<Parameters<LoadBalancer["addRoute"]>[1]>) =>
            refusal(() => void new LoadBalancer("web", { vpcId, publicSubnetIds: subnets }).addRoute(name, { port: 80, ...args }));
        assert.match(await route("a", { pathPatterns: ["/a/*", "/b/*", "/c/*", "/d/*"] }), /1 to 3 path patterns/);
        assert.match(await route("abcdefghijklmnop", {}), /must be 1-15 lowercase letters/);
        assert.match(await route("a", { timings: { healthCheckInterval: 5, healthyThreshold: 2, deregistrationDelay: 0 } }), /timings.healthCheckInterval 5 must be 6-300/);
        assert.match(await route("a", { timings: { healthCheckInterval: 10, healthyThreshold: 1, deregistrationDelay: 99999 } }), /healthyThreshold 1 must be 2-10; timings.deregistrationDelay 99999 must be 0-3600/);
        assert.match(await route("a", { healthCheckPath: "healthz" }), /healthCheckPath "healthz" must start with \//);
        assert.match(await refusal(() => void new LoadBalancer("web", { vpcId, publicSubnetIds: subnets, ingressCidrs: ["not-a-cidr"] })), /ingressCidrs must be one or more CIDR blocks/);
    });

    it("Service: a worker has no load balancer and scales on CPU and memory; more policies come from outside", async () => {
        const run = await runAlone(() => {
            const s = new Service("worker", {
                cluster,
                taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/w:1",
                network,
                scaling: { policies: { queue: { targetValue: 10, customizedMetricSpecification: { metricName: "Backlog", namespace: "App", statistic: "Average" } } } },
            });
            return { target: s.scalingTarget.resourceId };
        });
        const svc = run.one("aws:ecs/service:Service").inputs;
        assert.deepStrictEqual([svc.loadBalancers, svc.healthCheckGracePeriodSeconds], [undefined, undefined]);
        assert.deepStrictEqual(run.ofType("aws:appautoscaling/policy:Policy").map((p) => p.name).sort(), ["worker-scale-cpu", "worker-scale-memory", "worker-scale-queue"]);
        assert.deepStrictEqual(run.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), [], "a worker admits nothing");
        assert.match(
            await refusal(() => void new Service("w", { cluster, taskDefinitionArn: "td", network, deployment: { strategy: "blue-green", bakeTimeMinutes: 5 } })),
            /Service w: blue-green deployments need a route/,
        );
        assert.match(await refusal(() => void new Service("w", { cluster, taskDefinitionArn: "td", network, minCount: 3, maxCount: 2 })), /minCount <= desiredCount <= maxCount/);
        const lb = (route: (l: LoadBalancer) => void) => () => route(new LoadBalancer("web", { vpcId, publicSubnetIds: subnets }));
        assert.match(
            await refusal(lb((l) => void new Service("w", { cluster, taskDefinitionArn: "td", containerName: "w", network, route: l.addRoute("w", { port: 80 }), deployment: { strategy: "blue-green", bakeTimeMinutes: 0 } }))),
            /bakeTimeMinutes 0 must be 1-1440/,
        );
    });

    it("Service with a route: the load balancer admits it through a rule of the load balancer's own", async () => {
        const run = await runAlone(() => {
            const lb = new LoadBalancer("web", { vpcId, publicSubnetIds: subnets });
            new Service("api", { cluster, taskDefinitionArn: "td", containerName: "api", network, route: lb.addRoute("api", { port: 8080, priority: 10 }) });
        });
        const lbGroup = run.one("aws:ec2/securityGroup:SecurityGroup", "web-sg");
        const egress = run.one("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "api-to-targets");
        assert.strictEqual(egress.inputs.securityGroupId, lbGroup.id);
        assert.strictEqual(egress.parent, run.one("flask-fargate:lb:LoadBalancer").urn, "the load balancer's rule, not the service's");
        assert.strictEqual(run.one("aws:ecs/service:Service").inputs.loadBalancers[0].containerName, "api");
    });

    it("Notifications: an encrypted topic whose one policy lets this account's alarms and rules publish", async () => {
        const run = await runAlone(() => void new Notifications("alarms"));
        assert.deepStrictEqual(json(run.one("aws:sns/topicPolicy:TopicPolicy").inputs.policy).Statement.map((s: any) => s.Principal.Service), ["cloudwatch.amazonaws.com", "events.amazonaws.com"]);
    });

    it("Alarms: a worker's are the service's only; with targets, the traffic alarms are its deployment alarms", async () => {
        const service = { clusterName: "c", clusterArn: cluster.arn, name: "w" };
        const run = await runAlone(() => {
            const alarms = new Alarms("worker", { service, topicArn: "arn:aws:sns:us-east-1:123456789012:t" });
            return { deployment: alarms.deploymentAlarmNames };
        });
        assert.deepStrictEqual(run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.name).sort(), ["worker-cpu-high", "worker-memory-high", "worker-tasks-below-desired"]);
        assert.deepStrictEqual(run.outputs.deployment, []);
        const web = await runAlone(() => {
            const alarms = new Alarms("api", { service, targets: { loadBalancerArnSuffix: "app/web/1", targetGroupArnSuffixes: ["targetgroup/a/1", "targetgroup/b/2"] }, topicArn: "t" });
            return { deployment: alarms.deploymentAlarmNames };
        });
        assert.strictEqual(web.outputs.deployment.length, 2);
    });

    it("Dashboard: named after its component, so two never collide", async () => {
        const run = await runAlone(() => {
            new Dashboard("api", { service: { clusterName: "c", name: "api" } });
            new Dashboard("worker", { service: { clusterName: "c", name: "worker" } });
        });
        assert.deepStrictEqual(run.ofType("aws:cloudwatch/dashboard:Dashboard").map((d) => d.inputs.dashboardName).sort(), ["flask-fargate-test-api", "flask-fargate-test-worker"]);
        // An alarm widget holds 1 to 100 alarms: none, no widget.
        assert.ok(!json(run.ofType("aws:cloudwatch/dashboard:Dashboard")[0].inputs.dashboardBody).widgets.some((w: any) => w.type === "alarm"));
    });

    it("Waf: a web ACL on a load balancer's ARN; a rate limit WAF refuses is refused", async () => {
        const run = await runAlone(() => void new Waf("edge", { loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1" }));
        assert.strictEqual(run.one("aws:wafv2/webAclAssociation:WebAclAssociation").inputs.resourceArn, "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1");
        assert.match(await refusal(() => void new Waf("edge", { loadBalancerArn: "arn", rateLimit: 5 })), /Waf edge: rateLimit 5 must be 10 to 2000000000/);
        // A second service's paths can carry users' data too: its content rules count there as well.
        const two = await runAlone(() => void new Waf("edge", { loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1", contentPaths: ["/files", "/api"] }));
        const outside = two.one("aws:wafv2/webAcl:WebAcl").inputs.rules.find((r: any) => r.name === "content-rules-outside-files-api");
        assert.deepStrictEqual(outside.statement.andStatement.statements[1].notStatement.statement.orStatement.statements.map((s: any) => s.byteMatchStatement.searchString), ["/files", "/api"]);
        assert.strictEqual(two.one("aws:wafv2/webAcl:WebAcl").inputs.visibilityConfig.metricName, "flask-fargate-test-edge");
    });

    // Issue 20: package.json's main was index.ts, so importing the package ran the whole program.
    it("the package's entry exports the components and declares nothing; Pulumi.yaml names the program's", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flask-fargate-entry-"));
        const probe = spawnSync(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", "-e", "const m = require('.'); console.log(Object.keys(m).filter((k) => /^[A-Z]/.test(k) && typeof m[k] === 'function').sort().join(' '))"],
            { cwd: root, encoding: "utf8", env: { ...process.env, PULUMI_CONFIG: undefined, TMPDIR: tmp } },
        );
        fs.rmSync(tmp, { recursive: true, force: true });
        assert.strictEqual(probe.status, 0, probe.stderr);
        for (const component of ["Alarms", "AppBucket", "Cluster", "ContainerImage", "Dashboard", "Ec2Capacity", "LoadBalancer", "NatInstance", "Network", "Notifications", "Service", "TaskDefinition", "Waf"]) {
            assert.ok(probe.stdout.split(/\s+/).includes(component), `${component} in ${probe.stdout}`);
        }
        assert.strictEqual(YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")).main, "index.ts");
        assert.strictEqual(JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).main, "components/index.ts");
    });

    // Each default lives in the component's Args and code; Pulumi.yaml owns the settings' defaults.
    // The program passes every setting, so they need not agree; they do, so that a component used
    // alone behaves as a stack that sets nothing.
    it("a component's defaults are the defaults of the settings the program maps to it", async () => {
        const d = (key: string) => (configSchema as Record<string, { default: unknown }>)[key].default;
        const run = await runAlone(() => {
            const task = new TaskDefinition("t", { container: worker });
            const lb = new LoadBalancer("web", { vpcId, publicSubnetIds: subnets });
            new Service("s", { cluster, taskDefinitionArn: task.arn, containerName: "worker", network, route: lb.addRoute("r", { port: 8000 }) });
            new ContainerImage("i");
            new Waf("w", { loadBalancerArn: lb.arn });
        });
        const td = run.one("aws:ecs/taskDefinition:TaskDefinition").inputs;
        assert.deepStrictEqual([Number(td.cpu), Number(td.memory), td.runtimePlatform.cpuArchitecture], [d("cpu"), d("memory"), d("architecture")]);
        assert.strictEqual(run.one("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, d("logRetentionDays"));
        const svc = run.one("aws:ecs/service:Service").inputs;
        const target = run.one("aws:appautoscaling/target:Target").inputs;
        assert.deepStrictEqual(
            [svc.desiredCount, target.minCapacity, target.maxCapacity, svc.deploymentMinimumHealthyPercent, svc.deploymentMaximumPercent, svc.enableExecuteCommand],
            [d("desiredCount"), d("minCount"), d("maxCount"), d("deploymentMinHealthyPercent"), d("deploymentMaxPercent"), d("enableExecuteCommand")],
        );
        const alb = run.one("aws:lb/loadBalancer:LoadBalancer").inputs;
        assert.deepStrictEqual([alb.idleTimeout, alb.enableDeletionProtection], [d("idleTimeout"), d("protectData")]);
        assert.deepStrictEqual(run.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.name.startsWith("web-in-")).map((r) => r.inputs.cidrIpv4), d("ingressCidrs"));
        const tg = run.one("aws:lb/targetGroup:TargetGroup", "r-tg").inputs;
        assert.deepStrictEqual([tg.healthCheck.interval, tg.healthCheck.healthyThreshold, tg.deregistrationDelay], [d("healthCheckInterval"), d("healthyThreshold"), d("deregistrationDelay")]);
        assert.match(run.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy, new RegExp(`"countNumber":${d("keepImages")}`));
        assert.strictEqual(run.one("aws:wafv2/webAcl:WebAcl").inputs.rules[0].statement.rateBasedStatement.limit, d("wafRateLimit"));
    });
});
