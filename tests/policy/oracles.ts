/**
 * What the generated set (mutations.ts) expects of each policy:
 * - for IAM documents, the shared evaluator (policy/policies/iamEval.ts) asked the policy's
 *   question directly of the documents: who from outside can assume or use it (outsiderAllows),
 *   is TLS required (deniesPlainHttp), can ELB's log delivery write (allowsRequest), which
 *   principals a task's role trusts, and whether a wildcard is in effect (IAM's matching tried on
 *   probe actions and resources no named scope covers); and the evaluator itself held to
 *   concrete requests from outside (outsiderGetsIn);
 * - for security groups, which ports the internet reaches, probed port by port over the union
 *   of each group's rules;
 * - for every other guarded field, a table of rows: the value, and which policies must report.
 */
import { elbLogDeliveryAccounts } from "../../lib/policies";
import { allowsRequest, bindingKeys, Context, deniesPlainHttp, outsiderAllows, Request, unknownPart } from "../../policy/policies/iamEval";
import { ingressByGroup, Rule } from "../../policy/policies/securityGroups";
import { canonicalType, coversLargeShare, cidrWithin, globMatches, IamStatement, statements } from "../../policy/policies/util";
import { Input, policyResources, urnOf } from "./harness";
import { otherAccount, Row, RowContext } from "./mutations";

const ofType = (inputs: Input[], ...types: string[]) => inputs.filter((i) => types.includes(canonicalType(i.type)));
const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
/** Whether `from`'s property `prop` came from `to` (as the engine records it), or its `value` is `to`'s `toValue`. */
const linked = (from: Input, prop: string, to: Input, value?: unknown, toValue?: unknown) =>
    (from.propertyDependencies?.[prop] ?? []).includes(urnOf(to)) || (typeof value === "string" && value === toValue);
const parsed = (v: unknown): any => {
    if (typeof v !== "string") return v;
    try {
        return JSON.parse(v);
    } catch {
        return undefined;
    }
};

// ---------------------------------------------------------------------------------------------
// IAM: the evaluator asked each policy's question

const open = (document: unknown, anonymous: boolean) => outsiderAllows(statements(document), anonymous).length > 0;

/** Services whose resources have a type before the name, and those types (ARN formats of the Service Authorization Reference). */
const resourceTypes: Record<string, string[]> = {
    s3: [""],
    sns: [""],
    sqs: [""],
    iam: ["role/", "user/", "policy/", "instance-profile/"],
    ec2: ["instance/", "security-group/", "network-interface/", "subnet/", "volume/"],
    logs: ["log-group:"],
    secretsmanager: ["secret:"],
    ssm: ["parameter/"],
    kms: ["key/", "alias/"],
    ecr: ["repository/"],
    ecs: ["cluster/", "service/", "task/", "task-definition/"],
    elasticloadbalancing: ["loadbalancer/", "targetgroup/", "listener/"],
};

/** Resources of the kind `pattern` names that no scoped pattern covers: a name nobody wrote, in another account. */
function probeResources(pattern: string): string[] {
    const parts = pattern.split(":");
    if (parts.length < 6) return ["zzzprobe", "arn:aws:s3:::zzzprobe"];
    const [, , service, region, account] = parts;
    const services = /[*?]/.test(service) ? Object.keys(resourceTypes) : [service];
    const literal = (v: string, fallback: string) => (/[*?]/.test(v) ? fallback : v);
    return services.flatMap((svc) =>
        [literal(account, "123456789012"), ...(account === "" ? [] : [otherAccount])].flatMap((acct) =>
            (resourceTypes[svc] ?? [""]).flatMap((type) => [`arn:aws:${svc}:${literal(region, "us-east-1")}:${acct}:${type}zzzprobe`, `arn:aws:${svc}:${literal(region, "us-east-1")}:${acct}:${type}zzzprobe/zzz`]),
        ),
    );
}

/**
 * Whether an identity policy's Allow statement grants a wildcard in effect: NotAction or
 * NotResource; an action pattern matching an action of its service that nobody named; a resource
 * pattern matching a resource nobody named (unless every action takes no resource, or a
 * resource tag scopes the statement).
 */
function wildcardInEffect(s: IamStatement, unscopable: string[]): boolean {
    if (s.effect !== "Allow") return false;
    if (s.notActions.length > 0 || s.notResources.length > 0) return true;
    if (s.actions.some((a) => globMatches(a, `${/[*?]/.test(a.split(":")[0]) ? "zzz" : a.split(":")[0]}:ZzzProbeAction`))) return true;
    const scopable = s.actions.filter((a) => !unscopable.some((u) => u.toLowerCase() === a.toLowerCase()));
    const tagScoped = Object.entries(s.condition.StringEquals ?? {}).some(([k, v]) => /^[a-z0-9-]+:ResourceTag\/./i.test(k) && list(v).length > 0 && list(v).every((x) => typeof x === "string" && x !== "" && !/[*?]/.test(x)));
    return scopable.length > 0 && !tagScoped && s.resources.some((r) => probeResources(r).some((probe) => globMatches(r, probe, true)));
}

const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const ROLE = "aws:iam/role:Role";
const TD = "aws:ecs/taskDefinition:TaskDefinition";
const LB = "aws:lb/loadBalancer:LoadBalancer";

/** The statements of a bucket's policy (its BucketPolicy resources and its own). */
const bucketStatements = (inputs: Input[], bucket: Input) =>
    [...ofType(inputs, BUCKET_POLICY).filter((p) => linked(p, "bucket", bucket, p.props.bucket, bucket.props.bucket)), bucket].flatMap((r) => statements(r.props.policy));

/** By policy: whether it must report, judged by the evaluator on the IAM documents of the case. */
export const iamOracles: Record<string, (inputs: Input[], config: Record<string, any>) => boolean> = {
    "iam-role-trust": (inputs) => ofType(inputs, ROLE).some((r) => open(r.props.assumeRolePolicy, false)),
    "ecr-no-public-policy": (inputs) =>
        ofType(inputs, "aws:ecrpublic/repository:Repository").length > 0 ||
        [...ofType(inputs, "aws:ecr/repositoryPolicy:RepositoryPolicy", "aws:ecr/registryPolicy:RegistryPolicy").map((r) => r.props.policy), ...ofType(inputs, "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate").map((r) => r.props.repositoryPolicy)].some((d) => open(d, false)),
    "sns-kms-no-public-policy": (inputs) => ofType(inputs, "aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy", "aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy").some((r) => open(r.props.policy, false)),
    // S3 takes unsigned requests: the anonymous are outsiders too ("The meaning of public").
    "s3-public-access-blocked": (inputs) => ofType(inputs, BUCKET_POLICY, BUCKET).some((r) => open(r.props.policy, true)),
    "s3-tls-only": (inputs) => ofType(inputs, BUCKET).some((b) => !deniesPlainHttp(bucketStatements(inputs, b), typeof b.props.bucket === "string" ? `arn:aws:s3:::${b.props.bucket}` : undefined)),
    // ELB's log delivery writes over TLS as the region's ELB account, or as the log delivery service.
    "alb-access-log-bucket": (inputs) =>
        ofType(inputs, LB)
            .filter((lb) => lb.props.accessLogs?.enabled === true)
            .some((lb) =>
                ofType(inputs, BUCKET)
                    .filter((b) => linked(lb, "accessLogs", b, lb.props.accessLogs?.bucket, b.props.bucket))
                    .some((b) => {
                        // The object key is <prefix>/AWSLogs/<account>/elasticloadbalancing/<region>/...: the account and region are the load balancer's, any if its ARN is not there.
                        const arn = typeof lb.props.arn === "string" ? lb.props.arn.split(":") : [];
                        const key = [lb.props.accessLogs?.prefix, "AWSLogs", arn[4] ?? unknownPart, "elasticloadbalancing", arn[3] ?? unknownPart, "2026/12/03/x.log.gz"].filter((k) => k);
                        const request = { action: "s3:PutObject", resource: `arn:aws:s3:::${lb.props.accessLogs.bucket ?? b.props.bucket}/${key.join("/")}`, context: { "aws:securetransport": { kind: "values" as const, values: ["true"] } } };
                        const all = bucketStatements(inputs, b);
                        return !allowsRequest(all, { ...request, account: elbLogDeliveryAccounts["us-east-1"] }) && !allowsRequest(all, { ...request, service: "logdelivery.elasticloadbalancing.amazonaws.com" });
                    }),
            ),
    // Only ECS tasks may assume a task definition's roles: any other principal an Allow names is reported.
    "iam-task-role-trust": (inputs) =>
        ofType(inputs, TD).some((td) =>
            ofType(inputs, ROLE)
                .filter((role) => ["taskRoleArn", "executionRoleArn"].some((prop) => linked(td, prop, role, td.props[prop], role.props.arn)))
                .some((role) =>
                    list(parsed(role.props.assumeRolePolicy)?.Statement)
                        .filter((s: any) => s?.Effect === "Allow")
                        .some((s: any) => s.NotPrincipal !== undefined || s.Principal === "*" || Object.entries(s.Principal ?? {}).some(([kind, v]) => kind !== "Service" || list(v).some((x) => x !== "ecs-tasks.amazonaws.com"))),
                ),
        ),
    "iam-no-wildcards": (inputs, config) =>
        [
            ...ofType(inputs, "aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy").map((r) => r.props.policy),
            ...ofType(inputs, ROLE).flatMap((r) => list(r.props.inlinePolicies).map((p: any) => p?.policy)),
        ].some((d) => statements(d).some((s) => wildcardInEffect(s, config.unscopableActions))),
};

// ---------------------------------------------------------------------------------------------
// The evaluator held to concrete requests

/** The documents a resource carries that answer "who from outside can use this", and whether unsigned requests count (S3). */
export function outsiderDocuments(input: Input): { document: unknown; anonymous: boolean }[] {
    const type = canonicalType(input.type);
    if (type === ROLE) return [{ document: input.props.assumeRolePolicy, anonymous: false }];
    if (type === "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate") return [{ document: input.props.repositoryPolicy, anonymous: false }];
    const carriers = [BUCKET_POLICY, BUCKET, "aws:ecr/repositoryPolicy:RepositoryPolicy", "aws:ecr/registryPolicy:RegistryPolicy", "aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy", "aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy"];
    return carriers.includes(type) && input.props.policy !== undefined ? [{ document: input.props.policy, anonymous: type === BUCKET_POLICY || type === BUCKET }] : [];
}

const outsider = "888877776666";
/** A value a pattern matches: each wildcard filled. */
const filled = (v: string) => v.replace(/[*?]/g, "x");
/** What the outsider is, for the keys that say who or where a request comes from (the IAM global condition context keys). */
const outsiderValues: Record<string, string[]> = {
    "aws:principalaccount": [outsider],
    "aws:principalarn": [`arn:aws:iam::${outsider}:role/outsider`],
    "aws:userid": ["AROAOUTSIDER:me"],
    "aws:principalorgid": ["o-outsider"],
    "aws:principalorgpaths": ["o-outsider/r-ab12/ou-ab12-outsider/"],
    "aws:sourceaccount": [outsider],
    "aws:sourceowner": [outsider],
    "aws:sourcearn": [`arn:aws:s3:::outsider-bucket`, `arn:aws:sns:us-east-1:${outsider}:outsider`],
    "aws:sourceorgid": ["o-outsider"],
    "aws:sourceorgpaths": ["o-outsider/r-ab12/ou-ab12-outsider/"],
    "aws:sourcevpc": ["vpc-outsider"],
    "aws:sourcevpce": ["vpce-outsider"],
    "aws:principalservicename": ["outsider.example.com"],
};
const principalKeys = ["aws:principalaccount", "aws:principalarn", "aws:userid", "aws:principalorgid", "aws:principalorgpaths"];

/**
 * The values an outsider's request may carry for `key`, given the values the policy names for it:
 * for a key that says who or where the request comes from, the outsider's own, or a value a
 * named pattern matches with a wildcard where the account, organization or name goes; for any
 * other key (the caller's to set), every value named, others, or none; an address outside every
 * small block the policy names. Undefined stands for the key missing.
 */
function valuesFor(key: string, named: string[], anonymous: boolean): (string | undefined)[] {
    const k = key.toLowerCase();
    const missing = anonymous || !(bindingKeys[k]?.alwaysPresent ?? false) ? [undefined] : [];
    if (anonymous && principalKeys.includes(k)) return [undefined];
    if (k === "aws:sourceip") {
        const small = named.filter((c) => !coversLargeShare([c]));
        return [...["198.51.100.7", "3.3.3.3", "130.1.2.3", "2001:db8::7"].filter((a) => !small.some((c) => cidrWithin(a, c))), ...missing];
    }
    if (bindingKeys[k] !== undefined) {
        // A named pattern the outsider can match: a wildcard where its account goes (an ARN; a bucket's name, which has none), or in the first segment (user id, organization path, a repository's owner), or anywhere in an id.
        const wild = named.flatMap((v): string[] => {
            const parts = v.split(":");
            if (parts.length >= 6) return /[*?]/.test(parts[4]) ? [filled([...parts.slice(0, 4), outsider, ...parts.slice(5)].join(":"))] : parts[4] === "" && /[*?]/.test(parts.slice(5).join(":")) ? [filled(v)] : [];
            const first = /[:/]/.test(v) ? v.split(/[:/]/)[0] : v;
            return /[*?]/.test(first) ? [filled(v)] : [];
        });
        return [...(outsiderValues[k] ?? []), ...wild, ...missing];
    }
    return [...new Set([...named.map(filled), "true", "false", "zzz-other"]), undefined];
}

/**
 * A request from outside that the statements allow, judged clause by clause (allowsRequest), if
 * one of those tried gets in: from another account (or unsigned, if `anonymous`), each action
 * and resource an Allow names, each combination of values of the keys the policy names (at most
 * `limit` combinations, in a fixed order).
 */
export function outsiderGetsIn(list: IamStatement[], anonymous: boolean, limit = 256): Request | undefined {
    const named = new Map<string, string[]>();
    for (const s of list) {
        for (const byKey of Object.values(s.condition ?? {})) {
            for (const [key, v] of Object.entries(byKey ?? {})) named.set(key.toLowerCase(), [...(named.get(key.toLowerCase()) ?? []), ...[v].flat().map(String)]);
        }
    }
    let contexts: Record<string, string | undefined>[] = [{}];
    for (const [key, values] of named) contexts = contexts.flatMap((c) => valuesFor(key, values, anonymous).map((v) => ({ ...c, [key]: v }))).slice(0, limit);
    const allows = list.filter((s) => s.effect === "Allow");
    const actions = [...new Set(allows.flatMap((s) => (s.notActions.length > 0 ? ["zzz:ZzzAction"] : s.actions.map(filled))))];
    const resources = [...new Set(allows.flatMap((s) => (s.resources.length > 0 ? s.resources.map(filled) : ["arn:aws:s3:::zzz-other/x"])))];
    for (const context of contexts) {
        const states: Context = Object.fromEntries(Object.entries(context).map(([k, v]) => [k, v === undefined ? { kind: "absent" } : { kind: "values", values: [v] }]));
        for (const action of actions) {
            for (const resource of resources) {
                const request: Request = { account: anonymous ? undefined : outsider, action, resource, context: states };
                if (allowsRequest(list, request)) return request;
            }
        }
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------
// Security groups: which ports the internet reaches

const protocolName = (p: string) => ({ "6": "tcp", "17": "udp", "1": "icmp" })[p] ?? p.toLowerCase();
// Ports as the pack's rule form gives them: for ICMP the type, every port for a protocol that has none.
const admits = (r: Rule, protocol: string, port: number) => r.protocol === "-1" || (protocolName(r.protocol) === protocol && r.fromPort <= port && port <= r.toPort);

/**
 * sg-no-world-ingress, by reachability: for each group, each protocol and each port at a
 * boundary of its rules, the union of the sources that reach it; the internet (or a large share
 * of it) reaching anything but TCP on a listener port of a load balancer's group is reported.
 */
export function worldIngress(inputs: Input[], config: Record<string, any>): boolean {
    const { publicPorts, allowedIngressCidrs } = config as { publicPorts: number[]; allowedIngressCidrs: string[] };
    return ingressByGroup(policyResources(inputs)).some(({ rules, publicPortsAllowed }) => {
        const all = rules.map((r) => r.rule);
        const ports = [...new Set([0, 65535, ...publicPorts, ...all.flatMap((r) => [r.fromPort - 1, r.fromPort, r.toPort, r.toPort + 1])])].filter((p) => p >= 0 && p <= 65535);
        const reached = [...new Set(["tcp", "udp", "icmp", ...all.map((r) => protocolName(r.protocol))])].some((protocol) =>
            ports.some((port) => coversLargeShare(all.filter((r) => admits(r, protocol, port)).flatMap((r) => r.cidrs)) && !(publicPortsAllowed && protocol === "tcp" && publicPorts.includes(port))),
        );
        const outside = allowedIngressCidrs.length > 0 && all.some((r) => !coversLargeShare(r.cidrs) && r.cidrs.some((c) => !allowedIngressCidrs.some((a) => cidrWithin(c, a))));
        return reached || outside;
    });
}

// ---------------------------------------------------------------------------------------------
// Every other guarded field

const SERVICE = "aws:ecs/service:Service";
const LISTENER = "aws:lb/listener:Listener";
const LISTENER_RULE = "aws:lb/listenerRule:ListenerRule";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const INSTANCE_TYPES = [LAUNCH_TEMPLATE, "aws:ec2/instance:Instance", "aws:ec2/launchConfiguration:LaunchConfiguration"];
const ACL = "aws:wafv2/webAcl:WebAcl";
const ACL_RULE = "aws:wafv2/webAclRule:WebAclRule";
const REPOSITORY = "aws:ecr/repository:Repository";
const TEMPLATE = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate";
const ATTACHMENTS = ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"];

const when = (condition: (x: RowContext) => boolean, policy: string) => (x: RowContext) => (condition(x) ? [policy] : []);
const isProtected = (policy: string) => (x: RowContext) => (x.config(policy).protectedStacks as string[]).includes(x.stack);
const application = (x: RowContext) => (x.input.props.loadBalancerType ?? "application") === "application";
const httpsListener = (x: RowContext) => ["HTTPS", "TLS"].includes(x.input.props.protocol);
/** Whether an HTTP listener belongs to a load balancer that also serves HTTPS. */
const httpNextToHttps = (listener: Input, inputs: Input[]) =>
    listener.props.protocol === "HTTP" &&
    ofType(inputs, LB).some((lb) => linked(listener, "loadBalancerArn", lb) && ofType(inputs, LISTENER).some((l) => l.props.protocol === "HTTPS" && linked(l, "loadBalancerArn", lb)));
const fargate = (props: Record<string, any>) => props.launchType === "FARGATE" || list(props.capacityProviderStrategies).some((s: any) => String(s?.capacityProvider).startsWith("FARGATE"));
const deployedByEcs = (props: Record<string, any>) => (props.deploymentController?.type ?? "ECS") === "ECS";
/** Whether a service rolls back on alarm `a` (by dependency or by name). */
const rolledBackOn = (a: Input, inputs: Input[]) => ofType(inputs, SERVICE).some((s) => linked(s, "alarms", a) || list(s.props.alarms?.alarmNames).includes(a.props.name));
/** Whether a launch template launches the NAT instance: its group is that of an interface with the source/destination check off that a route targets. */
const launchesNat = (template: Input, inputs: Input[]) =>
    ofType(inputs, "aws:ec2/networkInterface:NetworkInterface").some(
        (eni) =>
            eni.props.sourceDestCheck === false &&
            (template.propertyDependencies?.networkInterfaces ?? []).some((g) => (eni.propertyDependencies?.securityGroups ?? []).includes(g)) &&
            ofType(inputs, "aws:ec2/route:Route").some((r) => linked(r, "networkInterfaceId", eni)),
    );
const publicIp = (props: Record<string, any>) => [props.associatePublicIpAddress, ...list(props.networkInterfaces).map((n: any) => n?.associatePublicIpAddress)].some((v) => v === true || v === "true");
/** Whether a web ACL keeps a blocking rate-based rule within the limit, in any of its rule shapes. */
function rateLimited(acl: Input, inputs: Input[], max: number): boolean {
    const rules = [...list(acl.props.rules), ...list(parsed(acl.props.ruleJson)), ...ofType(inputs, ACL_RULE).filter((r) => linked(r, "webAclArn", acl)).map((r) => r.props)];
    const get = (o: any, key: string) => (o && typeof o === "object" ? o[Object.keys(o).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key] : undefined);
    return rules.some((r) => {
        const rate = get(get(r, "statement"), "rateBasedStatement");
        return rate !== undefined && Object.keys(get(r, "action") ?? {}).some((k) => k.toLowerCase() === "block") && (Number(get(rate, "limit")) * 300) / Number(get(rate, "evaluationWindowSec") ?? 300) <= max;
    });
}
/** Whether a bucket is where a load balancer of the case writes access logs. */
const logBucket = (bucket: Input | undefined, inputs: Input[]) => bucket !== undefined && ofType(inputs, LB).some((lb) => lb.props.accessLogs?.enabled === true && linked(lb, "accessLogs", bucket, lb.props.accessLogs?.bucket, bucket.props.bucket));
const bucketOf = (x: RowContext) => ofType(x.inputs, BUCKET).find((b) => linked(x.input, "bucket", b, x.input.props.bucket, b.props.bucket));

const ECS_PRIVILEGED = "ecs-no-privileged-containers";
const READONLY = "ecs-readonly-nonroot";
const LOGGING = "ecs-container-logging";
const SECRETS = "ecs-no-plain-secrets";
const container = (path: string, value: unknown, reports: Row["reports"], label?: string): Row => ({ types: [TD], container: true, path, value, reports, label });
const withEnv = (name: string, value: string) => (env: unknown) => [...list(env), { name, value }];

/** The field table: each row a field of a resource type, the value it takes, and which policies must then report (the others keep silent). */
export const fieldRows: Row[] = [
    // ECS containers and task definitions
    container("privileged", true, [ECS_PRIVILEGED]),
    container("linuxParameters.capabilities.add", ["SYS_ADMIN"], [ECS_PRIVILEGED]),
    container("linuxParameters.capabilities.add", ["NET_BIND_SERVICE"], []),
    container("linuxParameters.devices", [{ hostPath: "/dev/kvm" }], [ECS_PRIVILEGED]),
    container("readonlyRootFilesystem", false, when((x) => !(x.config(READONLY).execStacks as string[]).includes(x.stack), READONLY)),
    container("user", "0", [READONLY]),
    container("user", "root:root", [READONLY]),
    container("user", undefined, [READONLY]),
    container("user", "10001:10001", []),
    container("logConfiguration.logDriver", "json-file", [LOGGING]),
    container("logConfiguration.logDriver", "splunk", [LOGGING]),
    container("logConfiguration", undefined, [LOGGING]),
    container("environment", withEnv("DB_PASSWORD", "hunter2"), [SECRETS], "+ DB_PASSWORD=hunter2"),
    container("environment", withEnv("AWS_ID", "AKIAIOSFODNN7EXAMPLE"), [SECRETS], "+ AWS_ID=AKIA…"),
    container("environment", withEnv("LOG_FORMAT", "json"), [], "+ LOG_FORMAT=json"),
    container("command", ["gunicorn", "--db-password=hunter2"], [SECRETS]),
    ...["networkMode", "pidMode", "ipcMode"].map((path): Row => ({ types: [TD], path, value: "host", create: true, reports: [ECS_PRIVILEGED] })),
    { types: [TD], path: "volumes", value: (v: unknown) => [...list(v), { name: "etc", hostPath: "/etc" }], label: "+ a host-path volume", create: true, reports: [ECS_PRIVILEGED] },
    { types: [TD], path: "volumes", value: (v: unknown) => [...list(v), { name: "scratch" }], label: "+ a task volume", create: true, reports: [] },
    { types: [TD], path: "taskRoleArn", value: "arn:aws:iam::1:role/exec", create: true, reports: when((x) => x.input.props.taskRoleArn === x.input.props.executionRoleArn, "ecs-separate-roles") },
    // Services and clusters
    { types: [SERVICE, "aws:ecs/taskSet:TaskSet"], path: "networkConfiguration.assignPublicIp", value: true, create: true, reports: ["ecs-service-no-public-ip"] },
    { types: [SERVICE], path: "platformVersion", value: "1.4.0", reports: when((x) => fargate(x.input.props), "ecs-fargate-platform-latest"), create: true },
    { types: [SERVICE], path: "platformVersion", value: "LATEST", reports: [], create: true },
    { types: [SERVICE], path: "deploymentCircuitBreaker.rollback", value: false, reports: when((x) => deployedByEcs(x.input.props), "service-deployment-safety") },
    { types: [SERVICE], path: "deploymentConfiguration.bakeTimeInMinutes", value: "0", reports: when((x) => deployedByEcs(x.input.props) && ["BLUE_GREEN", "LINEAR", "CANARY"].includes(x.input.props.deploymentConfiguration?.strategy), "service-deployment-safety") },
    { types: [SERVICE], path: "alarms.rollback", value: false, reports: when((x) => list(x.input.props.loadBalancers).length > 0, "service-rollback-alarms") },
    { types: [SERVICE], path: "alarms.enable", value: false, reports: when((x) => list(x.input.props.loadBalancers).length > 0, "service-rollback-alarms") },
    { types: ["aws:ecs/cluster:Cluster"], path: "settings", value: [{ name: "containerInsights", value: "disabled" }], create: true, reports: ["ecs-container-insights"] },
    // Load balancers and listeners
    { types: [LB], path: "dropInvalidHeaderFields", value: false, create: true, reports: when(application, "alb-drop-invalid-headers") },
    { types: [LB], path: "enableDeletionProtection", value: false, create: true, reports: when(isProtected("alb-deletion-protection"), "alb-deletion-protection") },
    { types: [LB], path: "accessLogs.enabled", value: false, reports: when((x) => isProtected("alb-access-logs")(x) && application(x), "alb-access-logs") },
    { types: [LISTENER], path: "sslPolicy", value: "ELBSecurityPolicy-2016-08", create: true, reports: when(httpsListener, "alb-https-tls13") },
    { types: [LISTENER], path: "sslPolicy", value: "ELBSecurityPolicy-TLS13-1-0-2021-06", create: true, reports: when(httpsListener, "alb-https-tls13") },
    { types: [LISTENER], path: "sslPolicy", value: "ELBSecurityPolicy-TLS13-1-3-2021-06", create: true, reports: [] },
    { types: [LISTENER], path: "sslPolicy", value: undefined, reports: when(httpsListener, "alb-https-tls13") },
    { types: [LISTENER], path: "defaultActions.*.redirect.protocol", value: "HTTP", reports: when((x) => httpNextToHttps(x.input, x.inputs), "alb-http-redirects-to-https") },
    {
        types: [LISTENER_RULE],
        path: "actions.*.redirect.protocol",
        value: "HTTP",
        reports: when((x) => ofType(x.inputs, LISTENER).some((l) => linked(x.input, "listenerArn", l) && httpNextToHttps(l, x.inputs)), "alb-http-redirects-to-https"),
    },
    {
        types: ["aws:wafv2/webAclAssociation:WebAclAssociation"],
        path: "resourceArn",
        value: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/someone-else/9",
        reports: when(
            (x) =>
                ofType(x.inputs, LB).some(
                    (lb) =>
                        isProtected("alb-waf")({ ...x, stack: lb.stack ?? "test" }) &&
                        (lb.props.loadBalancerType ?? "application") === "application" &&
                        lb.props.internal !== true &&
                        !ofType(x.inputs, "aws:wafv2/webAclAssociation:WebAclAssociation").some((a) => linked(a, "resourceArn", lb, a.props.resourceArn, lb.props.arn)),
                ),
            "alb-waf",
        ),
    },
    // ECR
    { types: [REPOSITORY], path: "imageScanningConfiguration.scanOnPush", value: false, create: true, reports: ["ecr-scan-on-push"] },
    { types: [REPOSITORY, TEMPLATE], path: "imageTagMutability", value: "MUTABLE", create: true, reports: ["ecr-immutable-tags"] },
    { types: [REPOSITORY, TEMPLATE], path: "imageTagMutabilityExclusionFilters.*.filter", value: "*", reports: when((x) => x.input.props.imageTagMutability === "IMMUTABLE_WITH_EXCLUSION", "ecr-immutable-tags") },
    // SNS
    { types: ["aws:sns/topic:Topic"], path: "kmsMasterKeyId", value: "", create: true, reports: ["sns-topic-encrypted"] },
    { types: ["aws:sns/topic:Topic"], path: "kmsMasterKeyId", value: undefined, reports: ["sns-topic-encrypted"] },
    // IAM attachments
    { types: ATTACHMENTS, path: "policyArn", value: "arn:aws:iam::aws:policy/AdministratorAccess", reports: ["iam-no-wildcards"] },
    { types: ATTACHMENTS, path: "policyArn", value: "arn:aws:iam::123456789012:policy/AdministratorAccess", reports: [] },
    { types: [ROLE], path: "managedPolicyArns", value: (v: unknown) => [...list(v), "arn:aws:iam::aws:policy/AmazonS3FullAccess"], label: "+ AmazonS3FullAccess", create: true, reports: ["iam-no-wildcards"] },
    // WAF
    { types: [ACL], path: "rules.*.action", value: { count: {} }, reports: ["waf-web-acl-rules"] },
    { types: [ACL], path: "rules.*.overrideAction", value: { count: {} }, reports: ["waf-web-acl-rules"] },
    { types: [ACL], path: "rules.*.statement.rateBasedStatement.limit", value: 2_000_000_000, reports: when((x) => !rateLimited(x.input, x.inputs, x.config("waf-web-acl-rules").maxRateLimit), "waf-web-acl-rules") },
    { types: [ACL_RULE], path: "action", value: { count: {} }, reports: ["waf-web-acl-rules"] },
    {
        types: [ACL_RULE],
        path: "statement.rateBasedStatement.limit",
        value: 2_000_000_000,
        reports: when((x) => ofType(x.inputs, ACL).some((acl) => linked(x.input, "webAclArn", acl) && !rateLimited(acl, x.inputs, x.config("waf-web-acl-rules").maxRateLimit)), "waf-web-acl-rules"),
    },
    // EC2
    { types: INSTANCE_TYPES, path: "metadataOptions.httpTokens", value: "optional", create: true, reports: when((x) => x.input.props.metadataOptions?.httpEndpoint !== "disabled", "ec2-imdsv2") },
    { types: INSTANCE_TYPES, path: "metadataOptions", value: undefined, reports: ["ec2-imdsv2"] },
    { types: [LAUNCH_TEMPLATE], path: "networkInterfaces.*.associatePublicIpAddress", value: "true", reports: when((x) => !launchesNat(x.input, x.inputs), "ec2-no-public-ip") },
    { types: [LAUNCH_TEMPLATE], path: "networkInterfaces.*.associatePublicIpAddress", value: "false", reports: [] },
    {
        types: ["aws:ec2/networkInterface:NetworkInterface"],
        path: "sourceDestCheck",
        value: true,
        reports: when((x) => ofType(x.inputs, LAUNCH_TEMPLATE).some((t) => publicIp(t.props) && !launchesNat(t, x.inputs)), "ec2-no-public-ip"),
    },
    // Alarms and logs
    { types: [ALARM], path: "treatMissingData", value: "ignore", create: true, reports: ["alarms-missing-data"] },
    { types: [ALARM], path: "treatMissingData", value: "breaching", create: true, reports: when((x) => rolledBackOn(x.input, x.inputs), "alarms-missing-data") },
    { types: [ALARM], path: "treatMissingData", value: "notBreaching", create: true, reports: [] },
    { types: [ALARM, COMPOSITE], path: "actionsEnabled", value: false, create: true, reports: ["alarms-notify"] },
    { types: [ALARM, COMPOSITE], path: "okActions", value: [], reports: ["alarms-notify"] },
    { types: ["aws:cloudwatch/logGroup:LogGroup"], path: "retentionInDays", value: 3, create: true, reports: when((x) => 3 < x.config("logs-retention").minimumRetentionDays, "logs-retention") },
    { types: ["aws:cloudwatch/logGroup:LogGroup"], path: "retentionInDays", value: 0, create: true, reports: [] },
    { types: ["aws:cloudwatch/logGroup:LogGroup"], path: "retentionInDays", value: undefined, reports: ["logs-retention"] },
    // S3
    ...["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].map((path): Row => ({ types: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"], path, value: false, reports: ["s3-public-access-blocked"] })),
    { types: ["aws:s3/bucketAcl:BucketAcl"], path: "acl", value: "public-read", reports: ["s3-public-access-blocked"] },
    { types: ["aws:s3/bucketAcl:BucketAcl"], path: "acl", value: "log-delivery-write", reports: [] },
    {
        types: ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"],
        path: "rules.*.applyServerSideEncryptionByDefault.sseAlgorithm",
        value: "aws:kms",
        reports: when((x) => logBucket(bucketOf(x), x.inputs), "alb-access-log-bucket"),
    },
    {
        types: ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"],
        path: "rules.*.applyServerSideEncryptionByDefault.sseAlgorithm",
        value: "AES256",
        reports: [],
    },
    { types: ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"], path: "rules", value: [], reports: ["s3-encryption"] },
];
