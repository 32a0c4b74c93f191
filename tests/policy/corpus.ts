/**
 * The policy corpus: for every policy of the pack, inputs it must report and inputs it must
 * pass. Each case is one or more resources (stack policies need several), linked by property
 * dependencies as the engine links them. Cases marked `kind` are the gaps of issue 13.
 */
import { Input, unknown, urnOf } from "./harness";

export interface Case {
    what: string;
    inputs: Input[];
    config?: Record<string, unknown>;
    /** The kind of gap from issue 13 this bad case stands for ("generated": found by the generated set of issue 21, mutations.test.ts); unset for cases the pack caught before. */
    kind?: string;
}

export interface Entry {
    bad: Case[];
    good: Case[];
}

let counter = 0;
/** A resource; `deps` names, for a property, the resources its value came from. */
export function res(type: string, props: Record<string, any>, deps: Record<string, Input[]> = {}, extra: Partial<Input> = {}): Input {
    const name = extra.name ?? `${type.split(":").pop()!.toLowerCase()}-${++counter}`;
    const propertyDependencies = Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.map(urnOf)]));
    return { type, name, props, propertyDependencies, dependencies: Object.values(propertyDependencies).flat(), ...extra };
}

const c = (what: string, inputs: Input | Input[], kind?: string, config?: Record<string, unknown>): Case => ({ what, inputs: [inputs].flat(), kind, config });
const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

// Security groups
const vpcIngress = (props: Record<string, unknown>, deps: Record<string, Input[]> = {}) => res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { description: "d", ipProtocol: "tcp", ...props }, deps);
const group = (props: Record<string, unknown> = {}) => res("aws:ec2/securityGroup:SecurityGroup", { description: "d", ...props });
const legacy = (props: Record<string, unknown>, deps: Record<string, Input[]> = {}) => res("aws:ec2/securityGroupRule:SecurityGroupRule", { description: "d", type: "ingress", protocol: "tcp", ...props }, deps);
const defaultGroup = (props: Record<string, unknown>) => res("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", props);
const inline = (props: Record<string, unknown>) => ({ description: "d", protocol: "tcp", ...props });

// ECS
const container = (overrides: Record<string, unknown> = {}) => ({
    name: "app",
    image: "repo@sha256:abc",
    user: "10001:10001",
    readonlyRootFilesystem: true,
    logConfiguration: { logDriver: "awslogs", options: {} },
    environment: [{ name: "LOG_LEVEL", value: "info" }],
    ...overrides,
});
const taskDef = (co: Record<string, unknown> = {}, props: Record<string, unknown> = {}, deps: Record<string, Input[]> = {}) =>
    res("aws:ecs/taskDefinition:TaskDefinition", { networkMode: "awsvpc", containerDefinitions: JSON.stringify([container(co)]), ...props }, deps);
const env = (name: string, value: string) => taskDef({ environment: [{ name, value }] });
const svc = (props: Record<string, unknown>, deps: Record<string, Input[]> = {}) => res("aws:ecs/service:Service", props, deps);
const cluster = (props: Record<string, unknown>) => res("aws:ecs/cluster:Cluster", props);

// Load balancers
const lb = (props: Record<string, unknown> = {}, stack = "prod", type = "aws:lb/loadBalancer:LoadBalancer") =>
    res(type, { loadBalancerType: "application", dropInvalidHeaderFields: true, enableDeletionProtection: true, ...props }, {}, { stack });
const listener = (props: Record<string, unknown>, type = "aws:lb/listener:Listener") => res(type, props);

/** The association of a web ACL with load balancer `b`, linked by property dependency as the engine links it. */
const webAclAssociation = (b: Input) => res("aws:wafv2/webAclAssociation:WebAclAssociation", { resourceArn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1", webAclArn: "arn:aws:wafv2:us-east-1:1:regional/webacl/w/1" }, { resourceArn: [b] });

// Alarms
const alarm = (props: Record<string, unknown> = {}) =>
    res("aws:cloudwatch/metricAlarm:MetricAlarm", { name: "a-5xx", alarmActions: ["arn:aws:sns:us-east-1:123456789012:t"], okActions: ["arn:aws:sns:us-east-1:123456789012:t"], ...props });
const redirect = [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }];
const forward = [{ type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg/1" }];
/** A load balancer with an HTTPS listener and an HTTP one with `httpActions`, plus rules on the HTTP listener. */
function albPair(httpActions: unknown[], prefix = "aws:lb", rules: unknown[][] = []): Input[] {
    const balancer = lb({}, "prod", `${prefix}/loadBalancer:LoadBalancer`);
    const https = res(`${prefix}/listener:Listener`, { protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", defaultActions: forward }, { loadBalancerArn: [balancer] });
    const http = res(`${prefix}/listener:Listener`, { protocol: "HTTP", port: 80, defaultActions: httpActions }, { loadBalancerArn: [balancer] });
    return [balancer, https, http, ...rules.map((actions) => res(`${prefix}/listenerRule:ListenerRule`, { priority: 1, actions, conditions: [{ pathPattern: { values: ["/*"] } }] }, { listenerArn: [http] }))];
}

// ECR
const repo = (props: Record<string, unknown>) => res("aws:ecr/repository:Repository", props);

// IAM
const rolePolicy = (...statements: Record<string, unknown>[]) => res("aws:iam/rolePolicy:RolePolicy", { role: "r", policy: doc(...statements.map((s) => ({ Effect: "Allow", ...s }))) });
const trust = (principal: unknown, extra: Record<string, unknown> = {}) => doc({ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...extra });
const role = (assume: string, props: Record<string, unknown> = {}) => res("aws:iam/role:Role", { assumeRolePolicy: assume, ...props });
const ecsTrust = trust({ Service: "ecs-tasks.amazonaws.com" });
/** A task definition with its two roles. */
function taskRoles(taskTrust: string, executionTrust: string = ecsTrust): Input[] {
    const task = role(taskTrust);
    const execution = role(executionTrust);
    return [task, execution, taskDef({}, {}, { taskRoleArn: [task], executionRoleArn: [execution] })];
}

// S3
const bucket = (props: Record<string, unknown> = {}, type = "aws:s3/bucket:Bucket") => res(type, props);
const block = (b: Input, props: Record<string, unknown> = {}) =>
    res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true, ...props }, { bucket: [b] });
const encryption = (b: Input, type = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration") =>
    res(type, { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }, { bucket: [b] });
const bucketPolicy = (b: Input, ...statements: Record<string, unknown>[]) => res("aws:s3/bucketPolicy:BucketPolicy", { policy: doc(...statements) }, { bucket: [b], policy: [b] });
const tlsDeny = (overrides: Record<string, unknown> = {}) => ({
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: ["arn:aws:s3:::files", "arn:aws:s3:::files/*"],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
    ...overrides,
});
/** A bucket named "files" with all three controls, plus `more` built on it. */
function securedBucket(more: (b: Input) => Input[] = () => []): Input[] {
    const b = bucket({ bucket: "files" });
    return [b, block(b), encryption(b), bucketPolicy(b, tlsDeny()), ...more(b)];
}

// The service and its load balancer's security groups.
function serviceGroups(rules: (tasks: Input, lbGroup: Input) => Input[], tasksProps: Record<string, unknown> = {}): Input[] {
    const lbGroup = group();
    const tasks = group(tasksProps);
    const balancer = res("aws:lb/loadBalancer:LoadBalancer", { loadBalancerType: "application" }, { securityGroups: [lbGroup] });
    const service = svc({ networkConfiguration: { assignPublicIp: false, securityGroups: ["sg-tasks"] } }, { networkConfiguration: [tasks] });
    return [lbGroup, tasks, balancer, service, ...rules(tasks, lbGroup)];
}
const fromLb = (tasks: Input, lbGroup: Input) => vpcIngress({ fromPort: 8000, toPort: 8000, referencedSecurityGroupId: "sg-lb" }, { securityGroupId: [tasks], referencedSecurityGroupId: [lbGroup] });

// EC2
const launchTemplate = (props: Record<string, unknown> = {}, deps: Record<string, Input[]> = {}) =>
    res("aws:ec2/launchTemplate:LaunchTemplate", { imageId: "ami-1", instanceType: "t3.micro", metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 }, ...props }, deps);
/** The NAT instance: its template's group is that of a forwarding interface (source/destination check off) a route targets. */
function natInstance(templateProps: Record<string, unknown> = {}, checkOn = false): Input[] {
    const g = group();
    const eni = res("aws:ec2/networkInterface:NetworkInterface", { subnetId: "subnet-1", securityGroups: ["sg-nat"], sourceDestCheck: checkOn }, { securityGroups: [g] });
    const route = res("aws:ec2/route:Route", { routeTableId: "rtb-1", destinationCidrBlock: "0.0.0.0/0", networkInterfaceId: "eni-1" }, { networkInterfaceId: [eni] });
    const template = launchTemplate({ networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true", securityGroups: ["sg-nat"] }], ...templateProps }, { networkInterfaces: [g] });
    return [g, eni, route, template];
}

// WAF
const rateRule = (limit: number) => ({ name: "rate", priority: 0, action: { block: {} }, statement: { rateBasedStatement: { limit, aggregateKeyType: "IP" } }, visibilityConfig: {} });
const managedGroup = (overrideAction: Record<string, unknown>) => ({ name: "common", priority: 1, overrideAction, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" } }, visibilityConfig: {} });
const webAcl = (rules: unknown[], props: Record<string, unknown> = {}) => res("aws:wafv2/webAcl:WebAcl", { scope: "REGIONAL", defaultAction: { allow: {} }, rules, visibilityConfig: {}, ...props });

/** A load balancer logging to bucket "logs" under "alb", with the bucket's policy and encryption. */
function logBucket(o: { statements?: Record<string, unknown>[]; algorithm?: string; deny?: Record<string, unknown>; lbArn?: string } = {}): Input[] {
    const b = bucket({ bucket: "logs" });
    const statements = o.statements ?? [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::127311923021:root" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/alb/AWSLogs/123456789012/*" }];
    const balancer = res("aws:lb/loadBalancer:LoadBalancer", { loadBalancerType: "application", accessLogs: { bucket: "logs", prefix: "alb", enabled: true }, ...(o.lbArn ? { arn: o.lbArn } : {}) }, { accessLogs: [b] });
    return [b, balancer, bucketPolicy(b, tlsDeny({ Resource: ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"], ...o.deny }), ...statements), res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: o.algorithm ?? "AES256" } }] }, { bucket: [b] })];
}

/** A value not known yet (at preview). */
const unknownValue = unknown;

/** Group `g` and an application load balancer that uses it. */
function withLoadBalancer(g: Input): Input[] {
    return [g, res("aws:lb/loadBalancer:LoadBalancer", { loadBalancerType: "application", securityGroups: ["sg-lb"] }, { securityGroups: [g] })];
}

export const corpus: Record<string, Entry> = {
    "sg-no-world-ingress": {
        bad: [
            c("world on port 22 (VPC rule)", vpcIngress({ fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" })),
            c("protocol -1 with a listener port number", vpcIngress({ ipProtocol: "-1", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }), "protocol -1"),
            c("inline protocol -1 from the world on port 80", group({ ingress: [inline({ protocol: "-1", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] })] }), "protocol -1"),
            c("the world split in two /1 blocks (legacy rule)", legacy({ fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }), "split world"),
            c("the world split over two inline rules", group({ ingress: [inline({ fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/2", "64.0.0.0/2"] }), inline({ fromPort: 5432, toPort: 5432, cidrBlocks: ["128.0.0.0/1"] })] }), "split world"),
            c("IPv6 half of the internet", legacy({ fromPort: 3306, toPort: 3306, ipv6CidrBlocks: ["::/1"] }), "split world"),
            c("a /8 of public addresses", vpcIngress({ fromPort: 22, toPort: 22, cidrIpv4: "3.0.0.0/8" }), "large share"),
            c("world on the VPC's default group", defaultGroup({ ingress: [inline({ fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] })] }), "default group"),
            c("a CIDR outside allowedIngressCidrs", vpcIngress({ fromPort: 443, toPort: 443, cidrIpv4: "198.51.100.0/24" }), undefined, { allowedIngressCidrs: ["203.0.113.0/24"] }),
            c("a range of ports including a listener port", vpcIngress({ fromPort: 80, toPort: 443, cidrIpv4: "0.0.0.0/0" })),
            c("two /9s on port 22 as two rule resources of one group", (() => { const g = group(); return [g, vpcIngress({ fromPort: 22, toPort: 22, cidrIpv4: "3.0.0.0/9" }, { securityGroupId: [g] }), vpcIngress({ fromPort: 22, toPort: 22, cidrIpv4: "3.128.0.0/9" }, { securityGroupId: [g] })]; })(), "whole stack"),
            c("two /9s on port 22 as two rule resources of one group, one written tcp and the other 6", (() => { const g = group(); return [g, vpcIngress({ fromPort: 22, toPort: 22, cidrIpv4: "3.0.0.0/9" }, { securityGroupId: [g] }), vpcIngress({ ipProtocol: "6", fromPort: 22, toPort: 22, cidrIpv4: "3.128.0.0/9" }, { securityGroupId: [g] })]; })(), "generated"),
            c("two /9s on ICMP echo (type 8, every code) as two rules of one group", (() => { const g = group(); return [g, ...["3.0.0.0/9", "3.128.0.0/9"].map((cidrIpv4) => vpcIngress({ ipProtocol: "icmp", fromPort: 8, toPort: -1, cidrIpv4 }, { securityGroupId: [g] }))]; })()),
            c("two /9s over ESP (protocol 50, which EC2 opens on every port whatever the range) on ports 22 and 80", (() => { const g = group(); return [g, vpcIngress({ ipProtocol: "50", fromPort: 22, toPort: 22, cidrIpv4: "3.0.0.0/9" }, { securityGroupId: [g] }), vpcIngress({ ipProtocol: "50", fromPort: 80, toPort: 80, cidrIpv4: "3.128.0.0/9" }, { securityGroupId: [g] })]; })()),
            c("a /9 inline and a /9 by a legacy rule, one group by id", (() => { const g = group({ id: "sg-nat", ingress: [inline({ fromPort: 5432, toPort: 5432, cidrBlocks: ["3.0.0.0/9"] })] }); return [g, legacy({ fromPort: 5432, toPort: 5432, cidrBlocks: ["3.128.0.0/9"], securityGroupId: "sg-nat" }, { securityGroupId: [g] })]; })(), "whole stack"),
            c("HTTPS from the world into a group that is not the load balancer's (a NAT instance's)", (() => { const [, balancer] = withLoadBalancer(group()); const nat = group(); return [balancer, nat, vpcIngress({ fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, { securityGroupId: [nat] })]; })(), "lb exemption"),
            c("HTTP from the world inline on a group no load balancer uses, ports unknown", group({ ingress: [inline({ fromPort: unknownValue, toPort: unknownValue, cidrBlocks: ["0.0.0.0/0"] })] }), "lb exemption"),
        ],
        good: [
            c("HTTPS from the world", vpcIngress({ fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" })),
            c("HTTP from the world over IPv6 into the load balancer's group, inline, and all egress", withLoadBalancer(group({ ingress: [inline({ fromPort: 80, toPort: 80, ipv6CidrBlocks: ["::/0"] })], egress: [inline({ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] })] }))),
            c("HTTPS from the world by a rule resource into the load balancer's group, its id not known yet", (() => { const [g, balancer] = withLoadBalancer(group()); return [g, balancer, vpcIngress({ fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", securityGroupId: unknownValue }, { securityGroupId: [g] })]; })()),
            c("SSH from the VPC", vpcIngress({ fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/16" })),
            c("two /9s of the internet on ports 0-10 and 20-30, and the VPC on 0-30: no port is reached from more than a /9", (() => { const g = group(); return [g, vpcIngress({ fromPort: 0, toPort: 30, cidrIpv4: "10.0.0.0/8" }, { securityGroupId: [g] }), vpcIngress({ fromPort: 0, toPort: 10, cidrIpv4: "3.0.0.0/9" }, { securityGroupId: [g] }), vpcIngress({ fromPort: 20, toPort: 30, cidrIpv4: "3.128.0.0/9" }, { securityGroupId: [g] })]; })()),
            c("two /9s of the internet on ICMP echo and echo reply (types 8 and 0)", (() => { const g = group(); return [g, vpcIngress({ ipProtocol: "icmp", fromPort: 8, toPort: -1, cidrIpv4: "3.0.0.0/9" }, { securityGroupId: [g] }), vpcIngress({ ipProtocol: "icmp", fromPort: 0, toPort: -1, cidrIpv4: "3.128.0.0/9" }, { securityGroupId: [g] })]; })()),
            c("another security group", vpcIngress({ fromPort: 8000, toPort: 8000, referencedSecurityGroupId: "sg-1" })),
            c("a block within an allowed CIDR", vpcIngress({ fromPort: 443, toPort: 443, cidrIpv4: "203.0.113.128/25" }), undefined, { allowedIngressCidrs: ["203.0.113.0/24"] }),
        ],
    },
    "sg-default-group-closed": {
        bad: [
            c("the default group admitting itself", defaultGroup({ ingress: [inline({ protocol: "-1", fromPort: 0, toPort: 0, self: true })] }), "default group"),
            c("the default group with all egress", defaultGroup({ egress: [inline({ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] })] }), "default group"),
            c("the default group admitting the VPC", defaultGroup({ ingress: [inline({ fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] })] }), "default group"),
        ],
        good: [c("the default group without rules", defaultGroup({ vpcId: "vpc-1" })), c("an ordinary group with rules", group({ ingress: [inline({ fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] })] }))],
    },
    "sg-descriptions": {
        bad: [
            c("a rule without description", vpcIngress({ description: undefined, fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/8" })),
            c("the provider's default description", group({ description: "Managed by Pulumi" })),
            c("an inline egress rule without description", group({ description: "web", egress: [{ protocol: "tcp", fromPort: 443, toPort: 443 }] })),
            c("an inline rule on the default group without description", defaultGroup({ ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, self: true }] }), "default group"),
            c("a VPC egress rule with the provider's default description", res("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "Managed by Terraform" })),
            c("a legacy rule with a blank description", legacy({ description: " ", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] })),
        ],
        good: [c("a described rule", vpcIngress({ description: "HTTPS from the office", fromPort: 443, toPort: 443, cidrIpv4: "203.0.113.0/24" })), c("a described group", group({ description: "web" }))],
    },
    "ecs-service-no-public-ip": {
        bad: [
            c("assignPublicIp", svc({ networkConfiguration: { assignPublicIp: true } })),
            c("assignPublicIp with a group", svc({ networkConfiguration: { assignPublicIp: true, securityGroups: ["sg-1"] } })),
            c("assignPublicIp on Fargate Spot", svc({ capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT" }], networkConfiguration: { assignPublicIp: true } })),
            c("a task set with a public IP", res("aws:ecs/taskSet:TaskSet", { service: "s", cluster: "c", taskDefinition: "t", networkConfiguration: { subnets: ["subnet-1"], assignPublicIp: true } }), "related type"),
        ],
        good: [c("no public IP", svc({ networkConfiguration: { assignPublicIp: false } })), c("no network configuration (EC2 bridge)", svc({}))],
    },
    "ecs-no-privileged-containers": {
        bad: [
            c("privileged", taskDef({ privileged: true })),
            c("host network", taskDef({}, { networkMode: "host" })),
            c("SYS_ADMIN added", taskDef({ linuxParameters: { capabilities: { add: ["SYS_ADMIN"] } } }), "capabilities"),
            c("ALL added", taskDef({ linuxParameters: { capabilities: { add: ["ALL"] } } }), "capabilities"),
            c("NET_ADMIN added", taskDef({ linuxParameters: { capabilities: { add: ["NET_ADMIN"], drop: ["ALL"] } } }), "capabilities"),
            c("host IPC namespace", taskDef({}, { ipcMode: "host" }), "ipc host"),
            c("the Docker socket mounted", taskDef({ mountPoints: [{ sourceVolume: "docker", containerPath: "/var/run/docker.sock" }] }, { volumes: [{ name: "docker", hostPath: "/var/run/docker.sock" }] }), "host path"),
            c("a host path in the ECS API's shape", taskDef({}, { volumes: [{ name: "etc", host: { sourcePath: "/etc" } }] }), "host path"),
            c("a host path through a Docker local-driver bind", taskDef({}, { volumes: [{ name: "etc", dockerVolumeConfiguration: { scope: "task", driver: "local", driverOpts: { type: "none", o: "bind", device: "/etc" } } }] }), "host path"),
        ],
        good: [
            c("an ordinary container", taskDef()),
            c("NET_BIND_SERVICE added, ALL dropped, a task volume", taskDef({ linuxParameters: { capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] } } }, { volumes: [{ name: "tmp" }] })),
        ],
    },
    "ecs-readonly-nonroot": {
        // A stack in execStacks (ECS Exec, which AWS does not support on a read-only root filesystem) may have a writable root, never a root user.
        bad: [
            c("writable root", taskDef({ readonlyRootFilesystem: false })),
            c("root by UID", taskDef({ user: "0" })),
            c("root by name", taskDef({ user: "root:root" })),
            c("unset user", taskDef({ user: undefined })),
            c("writable root in a stack not in execStacks", { ...taskDef({ readonlyRootFilesystem: false }), stack: "prod" }, undefined, { execStacks: ["exec"] }),
            c("root user in an execStacks stack", { ...taskDef({ readonlyRootFilesystem: false, user: "0" }), stack: "exec" }, undefined, { execStacks: ["exec"] }),
        ],
        good: [
            c("read-only, non-root", taskDef()),
            c("non-root by UID only", taskDef({ user: "10001" })),
            c("writable root in an execStacks stack", { ...taskDef({ readonlyRootFilesystem: false }), stack: "exec" }, undefined, { execStacks: ["exec"] }),
        ],
    },
    "ecs-container-logging": {
        bad: [c("no log configuration", taskDef({ logConfiguration: undefined })), c("json-file", taskDef({ logConfiguration: { logDriver: "json-file" } })), c("splunk", taskDef({ logConfiguration: { logDriver: "splunk" } }))],
        good: [c("awslogs", taskDef()), c("awslogs with options", taskDef({ logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "g" } } }))],
    },
    "ecs-no-plain-secrets": {
        bad: [
            c("DB_PASSWORD", env("DB_PASSWORD", "x")),
            c("STRIPE_API_KEY", env("STRIPE_API_KEY", "x")),
            c("an AKIA value", env("KEY_ID", "AKIAIOSFODNN7EXAMPLE")),
            c("DB_PASS", env("DB_PASS", "hunter2"), "credential names"),
            c("a DATABASE_URL with a password", env("DATABASE_URL", "postgres://app:hunter2@db.internal:5432/app"), "credential values"),
            c("an ASIA value", env("AWS_ID", "ASIAIOSFODNN7EXAMPLE"), "credential values"),
            c("a 40-character secret under a secret's name", env("AWS_SECRET", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
            c("a 40-character secret under a harmless name", env("SETTING", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "credential values"),
            c("REDIS_AUTH", env("REDIS_AUTH", "s3cr3t-redis"), "secret names"),
            c("a Stripe live key under STRIPE_KEY", env("STRIPE_KEY", "sk_live_51HxAbCdEfGhIjKlMn"), "secret names"),
            c("a provider token under a harmless name", env("CHECKOUT", "sk_live_51HxAbCdEfGhIjKlMn"), "secret names"),
            c("a password in the container's command", taskDef({ command: ["gunicorn", "app:app", "--db-password=hunter2"] }), "secret in command"),
            c("a password set in a shell entry point", taskDef({ entryPoint: ["sh", "-c", "DB_PASSWORD=hunter2 exec gunicorn app:app"] }), "secret in command"),
        ],
        good: [
            c("a secret from Secrets Manager", taskDef({ secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/db" }] })),
            c("a DATABASE_URL without a password", env("DATABASE_URL", "postgres://app@db.internal:5432/app")),
            c("ordinary settings", taskDef({ environment: [{ name: "BUCKET_NAME", value: "files-1234567" }, { name: "PASSENGER_COUNT", value: "4" }, { name: "GIT_SHA", value: "0123456789abcdef0123456789abcdef01234567" }] })),
            c("a command reading the password from the environment", taskDef({ command: ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"], entryPoint: ["sh", "-c", "exec app --db-password=$DB_PASSWORD"] })),
        ],
    },
    "ecs-fargate-platform-latest": {
        bad: [
            c("1.3.0", svc({ launchType: "FARGATE", platformVersion: "1.3.0" })),
            c("Spot on 1.4.0", svc({ capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT" }], platformVersion: "1.4.0" })),
            c("Fargate on 1.4.0", svc({ launchType: "FARGATE", platformVersion: "1.4.0" })),
        ],
        good: [c("LATEST", svc({ capacityProviderStrategies: [{ capacityProvider: "FARGATE" }], platformVersion: "LATEST" })), c("EC2", svc({ launchType: "EC2" }))],
    },
    "ecs-container-insights": {
        bad: [c("no settings", cluster({})), c("disabled", cluster({ settings: [{ name: "containerInsights", value: "disabled" }] })), c("other settings only", cluster({ settings: [{ name: "other", value: "enabled" }] }))],
        good: [c("enabled", cluster({ settings: [{ name: "containerInsights", value: "enabled" }] })), c("enhanced", cluster({ settings: [{ name: "containerInsights", value: "enhanced" }] }))],
    },
    "ecs-separate-roles": {
        bad: [
            c("one role for both, by dependency", (() => { const r = role(ecsTrust); return [r, taskDef({}, {}, { taskRoleArn: [r], executionRoleArn: [r] })]; })()),
            c("one ARN for both", taskDef({}, { taskRoleArn: "arn:aws:iam::1:role/app", executionRoleArn: "arn:aws:iam::1:role/app" })),
            c("one role for both, next to another role", (() => { const r = role(ecsTrust); const other = role(ecsTrust); return [r, other, taskDef({}, {}, { taskRoleArn: [r], executionRoleArn: [r, other] })]; })()),
        ],
        good: [c("two roles", taskRoles(ecsTrust)), c("no task role", taskDef({}, { executionRoleArn: "arn:aws:iam::1:role/exec" }))],
    },
    "alb-http-redirects-to-https": {
        bad: [
            c("HTTP forwarding next to HTTPS", albPair(forward)),
            c("aws.alb types: HTTP forwarding next to HTTPS", albPair(forward, "aws:alb"), "alb aliases"),
            c("a listener rule forwarding on the redirecting HTTP listener", albPair(redirect, "aws:lb", [forward]), "listener rule"),
            c("a redirect to HTTP", albPair([{ type: "redirect", redirect: { protocol: "HTTP", port: "8080" } }])),
        ],
        good: [
            c("HTTP redirects", albPair(redirect)),
            c("HTTP only, forwarding", (() => { const b = lb(); return [b, res("aws:lb/listener:Listener", { protocol: "HTTP", defaultActions: forward }, { loadBalancerArn: [b] })]; })()),
            c("a rule redirecting on the HTTP listener", albPair(redirect, "aws:alb", [redirect])),
        ],
    },
    "alb-https-tls13": {
        bad: [
            c("2016-08", listener({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" })),
            c("unset (AWS's API default)", listener({ protocol: "HTTPS" })),
            c("TLS 1.3 policy allowing TLS 1.0", listener({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" }), "tls by protocol"),
            c("TLS 1.3 policy allowing TLS 1.1", listener({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-1-2021-06" }), "tls by protocol"),
            c("FIPS TLS 1.3 policy allowing TLS 1.0", listener({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04" }), "tls by protocol"),
            c("a made-up name containing TLS13", listener({ protocol: "HTTPS", sslPolicy: "MyTLS13Policy" }), "tls by protocol"),
            c("aws.alb listener on 2016-08", listener({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" }, "aws:alb/listener:Listener"), "alb aliases"),
        ],
        good: [
            c("TLS13-1-2", listener({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" })),
            c("TLS13-1-3 on aws.alb", listener({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" }, "aws:alb/listener:Listener")),
            c("post-quantum restricted", listener({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" })),
            c("HTTP", listener({ protocol: "HTTP", defaultActions: redirect })),
        ],
    },
    "alb-drop-invalid-headers": {
        bad: [c("off", lb({ dropInvalidHeaderFields: false })), c("unset", lb({ dropInvalidHeaderFields: undefined })), c("aws.alb, off", lb({ dropInvalidHeaderFields: false }, "prod", "aws:alb/loadBalancer:LoadBalancer"), "alb aliases")],
        good: [c("on", lb()), c("a network load balancer", lb({ loadBalancerType: "network", dropInvalidHeaderFields: undefined }))],
    },
    "alb-deletion-protection": {
        bad: [
            c("prod, off", lb({ enableDeletionProtection: false })),
            c("prod, unset", lb({ enableDeletionProtection: undefined })),
            c("aws.alb in prod, off", lb({ enableDeletionProtection: false }, "prod", "aws:alb/loadBalancer:LoadBalancer"), "alb aliases"),
        ],
        good: [c("dev, off", lb({ enableDeletionProtection: false }, "dev")), c("prod, on", lb())],
    },
    "ecr-scan-on-push": {
        bad: [c("no scanning configuration", repo({})), c("scanOnPush off", repo({ imageScanningConfiguration: { scanOnPush: false } })), c("empty scanning configuration", repo({ imageScanningConfiguration: {} }))],
        good: [c("scanOnPush on", repo({ imageScanningConfiguration: { scanOnPush: true } })), c("scanOnPush on, immutable", repo({ imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE" }))],
    },
    "ecr-immutable-tags": {
        bad: [
            c("default", repo({})),
            c("MUTABLE", repo({ imageTagMutability: "MUTABLE" })),
            c("an exclusion filter of *", repo({ imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "*", filterType: "WILDCARD" }] }), "exclusion *"),
            c("an exclusion filter of ** next to a cache tag", repo({ imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "buildcache", filterType: "WILDCARD" }, { filter: "**", filterType: "WILDCARD" }] }), "exclusion *"),
            c("a repository creation template with mutable tags", res("aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate", { prefix: "cache", appliedFors: ["PULL_THROUGH_CACHE"], imageTagMutability: "MUTABLE" }), "related type"),
        ],
        good: [c("IMMUTABLE", repo({ imageTagMutability: "IMMUTABLE" })), c("a cache tag excluded", repo({ imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "buildcache*", filterType: "WILDCARD" }] }))],
    },
    "ecr-lifecycle-policy": {
        bad: [
            c("no lifecycle policy", repo({ name: "app" })),
            c("a lifecycle policy for another repository", [repo({ name: "app" }), res("aws:ecr/lifecyclePolicy:LifecyclePolicy", { repository: "other", policy: "{}" })]),
            c("two repositories, one covered", (() => { const a = repo({}); return [a, repo({}), res("aws:ecr/lifecyclePolicy:LifecyclePolicy", { policy: "{}" }, { repository: [a] })]; })()),
        ],
        good: [
            c("a policy by dependency", (() => { const a = repo({}); return [a, res("aws:ecr/lifecyclePolicy:LifecyclePolicy", { policy: "{}" }, { repository: [a] })]; })()),
            c("a policy by name", [repo({ name: "app" }), res("aws:ecr/lifecyclePolicy:LifecyclePolicy", { repository: "app", policy: "{}" })]),
        ],
    },
    "ecr-no-public-policy": {
        bad: [
            c("Principal *", res("aws:ecr/repositoryPolicy:RepositoryPolicy", { repository: "app", policy: doc({ Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage"] }) }), "ecr public"),
            c("AWS *", res("aws:ecr/repositoryPolicy:RepositoryPolicy", { repository: "app", policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "ecr:*" }) }), "ecr public"),
            c("AWS [*] in a registry policy", res("aws:ecr/registryPolicy:RegistryPolicy", { policy: doc({ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::1:root", "*"] }, Action: "ecr:ReplicateImage", Resource: "*" }) }), "ecr public"),
            c("AWS * with StringNotEquals aws:PrincipalAccount", res("aws:ecr/repositoryPolicy:RepositoryPolicy", { repository: "app", policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "ecr:BatchGetImage", Condition: { StringNotEquals: { "aws:PrincipalAccount": "123456789012" } } }) }), "conditions"),
            c("* with StringLike aws:PrincipalOrgID *", res("aws:ecr/repositoryPolicy:RepositoryPolicy", { repository: "app", policy: doc({ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage", Condition: { StringLike: { "aws:PrincipalOrgID": "*" } } }) }), "conditions"),
            c("a creation template's policy open to *", res("aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate", { prefix: "cache", appliedFors: ["PULL_THROUGH_CACHE"], imageTagMutability: "IMMUTABLE", repositoryPolicy: doc({ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }) }), "related type"),
            c("an ECR Public repository", res("aws:ecrpublic/repository:Repository", { repositoryName: "app" }), "related type"),
            c("a creation template's policy open to * by AWS [*]", res("aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate", { prefix: "cache", appliedFors: ["PULL_THROUGH_CACHE"], imageTagMutability: "IMMUTABLE", repositoryPolicy: doc({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "ecr:BatchGetImage" }) }), "related type"),
        ],
        good: [
            c("one account", res("aws:ecr/repositoryPolicy:RepositoryPolicy", { repository: "app", policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "ecr:BatchGetImage" }) })),
            c("* within the organization", res("aws:ecr/repositoryPolicy:RepositoryPolicy", { repository: "app", policy: doc({ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } }) })),
        ],
    },
    "logs-retention": {
        bad: [
            c("no retention", res("aws:cloudwatch/logGroup:LogGroup", {})),
            c("3 days", res("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 3 })),
            c("30 days under a minimum of 90", res("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 30 }), undefined, { minimumRetentionDays: 90 }),
        ],
        good: [c("7 days", res("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 7 })), c("never expire", res("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 0 }))],
    },
    "iam-no-wildcards": {
        bad: [
            c("Action *", rolePolicy({ Action: "*", Resource: "arn:aws:s3:::b" })),
            c("s3:*", rolePolicy({ Action: "s3:*", Resource: "arn:aws:s3:::b" })),
            c("Resource *", rolePolicy({ Action: ["s3:GetObject"], Resource: "*" })),
            c("a role's inline policy", res("aws:iam/role:Role", { assumeRolePolicy: ecsTrust, inlinePolicies: [{ name: "x", policy: doc({ Effect: "Allow", Action: "ec2:*", Resource: "*" }) }] })),
            c("AdministratorAccess by attachment", res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }), "managed policy"),
            c("PowerUserAccess in managedPolicyArns", role(ecsTrust, { managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] }), "managed policy"),
            c("IAMFullAccess by policy attachment", res("aws:iam/policyAttachment:PolicyAttachment", { roles: ["r"], policyArn: "arn:aws:iam::aws:policy/IAMFullAccess" }), "managed policy"),
            c("AmazonS3FullAccess by exclusive attachments", res("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", { roleName: "r", policyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"] }), "managed policy"),
            c("NotAction", rolePolicy({ NotAction: "iam:*", Resource: "arn:aws:s3:::b" }), "NotAction"),
            c("NotResource", rolePolicy({ Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" }), "NotResource"),
            c("every bucket", rolePolicy({ Action: ["s3:GetObject"], Resource: "arn:aws:s3:::*" }), "every bucket"),
            c("iam:*Role* on role/*", rolePolicy({ Action: "iam:*Role*", Resource: "arn:aws:iam::123456789012:role/*" }), "escalation"),
            c("a customer managed policy", res("aws:iam/policy:Policy", { policy: doc({ Effect: "Allow", Action: "iam:Pass*", Resource: "arn:aws:iam::123456789012:role/*" }) }), "escalation"),
            c("instance/* under a tag condition with a wildcard value", rolePolicy({ Action: "ec2:AttachNetworkInterface", Resource: "arn:aws:ec2:us-east-1:123456789012:instance/*", Condition: { StringEquals: { "ec2:ResourceTag/aws:autoscaling:groupName": "*" } } })),
            c("instance/* under a StringLike tag condition", rolePolicy({ Action: "ec2:AttachNetworkInterface", Resource: "arn:aws:ec2:us-east-1:123456789012:instance/*", Condition: { StringLike: { "ec2:ResourceTag/team": "a*" } } })),
            c("iam:PassRole on role* (every role)", rolePolicy({ Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role*" }), "wildcard in effect"),
            c("every secret by secret:*", rolePolicy({ Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:*" }), "wildcard in effect"),
            c("SecretsManagerReadWrite attached", res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/SecretsManagerReadWrite" }), "managed policy"),
            c("an AWS managed policy the pack does not know", res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/AWSCodeCommitPowerUser" }), "managed policy"),
        ],
        good: [
            c("one bucket's objects", rolePolicy({ Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" })),
            c("an unscopable action", rolePolicy({ Action: "ecr:GetAuthorizationToken", Resource: "*" })),
            c("a deny", res("aws:s3/bucketPolicy:BucketPolicy", { policy: doc({ Effect: "Deny", Action: "s3:*", Resource: "*" }) })),
            c("the ECS task execution managed policy", res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" })),
            c("PassRole on one role, logs on one group", rolePolicy({ Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/app" }, { Action: ["logs:PutLogEvents"], Resource: "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:*" })),
            c("instance/* scoped by a resource tag (the NAT instance's own group)", rolePolicy({ Action: "ec2:AttachNetworkInterface", Resource: "arn:aws:ec2:us-east-1:123456789012:instance/*", Condition: { StringEquals: { "ec2:ResourceTag/aws:autoscaling:groupName": "nat-asg-1" } } })),
            c("PassRole on roles with a name prefix", rolePolicy({ Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/app-*" })),
        ],
    },
    "iam-task-role-trust": {
        bad: [
            c("the task role also trusts Lambda", taskRoles(trust({ Service: ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"] }))),
            c("the task role trusts *", taskRoles(trust("*"))),
            c("the execution role trusts AWS *", taskRoles(ecsTrust, trust({ AWS: "*" })), "trust AWS *"),
            c("the execution role trusts an account too", taskRoles(ecsTrust, trust({ Service: "ecs-tasks.amazonaws.com", AWS: "arn:aws:iam::111122223333:root" })), "trust AWS *"),
        ],
        good: [c("both roles trust ECS tasks", taskRoles(ecsTrust)), c("ECS tasks of one account", taskRoles(trust({ Service: "ecs-tasks.amazonaws.com" }, { Condition: { StringEquals: { "aws:SourceAccount": "1" } } })))],
    },
    "iam-role-trust": {
        bad: [
            c("Principal *", role(trust("*")), "trust AWS *"),
            c("AWS *", role(trust({ AWS: "*" })), "trust AWS *"),
            c("AWS * among accounts", role(trust({ AWS: ["arn:aws:iam::111122223333:root", "*"] })), "trust AWS *"),
            c("NotPrincipal", role(doc({ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::1:root" }, Action: "sts:AssumeRole" })), "trust AWS *"),
            c("AWS * with StringNotEquals aws:PrincipalAccount", role(trust({ AWS: "*" }, { Condition: { StringNotEquals: { "aws:PrincipalAccount": "123456789012" } } })), "conditions"),
            c("AWS * with StringEqualsIfExists aws:PrincipalOrgID", role(trust({ AWS: "*" }, { Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc" } } })), "conditions"),
            c("AWS * with ArnLike aws:PrincipalArn of any account", role(trust({ AWS: "*" }, { Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/deployer" } } })), "conditions"),
            c("AWS * with an external id only", role(trust({ AWS: "*" }, { Condition: { StringEquals: { "sts:ExternalId": "shared" } } })), "conditions"),
        ],
        good: [
            c("a service", role(ecsTrust)),
            c("AWS * within the organization", role(trust({ AWS: "*" }, { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } }))),
            c("one account", role(trust({ AWS: "arn:aws:iam::111122223333:root" }))),
            c("AWS * pinned to one account's roles, the key in lower case", role(trust({ AWS: "*" }, { Condition: { ArnLike: { "aws:principalarn": "arn:aws:iam::123456789012:role/ci-*" } } }))),
        ],
    },
    "iam-no-access-keys": {
        bad: [
            c("an access key", res("aws:iam/accessKey:AccessKey", { user: "ci" }), "access key"),
            c("an access key with a PGP key", res("aws:iam/accessKey:AccessKey", { user: "ci", pgpKey: "keybase:ci" }), "access key"),
            c("an inactive access key", res("aws:iam/accessKey:AccessKey", { user: "ci", status: "Inactive" }), "access key"),
        ],
        good: [c("a user without keys", res("aws:iam/user:User", { name: "ci" })), c("a role", role(ecsTrust))],
    },
    "s3-public-access-blocked": {
        bad: [
            c("a bucket alone", bucket()),
            c("a block with one setting off", (() => { const b = bucket(); return [b, block(b, { restrictPublicBuckets: false })]; })()),
            c("a BucketV2 alone", bucket({}, "aws:s3/bucketV2:BucketV2"), "no controls"),
            c("a bucket policy allowing Principal *", securedBucket((b) => [bucketPolicy(b, { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::files/*" })]), "public grants"),
            c("a public-read BucketAcl", securedBucket((b) => [res("aws:s3/bucketAcl:BucketAcl", { acl: "public-read" }, { bucket: [b] })]), "public grants"),
            c("an ACL grant to all users", securedBucket((b) => [res("aws:s3/bucketAclV2:BucketAclV2", { accessControlPolicy: { owner: { id: "o" }, grants: [{ permission: "READ", grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" } }] } }, { bucket: [b] })]), "public grants"),
            c("a public-read-write acl on the bucket", (() => { const b = bucket({ acl: "public-read-write" }); return [b, block(b)]; })(), "public grants"),
            c("Principal * with StringNotEquals aws:SourceVpce", securedBucket((b) => [bucketPolicy(b, { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::files/*", Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } })]), "conditions"),
            c("Principal * with StringEqualsIfExists aws:PrincipalAccount (unsigned requests have none)", securedBucket((b) => [bucketPolicy(b, { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::files/*", Condition: { StringEqualsIfExists: { "aws:PrincipalAccount": "123456789012" } } })]), "conditions"),
        ],
        good: [
            c("a blocked bucket", (() => { const b = bucket(); return [b, block(b)]; })()),
            c("a bucket policy for one account, a private ACL", securedBucket((b) => [bucketPolicy(b, { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::files/*" }), res("aws:s3/bucketAcl:BucketAcl", { acl: "private" }, { bucket: [b] })])),
            c("Principal * through one VPC endpoint", securedBucket((b) => [bucketPolicy(b, tlsDeny(), { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::files/*", Condition: { StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } })])),
        ],
    },
    "s3-encryption": {
        bad: [
            c("a bucket alone", bucket()),
            c("no rules", (() => { const b = bucket(); return [b, res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { rules: [] }, { bucket: [b] })]; })()),
            c("a BucketV2 alone", bucket({}, "aws:s3/bucketV2:BucketV2"), "no controls"),
            c("another bucket's configuration", (() => { const b = bucket(); const other = bucket(); return [b, other, encryption(other)]; })()),
        ],
        good: [
            c("a configuration", (() => { const b = bucket(); return [b, encryption(b)]; })()),
            c("a V2 configuration of a BucketV2", (() => { const b = bucket({}, "aws:s3/bucketV2:BucketV2"); return [b, encryption(b, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2")]; })()),
            c("inline on the bucket", bucket({ serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } } })),
        ],
    },
    "s3-tls-only": {
        bad: [
            c("a bucket alone", bucket({ bucket: "files" })),
            c("a BucketV2 alone", bucket({ bucket: "files" }, "aws:s3/bucketV2:BucketV2"), "no controls"),
            c("a deny of some actions only", (() => { const b = bucket({ bucket: "files" }); return [b, bucketPolicy(b, tlsDeny({ Action: ["s3:GetObject", "s3:PutObject"] }))]; })(), "partial tls deny"),
            c("a deny on the objects only", (() => { const b = bucket({ bucket: "files" }); return [b, bucketPolicy(b, tlsDeny({ Resource: "arn:aws:s3:::files/*" }))]; })(), "partial tls deny"),
            c("a deny for one account only", (() => { const b = bucket({ bucket: "files" }); return [b, bucketPolicy(b, tlsDeny({ Principal: { AWS: "arn:aws:iam::1:root" } }))]; })(), "partial tls deny"),
            c("a deny a request header turns off", (() => { const b = bucket({ bucket: "files" }); return [b, bucketPolicy(b, tlsDeny({ Condition: { Bool: { "aws:SecureTransport": "false" }, StringNotEquals: { "aws:UserAgent": "legacy" } } }))]; })(), "conditions"),
            c("a deny of TLS below 1.2 only (plain HTTP has no TLS version)", (() => { const b = bucket({ bucket: "files" }); return [b, bucketPolicy(b, tlsDeny({ Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } }))]; })(), "conditions"),
            c("a deny of s3:GetObject only, its resource not known yet", (() => { const b = bucket({ bucket: "files" }); return [b, bucketPolicy(b, tlsDeny({ Action: "s3:GetObject", Resource: unknownValue }))]; })(), "preview"),
        ],
        good: [
            c("s3:* on the bucket and its objects", (() => { const b = bucket({ bucket: "files" }); return [b, bucketPolicy(b, tlsDeny())]; })()),
            c("* on *", (() => { const b = bucket({ bucket: "files" }); return [b, bucketPolicy(b, tlsDeny({ Action: "*", Resource: "*", Principal: { AWS: "*" } }))]; })()),
            c("the key written aws:securetransport (keys are case-insensitive)", (() => { const b = bucket({ bucket: "files" }); return [b, bucketPolicy(b, tlsDeny({ Condition: { Bool: { "aws:securetransport": false } } }))]; })()),
        ],
    },
    "service-target-group-has-listener": {
        bad: [
            c("no listener", (() => { const tg = res("aws:lb/targetGroup:TargetGroup", {}); return [tg, svc({}, { loadBalancers: [tg] })]; })()),
            c("a listener forwarding elsewhere", (() => { const tg = res("aws:lb/targetGroup:TargetGroup", {}); const other = res("aws:lb/targetGroup:TargetGroup", {}); return [tg, other, svc({}, { loadBalancers: [tg] }), res("aws:lb/listener:Listener", { defaultActions: forward }, { defaultActions: [other] })]; })()),
            c("a listener that only redirects", (() => { const tg = res("aws:lb/targetGroup:TargetGroup", {}); return [tg, svc({}, { loadBalancers: [tg] }), res("aws:lb/listener:Listener", { defaultActions: redirect }, { defaultActions: [tg] })]; })()),
        ],
        good: [
            c("a listener forwarding", (() => { const tg = res("aws:lb/targetGroup:TargetGroup", {}); return [tg, svc({}, { loadBalancers: [tg] }), res("aws:lb/listener:Listener", { defaultActions: forward }, { defaultActions: [tg] })]; })()),
            c("a listener rule forwarding (aws.alb)", (() => { const tg = res("aws:alb/targetGroup:TargetGroup", {}); return [tg, svc({}, { loadBalancers: [tg] }), res("aws:alb/listenerRule:ListenerRule", { actions: forward }, { actions: [tg] })]; })()),
        ],
    },
    "service-tasks-only-from-alb": {
        bad: [
            c("a CIDR next to the ALB's group", serviceGroups((tasks, lbGroup) => [vpcIngress({ fromPort: 8000, toPort: 8000, cidrIpv4: "10.0.0.0/8", referencedSecurityGroupId: "sg-lb" }, { securityGroupId: [tasks], referencedSecurityGroupId: [lbGroup] })])),
            c("an inline CIDR rule", serviceGroups(() => [], { ingress: [inline({ fromPort: 8000, toPort: 8000, cidrBlocks: ["10.0.0.0/8"] })] })),
            c("a legacy rule with a CIDR", serviceGroups((tasks, lbGroup) => [fromLb(tasks, lbGroup), legacy({ fromPort: 8000, toPort: 8000, cidrBlocks: ["10.0.0.0/16"] }, { securityGroupId: [tasks] })]), "tasks CIDR"),
            c("a prefix list", serviceGroups((tasks) => [vpcIngress({ fromPort: 8000, toPort: 8000, prefixListId: "pl-123" }, { securityGroupId: [tasks] })])),
            c("an IPv6 CIDR by legacy rule, by group id", (() => { const inputs = serviceGroups(() => []); return [...inputs, legacy({ fromPort: 0, toPort: 65535, protocol: "-1", ipv6CidrBlocks: ["::/0"], securityGroupId: "sg-tasks" }, { securityGroupId: [inputs[1]] })]; })(), "tasks CIDR"),
            c("another group of the stack whose id is not known yet", (() => { const other = group(); return [other, ...serviceGroups((tasks) => [vpcIngress({ fromPort: 8000, toPort: 8000, referencedSecurityGroupId: unknownValue }, { securityGroupId: [tasks], referencedSecurityGroupId: [other] })])]; })(), "preview"),
            c("an inline rule from another group next to the ALB's (ids known)", (() => { const other = group({ id: "sg-other" }); const inputs = serviceGroups(() => []); inputs[0].props.id = "sg-lb"; inputs[1].props.ingress = [inline({ fromPort: 8000, toPort: 8000, securityGroups: ["sg-lb"] }), inline({ fromPort: 8000, toPort: 8000, securityGroups: ["sg-other"] })]; inputs[1].propertyDependencies = { ingress: [urnOf(inputs[0]), urnOf(other)] }; return [other, ...inputs]; })(), "preview"),
        ],
        good: [
            c("only the ALB's group", serviceGroups((tasks, lbGroup) => [fromLb(tasks, lbGroup)])),
            c("inline from the ALB's group", (() => { const inputs = serviceGroups(() => []); const lbGroup = inputs[0]; inputs[1].props.ingress = [inline({ fromPort: 8000, toPort: 8000, securityGroups: ["sg-lb"] })]; inputs[1].propertyDependencies = { ingress: [urnOf(lbGroup)] }; return inputs; })()),
        ],
    },
    "service-rollback-alarms": {
        bad: [
            c("a load-balanced service without deployment alarms", (() => { const tg = res("aws:lb/targetGroup:TargetGroup", {}); return [tg, svc({ loadBalancers: [{ containerPort: 8000 }] }, { loadBalancers: [tg] })]; })()),
            c("alarms with rollback off", (() => { const a = alarm(); return [a, svc({ loadBalancers: [{ containerPort: 8000 }], alarms: { alarmNames: ["a"], enable: true, rollback: false } }, { alarms: [a] })]; })()),
            c("alarms that are not the stack's", svc({ loadBalancers: [{ containerPort: 8000 }], alarms: { alarmNames: ["someone-elses"], enable: true, rollback: true } })),
        ],
        good: [
            c("rollback on the stack's alarm", (() => { const a = alarm(); return [a, svc({ loadBalancers: [{ containerPort: 8000 }], alarms: { alarmNames: ["a-5xx"], enable: true, rollback: true } }, { alarms: [a] })]; })()),
            c("a worker service without a load balancer", svc({ loadBalancers: [] })),
        ],
    },
    "ec2-imdsv2": {
        bad: [
            c("IMDSv1 allowed (httpTokens optional)", launchTemplate({ metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional" } }), "launch templates"),
            c("no metadata options (the default allows IMDSv1)", launchTemplate({ metadataOptions: undefined }), "launch templates"),
            c("the NAT instance's template with IMDSv1", natInstance({ metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional" } }), "launch templates"),
            c("an instance with IMDSv1", res("aws:ec2/instance:Instance", { ami: "ami-1", instanceType: "t3.micro", metadataOptions: { httpTokens: "optional" } }), "related type"),
        ],
        good: [c("IMDSv2 required", launchTemplate()), c("the metadata endpoint off", launchTemplate({ metadataOptions: { httpEndpoint: "disabled" } }))],
    },
    "ec2-no-public-ip": {
        bad: [
            c("an ECS capacity template with a public IP", launchTemplate({ networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true", securityGroups: ["sg-1"] }] }), "launch templates"),
            c("a public IP and a route to the interface, but the source/destination check on", natInstance({}, true), "launch templates"),
            c("an instance with a public IP", res("aws:ec2/instance:Instance", { ami: "ami-1", instanceType: "t3.micro", associatePublicIpAddress: true }), "related type"),
            c("a launch configuration with a public IP", res("aws:ec2/launchConfiguration:LaunchConfiguration", { imageId: "ami-1", instanceType: "t3.micro", associatePublicIpAddress: true }), "related type"),
        ],
        good: [c("no public IP", launchTemplate({ networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: ["sg-1"] }] })), c("the NAT instance", natInstance())],
    },
    "sns-kms-no-public-policy": {
        bad: [
            c("a topic policy open to *", res("aws:sns/topicPolicy:TopicPolicy", { arn: "arn:aws:sns:us-east-1:123456789012:alarms", policy: doc({ Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "arn:aws:sns:us-east-1:123456789012:alarms" }) }), "sns"),
            c("a topic's own policy for AWS * with StringNotEquals aws:SourceAccount", res("aws:sns/topic:Topic", { kmsMasterKeyId: "k", policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Subscribe", Resource: "*", Condition: { StringNotEquals: { "aws:SourceAccount": "123456789012" } } }) }), "sns"),
            c("a key policy open to *", res("aws:kms/key:Key", { enableKeyRotation: true, policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }) }), "kms"),
            c("a key policy for * with StringLike aws:PrincipalAccount *", res("aws:kms/keyPolicy:KeyPolicy", { keyId: "k", policy: doc({ Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*", Condition: { StringLike: { "aws:PrincipalAccount": "*" } } }) }), "kms"),
        ],
        good: [
            c("the alarm topic's policy: CloudWatch of this account", res("aws:sns/topicPolicy:TopicPolicy", { arn: "t", policy: doc({ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: "t", Condition: { ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*" } } }) })),
            c("the key policy: the account administers", res("aws:kms/key:Key", { policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }) })),
            c("a key for * within the organization", res("aws:kms/key:Key", { policy: doc({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } }) })),
        ],
    },
    "sns-topic-encrypted": {
        bad: [c("no key", res("aws:sns/topic:Topic", {}), "sns"), c("an empty key", res("aws:sns/topic:Topic", { kmsMasterKeyId: "" }), "sns"), c("a FIFO topic without a key", res("aws:sns/topic:Topic", { fifoTopic: true, name: "a.fifo" }), "sns")],
        good: [c("a customer managed key", res("aws:sns/topic:Topic", { kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/k-1" })), c("the AWS managed key", res("aws:sns/topic:Topic", { kmsMasterKeyId: "alias/aws/sns" }))],
    },
    "alarms-missing-data": {
        bad: [
            c("ignore", alarm({ treatMissingData: "ignore" }), "alarms"),
            c("ignore on a latency alarm", alarm({ name: "latency", treatMissingData: "ignore", threshold: 1 }), "alarms"),
            c("a rollback alarm treating missing data as breaching", (() => { const a = alarm({ treatMissingData: "breaching" }); return [a, svc({ loadBalancers: [{ containerPort: 8000 }], alarms: { alarmNames: ["a-5xx"], enable: true, rollback: true } }, { alarms: [a] })]; })(), "alarms"),
        ],
        good: [c("notBreaching", alarm({ treatMissingData: "notBreaching" })), c("breaching on a heartbeat no service rolls back on", alarm({ treatMissingData: "breaching" })), c("the default (missing)", alarm())],
    },
    "service-deployment-safety": {
        bad: [
            c("no circuit breaker", svc({ loadBalancers: [{ containerPort: 8000 }] }), "deployments"),
            c("circuit breaker without rollback", svc({ deploymentCircuitBreaker: { enable: true, rollback: false } }), "deployments"),
            c("blue/green without an alternate target group", svc({ deploymentCircuitBreaker: { enable: true, rollback: true }, deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: "5" }, loadBalancers: [{ targetGroupArn: "tg", containerPort: 8000 }] }), "deployments"),
            c("blue/green with a bake time of 0", svc({ deploymentCircuitBreaker: { enable: true, rollback: true }, deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: "0" }, loadBalancers: [{ targetGroupArn: "tg", containerPort: 8000, advancedConfiguration: { alternateTargetGroupArn: "tg2", productionListenerRule: "r", roleArn: "role" } }] }), "deployments"),
        ],
        good: [
            c("rolling with the circuit breaker", svc({ deploymentCircuitBreaker: { enable: true, rollback: true }, deploymentConfiguration: { strategy: "ROLLING" } })),
            c("blue/green with its alternate target group and a bake time", svc({ deploymentCircuitBreaker: { enable: true, rollback: true }, deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: "10" }, loadBalancers: [{ targetGroupArn: "tg", containerPort: 8000, advancedConfiguration: { alternateTargetGroupArn: "tg2", productionListenerRule: "r", roleArn: "role" } }] })),
            c("deployed by CodeDeploy", svc({ deploymentController: { type: "CODE_DEPLOY" } })),
        ],
    },
    "alb-access-log-bucket": {
        bad: [
            c("no grant to Elastic Load Balancing", logBucket({ statements: [] }), "access-log bucket"),
            c("KMS encryption", logBucket({ algorithm: "aws:kms" }), "access-log bucket"),
            c("a grant to another account", logBucket({ statements: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/alb/AWSLogs/123456789012/*" }] }), "access-log bucket"),
            c("a grant under another prefix", logBucket({ statements: [{ Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/other/*" }] }), "access-log bucket"),
            c("the grant, and the TLS deny without its condition (a deny of every request)", logBucket({ deny: { Condition: undefined } }), "generated"),
            c("the grant, and a deny of requests over TLS (aws:SecureTransport true), which is how ELB delivers", logBucket({ deny: { Condition: { Bool: { "aws:SecureTransport": "true" } } } }), "generated"),
        ],
        good: [
            c("the region's ELB account, SSE-S3", logBucket()),
            c("the load balancer in an account other than the mocks' (its ARN known, as in an update), the grant for that account's logs", logBucket({ lbArn: "arn:aws:elasticloadbalancing:us-east-1:210987654321:loadbalancer/app/web/1", statements: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::127311923021:root" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/alb/AWSLogs/210987654321/*" }] })),
            c("a grant to Principal * (which s3-public-access-blocked refuses; the logs still arrive)", logBucket({ statements: [{ Effect: "Allow", Principal: "*", Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/alb/AWSLogs/123456789012/*" }] })),
            c("the log delivery service principal", logBucket({ statements: [{ Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/alb/AWSLogs/123456789012/*" }] })),
        ],
    },
    "waf-web-acl-rules": {
        bad: [
            c("default allow, no rules", webAcl([]), "waf"),
            c("a rate limit of two billion", webAcl([rateRule(2_000_000_000)]), "waf"),
            c("every rule in count mode", webAcl([{ ...rateRule(1000), action: { count: {} } }, managedGroup({ count: {} })]), "waf"),
            c("a managed group in count mode next to the rate rule", webAcl([rateRule(1000), managedGroup({ count: {} })]), "waf"),
            c("the rate rule as a separate WebAclRule, counting", (() => { const acl = webAcl([]); return [acl, res("aws:wafv2/webAclRule:WebAclRule", { ...rateRule(1000), action: { count: {} } }, { webAclArn: [acl] })]; })(), "waf"),
        ],
        good: [
            c("the program's rules", webAcl([rateRule(1000), managedGroup({ none: {} })])),
            c("a rate rule over a 60-second window, as a separate WebAclRule", (() => { const acl = webAcl([]); return [acl, res("aws:wafv2/webAclRule:WebAclRule", { ...rateRule(200), statement: { rateBasedStatement: { limit: 200, aggregateKeyType: "IP", evaluationWindowSec: 60 } } }, { webAclArn: [acl] })]; })()),
            c("rules in the API's JSON (ruleJson)", webAcl([], { ruleJson: JSON.stringify([{ Name: "rate", Priority: 0, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: "IP" } }, VisibilityConfig: {} }]) })),
        ],
    },
    "alarms-notify": {
        bad: [
            c("no actions", res("aws:cloudwatch/metricAlarm:MetricAlarm", {})),
            c("only alarm actions", res("aws:cloudwatch/metricAlarm:MetricAlarm", { alarmActions: ["arn:aws:sns:us-east-1:123456789012:t"] })),
            c("only OK actions", res("aws:cloudwatch/metricAlarm:MetricAlarm", { okActions: ["arn:aws:sns:us-east-1:123456789012:t"] })),
            c("actions disabled", alarm({ actionsEnabled: false }), "alarms"),
            c("a composite alarm with no actions", res("aws:cloudwatch/compositeAlarm:CompositeAlarm", { alarmName: "c", alarmRule: "ALARM(a-5xx)" }), "related type"),
        ],
        good: [c("alarm and OK actions", alarm()), c("two topics", alarm({ alarmActions: ["arn:aws:sns:us-east-1:123456789012:t", "arn:aws:sns:us-east-1:123456789012:u"] }))],
    },
    "alb-access-logs": {
        bad: [
            c("a prod ALB without access logs", lb()),
            c("access logs disabled", lb({ accessLogs: { bucket: "logs", enabled: false } })),
            c("an aws.alb load balancer without access logs", lb({}, "prod", "aws:alb/loadBalancer:LoadBalancer")),
        ],
        good: [c("access logs on", lb({ accessLogs: { bucket: "logs", enabled: true } })), c("a dev ALB without access logs", lb({}, "dev"))],
    },
    "alb-waf": {
        bad: [
            c("a prod ALB without a web ACL", lb()),
            c("an aws.alb load balancer in prod without a web ACL", lb({}, "prod", "aws:alb/loadBalancer:LoadBalancer")),
            c("a web ACL associated with another load balancer", (() => { const mine = lb(); const other = lb(); return [mine, other, webAclAssociation(other)]; })()),
            c("a prod ALB in a stack whose web ACL is associated by another ARN, of another load balancer of the stack", (() => { const other = lb({ arn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/other/2" }); return [lb({ arn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/mine/1" }), other, res("aws:wafv2/webAclAssociation:WebAclAssociation", { resourceArn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/other/2", webAclArn: "arn:aws:wafv2:us-east-1:1:regional/webacl/w/1" }, { resourceArn: [other] })]; })()),
        ],
        good: [
            c("a prod ALB with its web ACL", (() => { const b = lb(); return [b, webAclAssociation(b)]; })()),
            c("by ARN, values known", [lb({ arn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/mine/1" }), res("aws:wafv2/webAclAssociation:WebAclAssociation", { resourceArn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/mine/1", webAclArn: "arn:aws:wafv2:us-east-1:1:regional/webacl/w/1" })]),
            c("a dev ALB without a web ACL", lb({}, "dev")),
            c("an internal prod ALB", lb({ internal: true })),
            c("a prod network load balancer", lb({ loadBalancerType: "network" })),
        ],
    },
};
