import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { blueGreenPolicy, serviceTrustPolicy } from "../lib/policies";
import { healthCheckTimeout, TargetGroupTimings, unhealthyThreshold } from "../lib/rollout";
import { MetricQuery, requestsPerTargetQueries } from "../lib/scaling";
import { stackScope } from "../lib/stackNames";
import { DomainConfig } from "../lib/types";

/** TLS policy of the HTTPS listener: TLS 1.3, with TLS 1.2 for older clients (AWS's recommended default). */
export const tlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * The header that sends a request to the new (green) tasks during a blue/green deployment, before
 * production traffic shifts to them: `curl -H "X-Test-Traffic: green" <url>`.
 */
export const testTrafficHeader = { name: "X-Test-Traffic", value: "green" };

/** What ECS needs to route a service's production between its two target groups (a service's loadBalancers[].advancedConfiguration). */
export interface BlueGreenConfiguration {
    /** The green target group. */
    alternateTargetGroupArn: string;
    /** The rule that carries production traffic. */
    productionListenerRule: string;
    /** The rule that carries test traffic (requests with the test header). */
    testListenerRule: string;
    /** The role ECS assumes to shift traffic between the two target groups. */
    roleArn: string;
}

/** The app server's keep-alive for a load balancer idle timeout: longer, so the ALB closes idle connections first. */
export function backendKeepAlive(idleTimeout: number): number {
    return idleTimeout + 15;
}

/** The target group timings of a route when its caller gives none. */
export const defaultTimings: TargetGroupTimings = { healthCheckInterval: 10, healthyThreshold: 2, deregistrationDelay: 30 };

/** Highest route priority: each route takes two listener rule priorities (ALB's are 1 to 50000). */
export const maxRoutePriority = 25000;

/**
 * What a service behind the load balancer needs from its route (LoadBalancer.addRoute): a narrow
 * interface, so a caller can hand a service a route of its own making.
 */
export interface ServiceRoute {
    /** Port the targets listen on. */
    port: number;
    /** The blue target group's ARN: the service's loadBalancers[].targetGroupArn. */
    targetGroupArn: pulumi.Output<string>;
    /** ECS's routing between the blue and green groups (loadBalancers[].advancedConfiguration); ready once its role may act. */
    blueGreen: pulumi.Output<BlueGreenConfiguration>;
    /** The load balancer's ARN suffix, its CloudWatch dimension. */
    loadBalancerArnSuffix: pulumi.Output<string>;
    /** ARN suffixes of the route's target groups (blue, then green), their CloudWatch dimensions. */
    targetGroupArnSuffixes: pulumi.Output<string>[];
    /** Requests per task over both groups, for target tracking (lib/scaling.ts). */
    requestMetricQueries: pulumi.Output<MetricQuery[]>;
    /** The target group's health check and draining timings, which bound a deployment. */
    timings: TargetGroupTimings;
    /** The load balancer's security group: the targets admit it on the port. */
    loadBalancerSecurityGroupId: pulumi.Output<string>;
    /**
     * Lets the load balancer reach targets in `securityGroupId` on the route's port (a rule of the
     * load balancer's own group, declared by the load balancer). Call it once per route.
     */
    admit(securityGroupId: pulumi.Input<string>): void;
}

/** Where a route sends requests. */
export interface RouteArgs {
    /**
     * Port the targets listen on.
     */
    port: number;
    /**
     * Health check path of the targets.
     * @default "/"
     */
    healthCheckPath?: string;
    /**
     * Path patterns the route matches (ALB path-pattern conditions).
     * @default ["/*"] (every path; with hostHeaders, none)
     */
    pathPatterns?: string[];
    /**
     * Host headers the route matches (ALB host-header conditions).
     * @default undefined (any host)
     */
    hostHeaders?: string[];
    /**
     * Order among the routes, lower first (1 to 25000): a route's test rule takes priority 2p - 1 and
     * its production rule 2p. A catch-all route (`/*`) must come after the others.
     * @default 1
     */
    priority?: number;
    /**
     * Health check and draining timings of the route's target groups.
     * @default { healthCheckInterval: 10, healthyThreshold: 2, deregistrationDelay: 30 }
     */
    timings?: TargetGroupTimings;
}

export interface LoadBalancerArgs {
    /**
     * VPC of the load balancer and its targets.
     */
    vpcId: pulumi.Input<string>;
    /**
     * Public subnets, in at least two availability zones.
     */
    publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * CIDR blocks allowed to reach the listeners.
     * @default ["0.0.0.0/0"]
     */
    ingressCidrs?: string[];
    /**
     * Idle connection timeout, seconds (1-4000).
     * @default 60
     */
    idleTimeout?: number;
    /**
     * Bucket for access logs (ELB must be allowed to write to it).
     * @default undefined (no access logs)
     */
    accessLogsBucket?: pulumi.Input<string>;
    /**
     * Serve HTTPS on this domain with a DNS-validated certificate, and redirect HTTP to it.
     * @default undefined (HTTP on the load balancer's own name)
     */
    domain?: DomainConfig;
    /**
     * Refuse to delete the load balancer until this is turned off.
     * @default true
     */
    deletionProtection?: boolean;
    /**
     * A route (`name` and its arguments, as addRoute takes them) that the listener's default action
     * forwards to as well, for what no rule matches: the catch-all service's.
     * @default undefined (what no route matches gets a JSON 404)
     */
    defaultRoute?: RouteArgs & { name: string };
}

/**
 * An internet-facing Application Load Balancer with its security group and listeners (HTTP, or
 * with a domain HTTPS on a validated certificate and HTTP redirecting to it). Each service gets its
 * own route (`addRoute`): a blue and a green target group, a production and a test listener rule
 * matching its paths or hosts, and the role ECS assumes to move production between the groups.
 * A request no route matches gets 404.
 */
export class LoadBalancer extends pulumi.ComponentResource {
    /** The load balancer. */
    public readonly loadBalancer: aws.lb.LoadBalancer;
    /** Its security group (the targets admit only it). */
    public readonly securityGroup: aws.ec2.SecurityGroup;
    /** The listener the routes' rules are on: HTTPS with a domain, else HTTP. */
    public readonly listener: aws.lb.Listener;
    /** The load balancer's security group id. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The ALB's ARN (a WAF web ACL is associated with it). */
    public readonly arn: pulumi.Output<string>;
    /** The ALB's ARN suffix, its CloudWatch dimension. */
    public readonly arnSuffix: pulumi.Output<string>;
    /** Where the routes are served. */
    public readonly url: pulumi.Output<string>;
    /** The default route, when the load balancer has one. */
    public readonly defaultRoute?: ServiceRoute;

    private readonly vpcId: pulumi.Input<string>;
    private readonly priorities = new Map<number, string>();

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:lb:LoadBalancer", name, {}, opts);
        const idleTimeout = args.idleTimeout ?? 60;
        if (!Number.isInteger(idleTimeout) || idleTimeout < 1 || idleTimeout > 4000) {
            throw new pulumi.ResourceError(`LoadBalancer ${name}: idleTimeout ${idleTimeout} must be 1-4000 seconds`, this);
        }
        const cidrs = args.ingressCidrs ?? ["0.0.0.0/0"];
        if (cidrs.length === 0 || cidrs.some((c) => !/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(c))) {
            throw new pulumi.ResourceError(`LoadBalancer ${name}: ingressCidrs must be one or more CIDR blocks, got ${JSON.stringify(cidrs)}`, this);
        }
        this.vpcId = args.vpcId;
        const listenerPorts = args.domain ? [80, 443] : [80];

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: "Load balancer: listeners open to the allowed CIDRs, forwards only to the tasks" },
            { parent: this },
        );
        for (const port of listenerPorts) {
            for (const [i, cidr] of cidrs.entries()) {
                new aws.vpc.SecurityGroupIngressRule(
                    `${name}-in-${port}-${i}`,
                    {
                        securityGroupId: this.securityGroup.id,
                        description: `${port === 443 ? "HTTPS" : "HTTP"} from ${cidr}`,
                        ipProtocol: "tcp",
                        fromPort: port,
                        toPort: port,
                        ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
                    },
                    { parent: this },
                );
            }
        }

        this.loadBalancer = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                loadBalancerType: "application",
                internal: false,
                securityGroups: [this.securityGroup.id],
                subnets: args.publicSubnetIds,
                dropInvalidHeaderFields: true,
                enableDeletionProtection: args.deletionProtection ?? true,
                idleTimeout,
                accessLogs: args.accessLogsBucket ? { bucket: args.accessLogsBucket, prefix: accessLogsPrefix(), enabled: true } : undefined,
            },
            { parent: this },
        );
        const alb = this.loadBalancer;

        // What no rule matches: the default route's blue group (never reached while its catch-all
        // rule exists, but the listener forwards there from its creation on, before any rule),
        // else a JSON 404, as the app's own errors are.
        const defaultRoute = args.defaultRoute && this.checkRoute(args.defaultRoute.name, args.defaultRoute);
        const defaultGroups = args.defaultRoute && defaultRoute && this.routeGroups(args.defaultRoute.name, args.defaultRoute, defaultRoute.timings);
        const noRoute = defaultGroups
            ? [{ type: "forward", targetGroupArn: defaultGroups[0].arn }]
            : [{ type: "fixed-response", fixedResponse: { contentType: "application/json", messageBody: '{"error": "no such route"}', statusCode: "404" } }];
        if (args.domain) {
            const { domainName, hostedZoneId } = args.domain;
            const certificate = new aws.acm.Certificate(`${name}-cert`, { domainName, validationMethod: "DNS" }, { parent: this });
            const option = certificate.domainValidationOptions[0];
            const validationRecord = new aws.route53.Record(
                `${name}-cert-validation`,
                { zoneId: hostedZoneId, name: option.resourceRecordName, type: option.resourceRecordType, records: [option.resourceRecordValue], ttl: 60, allowOverwrite: true },
                { parent: this },
            );
            // Waits until ACM has issued the certificate, so the listener never points at a pending one.
            const validation = new aws.acm.CertificateValidation(
                `${name}-cert-issued`,
                { certificateArn: certificate.arn, validationRecordFqdns: [validationRecord.fqdn] },
                { parent: this },
            );
            this.listener = new aws.lb.Listener(
                `${name}-https`,
                { loadBalancerArn: alb.arn, port: 443, protocol: "HTTPS", sslPolicy: tlsPolicy, certificateArn: validation.certificateArn, defaultActions: noRoute },
                { parent: this },
            );
            new aws.lb.Listener(
                `${name}-http`,
                { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] },
                { parent: this },
            );
            new aws.route53.Record(
                `${name}-alias`,
                { zoneId: hostedZoneId, name: domainName, type: "A", aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }] },
                { parent: this },
            );
            this.url = pulumi.output(`https://${domainName}`);
        } else {
            this.listener = new aws.lb.Listener(`${name}-http`, { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: noRoute }, { parent: this });
            this.url = pulumi.interpolate`http://${alb.dnsName}`;
        }

        this.securityGroupId = this.securityGroup.id;
        this.arn = alb.arn;
        this.arnSuffix = alb.arnSuffix;
        if (args.defaultRoute && defaultRoute && defaultGroups) {
            this.defaultRoute = this.routeRules(args.defaultRoute.name, args.defaultRoute, defaultRoute, defaultGroups);
        }
        this.registerOutputs({ url: this.url, arn: this.arn });
    }

    /**
     * A route to one service: a blue and a green target group (type ip) on `args.port`, and on the
     * serving listener a test rule (the test header, checked first) and a production rule, each
     * matching the route's paths or hosts and forwarding to blue at weight 100 and green at 0, which
     * ECS rewrites at every blue/green deployment; and the role ECS assumes to do that. The service
     * names them in both strategies (loadBalancers[].advancedConfiguration): AWS documents a rolling
     * deployment with advancedConfiguration as the first step from rolling to blue/green, and from
     * blue/green to rolling it "identifies the currently active service revision serving traffic"
     * and "keeps the existing load balancer configuration" (Amazon ECS developer guide, "Update the
     * Amazon ECS deployment strategy"). Were the rules added and removed with the strategy, a switch
     * back to rolling would update the service first and delete the production rule last (Pulumi
     * deletes at the end), leaving production forwarding to green while its tasks drained.
     *
     * Children are named `<name>-tg`, `<name>-tg-green`, `<name>-test-rule`, ...: target groups are
     * autonamed within ELB's 32 characters (`<name>-tg-green-` and 7 random characters), so `name`
     * has at most 15.
     */
    public addRoute(name: string, args: RouteArgs): ServiceRoute {
        const route = this.checkRoute(name, args);
        return this.routeRules(name, args, route, this.routeGroups(name, args, route.timings));
    }

    /** Refuses what AWS would refuse of a route, naming the argument; its conditions and timings. */
    private checkRoute(name: string, args: RouteArgs): { priority: number; matches: aws.types.input.lb.ListenerRuleCondition[]; timings: TargetGroupTimings } {
        const priority = args.priority ?? 1;
        const pathPatterns = args.pathPatterns ?? (args.hostHeaders ? [] : ["/*"]);
        const hostHeaders = args.hostHeaders ?? [];
        const timings = args.timings ?? defaultTimings;
        const healthCheckPath = args.healthCheckPath ?? "/";
        const problems: string[] = [];
        if (!/^[a-z0-9][a-z0-9-]{0,14}$/.test(name)) problems.push(`the route's name ${JSON.stringify(name)} must be 1-15 lowercase letters, digits or hyphens (its target groups' names are autonamed within ELB's 32 characters)`);
        if (!Number.isInteger(priority) || priority < 1 || priority > maxRoutePriority) problems.push(`priority ${priority} must be 1-${maxRoutePriority}`);
        const taken = this.priorities.get(priority);
        if (taken !== undefined) problems.push(`priority ${priority} is route ${taken}'s already`);
        // ELB quotas: 100 rules per load balancer (not counting the default), two per route.
        if (this.priorities.size >= 50) problems.push("a load balancer takes at most 50 routes (ELB quotas: 100 rules per load balancer, two per route)");
        // ALB listener rules: "up to three comparison strings per condition and up to five per rule"
        // (the test rule adds the header's); ELB quotas: 5 wildcards per rule; 128 characters a value.
        const values = [...pathPatterns, ...hostHeaders];
        if (values.length === 0 || pathPatterns.length > 3 || hostHeaders.length > 3 || values.length + 1 > 5) {
            problems.push(`a route matches 1 to 3 path patterns and 0 to 3 host headers, at most 4 together (ALB: 3 values per condition, 5 per rule, one of them the test header's); got ${pathPatterns.length} and ${hostHeaders.length}`);
        }
        if (values.join("").replace(/[^*?]/g, "").length > 5) problems.push("a route's path patterns and host headers hold at most 5 wildcards together (ELB quotas: condition wildcards per rule)");
        const long = values.find((v) => v.length === 0 || v.length > 128);
        if (long !== undefined) problems.push(`a path pattern or host header has 1 to 128 characters: ${JSON.stringify(long)}`);
        if (!Number.isInteger(args.port) || args.port < 1 || args.port > 65535) problems.push(`port ${args.port} must be 1-65535`);
        // CreateTargetGroup: interval 5-300 s and above the 5 s timeout; healthy threshold 2-10; deregistration delay 0-3600 s; path up to 1024.
        if (!Number.isInteger(timings.healthCheckInterval) || timings.healthCheckInterval <= healthCheckTimeout || timings.healthCheckInterval > 300) problems.push(`timings.healthCheckInterval ${timings.healthCheckInterval} must be ${healthCheckTimeout + 1}-300 seconds (above the ${healthCheckTimeout} s timeout)`);
        if (!Number.isInteger(timings.healthyThreshold) || timings.healthyThreshold < 2 || timings.healthyThreshold > 10) problems.push(`timings.healthyThreshold ${timings.healthyThreshold} must be 2-10`);
        if (!Number.isInteger(timings.deregistrationDelay) || timings.deregistrationDelay < 0 || timings.deregistrationDelay > 3600) problems.push(`timings.deregistrationDelay ${timings.deregistrationDelay} must be 0-3600 seconds`);
        if (!/^\/\S{0,1023}$/.test(healthCheckPath)) problems.push(`healthCheckPath ${JSON.stringify(healthCheckPath)} must start with / and have at most 1024 characters`);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`LoadBalancer route ${name}: ${problems.join("; ")}`, this);
        }
        this.priorities.set(priority, name);
        const matches: aws.types.input.lb.ListenerRuleCondition[] = [
            ...(pathPatterns.length > 0 ? [{ pathPattern: { values: pathPatterns } }] : []),
            ...(hostHeaders.length > 0 ? [{ hostHeader: { values: hostHeaders } }] : []),
        ];
        return { priority, matches, timings };
    }

    /** The route's blue and green target groups. */
    private routeGroups(name: string, args: RouteArgs, timings: TargetGroupTimings): [aws.lb.TargetGroup, aws.lb.TargetGroup] {
        const group = (role: string) =>
            new aws.lb.TargetGroup(
                `${name}-${role}`,
                {
                    vpcId: this.vpcId,
                    targetType: "ip",
                    protocol: "HTTP",
                    port: args.port,
                    deregistrationDelay: timings.deregistrationDelay,
                    healthCheck: {
                        path: args.healthCheckPath ?? "/",
                        port: "traffic-port",
                        protocol: "HTTP",
                        matcher: "200",
                        interval: timings.healthCheckInterval,
                        timeout: healthCheckTimeout,
                        healthyThreshold: timings.healthyThreshold,
                        unhealthyThreshold,
                    },
                },
                // A group's port forces a new group (terraform-provider-aws elbv2/target_group.go:
                // port ForceNew), and the rules, whose actions ECS owns, would keep forwarding to the
                // old one, emptied by the service's move to the new: production down. The port is
                // only a default: ECS registers each target with the container's port, and the health
                // check uses the traffic port. So a new port leaves the groups as they are.
                { parent: this, ignoreChanges: ["port"] },
            );
        return [group("tg"), group("tg-green")];
    }

    /** The route's rules and ECS's role, on the serving listener. */
    private routeRules(name: string, args: RouteArgs, route: ReturnType<LoadBalancer["checkRoute"]>, [blue, green]: [aws.lb.TargetGroup, aws.lb.TargetGroup]): ServiceRoute {
        const { priority, matches, timings } = route;
        const actions = [{ type: "forward", forward: { targetGroups: [{ arn: blue.arn, weight: 100 }, { arn: green.arn, weight: 0 }] } }];
        // ECS owns the weights from the first deployment on; an update must not set them back.
        const rule = (role: string, rulePriority: number, conditions: aws.types.input.lb.ListenerRuleCondition[]) =>
            new aws.lb.ListenerRule(`${name}-${role}`, { listenerArn: this.listener.arn, priority: rulePriority, conditions, actions }, { parent: this, ignoreChanges: ["actions"] });
        const test = rule("test-rule", 2 * priority - 1, [{ httpHeader: { httpHeaderName: testTrafficHeader.name, values: [testTrafficHeader.value] } }, ...matches]);
        const production = rule("production-rule", 2 * priority, matches);
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const role = new aws.iam.Role(
            `${name}-blue-green-role`,
            { description: "ECS shifts this stack's traffic between its blue and green target groups", assumeRolePolicy: account.apply((id) => JSON.stringify(serviceTrustPolicy("ecs.amazonaws.com", id))) },
            { parent: this },
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-blue-green-policy`,
            {
                role: role.name,
                policy: pulumi
                    .all([this.listener.arn, test.arn, production.arn, blue.arn, green.arn])
                    .apply(([listenerArn, testArn, productionArn, blueArn, greenArn]) =>
                        JSON.stringify(blueGreenPolicy({ listenerArns: [listenerArn], ruleArns: [productionArn, testArn], targetGroupArns: [blueArn, greenArn] })),
                    ),
            },
            { parent: this },
        );
        const targetGroupArnSuffixes = [blue.arnSuffix, green.arnSuffix];
        let admitted = false;
        return {
            port: args.port,
            targetGroupArn: blue.arn,
            blueGreen: pulumi.all([green.arn, production.arn, test.arn, role.arn, policy.id]).apply(([alternateTargetGroupArn, productionListenerRule, testListenerRule, roleArn]) => ({
                alternateTargetGroupArn,
                productionListenerRule,
                testListenerRule,
                roleArn,
            })),
            loadBalancerArnSuffix: this.arnSuffix,
            targetGroupArnSuffixes,
            requestMetricQueries: pulumi.all([this.arnSuffix, ...targetGroupArnSuffixes]).apply(([lb, ...tgs]) => requestsPerTargetQueries(lb, tgs)),
            timings,
            loadBalancerSecurityGroupId: this.securityGroupId,
            admit: (securityGroupId) => {
                if (admitted) {
                    throw new pulumi.ResourceError(`LoadBalancer route ${name}: admit() was called twice`, this);
                }
                admitted = true;
                new aws.vpc.SecurityGroupEgressRule(
                    `${name}-to-targets`,
                    {
                        securityGroupId: this.securityGroupId,
                        description: `Load balancer to the ${name} targets on port ${args.port} (traffic and health checks)`,
                        ipProtocol: "tcp",
                        fromPort: args.port,
                        toPort: args.port,
                        referencedSecurityGroupId: securityGroupId,
                    },
                    { parent: this },
                );
            },
        };
    }
}

/** The key prefix of the access logs in their bucket: one per project and stack, so stacks may share a bucket. */
export function accessLogsPrefix(): string {
    return stackScope(pulumi.getProject(), pulumi.getStack());
}
