import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaultSettings, DomainConfig } from "../lib/config";
import { blueGreenPolicy, serviceTrustPolicy } from "../lib/policies";
import { healthCheckTimeout, TargetGroupTimings, unhealthyThreshold } from "../lib/rollout";
import { MetricQuery, requestsPerTargetQueries } from "../lib/scaling";
import { stackScope } from "../lib/stackNames";

/** TLS policy of the HTTPS listener: TLS 1.3, with TLS 1.2 for older clients (AWS's recommended default). */
export const tlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * The header that sends a request to the new (green) tasks during a blue/green deployment, before
 * production traffic shifts to them: `curl -H "X-Test-Traffic: green" <url>`.
 */
export const testTrafficHeader = { name: "X-Test-Traffic", value: "green" };

/** What ECS needs to run blue/green deployments behind this load balancer (a service's loadBalancers[].advancedConfiguration). */
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
     * Port the app's containers listen on (the targets' port).
     * @default Pulumi.yaml's default of the `containerPort` setting
     */
    containerPort?: number;
    /**
     * Health check path of the app.
     * @default Pulumi.yaml's default of the `healthCheckPath` setting
     */
    healthCheckPath?: string;
    /**
     * Health check and draining timings of the target group.
     * @default Pulumi.yaml's defaults of the healthCheckInterval, healthyThreshold and deregistrationDelay settings
     */
    timings?: TargetGroupTimings;
    /**
     * CIDR blocks allowed to reach the listeners.
     * @default Pulumi.yaml's default of the `ingressCidrs` setting
     */
    ingressCidrs?: string[];
    /**
     * Idle connection timeout, seconds.
     * @default Pulumi.yaml's default of the `idleTimeout` setting
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
     * @default Pulumi.yaml's default of the `protectData` setting
     */
    deletionProtection?: boolean;
}

/**
 * An internet-facing Application Load Balancer with its security group, an `ip` target group
 * for the tasks and its listeners: HTTP forwarding, or, with a domain, HTTPS on a validated
 * certificate and HTTP redirecting to it.
 */
export class LoadBalancer extends pulumi.ComponentResource {
    /** The load balancer's security group (the tasks admit only it). */
    public readonly securityGroupId: pulumi.Output<string>;
    /** Target group of the tasks. */
    public readonly targetGroupArn: pulumi.Output<string>;
    /** The listener that forwards to the target group; a service must be created after it. */
    public readonly forwardingListener: aws.lb.Listener;
    /** The request-per-task metric of autoscaling, over both target groups (lib/scaling.ts). */
    public readonly requestMetricQueries: pulumi.Output<MetricQuery[]>;
    /** The ALB's ARN (a WAF web ACL is associated with it). */
    public readonly arn: pulumi.Output<string>;
    /** The ALB's ARN suffix, its CloudWatch dimension. */
    public readonly arnSuffix: pulumi.Output<string>;
    /** ARN suffixes of the target groups (blue, then green), their CloudWatch dimensions. */
    public readonly targetGroupArnSuffixes: pulumi.Output<string>[];
    /** What the service's load balancer block needs for ECS to route between the two groups; ready once the role may act. */
    public readonly blueGreen: pulumi.Output<BlueGreenConfiguration>;
    /** Where the app is served. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:lb:LoadBalancer", name, {}, opts);
        const containerPort = args.containerPort ?? defaultSettings.containerPort;
        const timings = args.timings ?? defaultSettings;
        const listenerPorts = args.domain ? [80, 443] : [80];

        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: "Load balancer: listeners open to the allowed CIDRs, forwards only to the tasks" },
            { parent: this },
        );
        for (const port of listenerPorts) {
            for (const [i, cidr] of (args.ingressCidrs ?? defaultSettings.ingressCidrs).entries()) {
                new aws.vpc.SecurityGroupIngressRule(
                    `${name}-in-${port}-${i}`,
                    {
                        securityGroupId: securityGroup.id,
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

        const alb = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                loadBalancerType: "application",
                internal: false,
                securityGroups: [securityGroup.id],
                subnets: args.publicSubnetIds,
                dropInvalidHeaderFields: true,
                enableDeletionProtection: args.deletionProtection ?? defaultSettings.protectData,
                idleTimeout: args.idleTimeout ?? defaultSettings.idleTimeout,
                accessLogs: args.accessLogsBucket ? { bucket: args.accessLogsBucket, prefix: accessLogsPrefix(), enabled: true } : undefined,
            },
            { parent: this },
        );

        const newTargetGroup = (role: string) =>
            new aws.lb.TargetGroup(
                `${name}-${role}`,
                {
                    vpcId: args.vpcId,
                    targetType: "ip",
                    protocol: "HTTP",
                    port: containerPort,
                    deregistrationDelay: timings.deregistrationDelay,
                    healthCheck: {
                        path: args.healthCheckPath ?? defaultSettings.healthCheckPath,
                        port: "traffic-port",
                        protocol: "HTTP",
                        matcher: "200",
                        interval: timings.healthCheckInterval,
                        timeout: healthCheckTimeout,
                        healthyThreshold: timings.healthyThreshold,
                        unhealthyThreshold,
                    },
                },
                { parent: this },
            );
        const targetGroup = newTargetGroup("tg");
        const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];

        if (args.domain) {
            const { domainName, hostedZoneId } = args.domain;
            const certificate = new aws.acm.Certificate(
                `${name}-cert`,
                { domainName, validationMethod: "DNS" },
                { parent: this },
            );
            const option = certificate.domainValidationOptions[0];
            const validationRecord = new aws.route53.Record(
                `${name}-cert-validation`,
                {
                    zoneId: hostedZoneId,
                    name: option.resourceRecordName,
                    type: option.resourceRecordType,
                    records: [option.resourceRecordValue],
                    ttl: 60,
                    allowOverwrite: true,
                },
                { parent: this },
            );
            // Waits until ACM has issued the certificate, so the listener never points at a pending one.
            const validation = new aws.acm.CertificateValidation(
                `${name}-cert-issued`,
                { certificateArn: certificate.arn, validationRecordFqdns: [validationRecord.fqdn] },
                { parent: this },
            );
            this.forwardingListener = new aws.lb.Listener(
                `${name}-https`,
                { loadBalancerArn: alb.arn, port: 443, protocol: "HTTPS", sslPolicy: tlsPolicy, certificateArn: validation.certificateArn, defaultActions: forward },
                { parent: this },
            );
            new aws.lb.Listener(
                `${name}-http`,
                {
                    loadBalancerArn: alb.arn,
                    port: 80,
                    protocol: "HTTP",
                    defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
                },
                { parent: this },
            );
            new aws.route53.Record(
                `${name}-alias`,
                { zoneId: hostedZoneId, name: domainName, type: "A", aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }] },
                { parent: this },
            );
            this.url = pulumi.output(`https://${domainName}`);
        } else {
            this.forwardingListener = new aws.lb.Listener(
                `${name}-http`,
                { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: forward },
                { parent: this },
            );
            this.url = pulumi.interpolate`http://${alb.dnsName}`;
        }

        // Two target groups, and production routed by a rule ECS owns, whatever the deployment
        // strategy: a switch between rolling and blue/green then changes only the service's
        // strategy, never the routing under its running tasks (see blueGreenRouting).
        const green = newTargetGroup("tg-green");
        const groups = [targetGroup, green];
        this.blueGreen = this.blueGreenRouting(name, this.forwardingListener, targetGroup, green);

        this.securityGroupId = securityGroup.id;
        this.targetGroupArn = targetGroup.arn;
        this.arn = alb.arn;
        this.arnSuffix = alb.arnSuffix;
        this.targetGroupArnSuffixes = groups.map((g) => g.arnSuffix);
        this.requestMetricQueries = pulumi.all([alb.arnSuffix, ...this.targetGroupArnSuffixes]).apply(([lb, ...tgs]) => requestsPerTargetQueries(lb, tgs));
        this.registerOutputs({ url: this.url, targetGroupArn: this.targetGroupArn });
    }

    /**
     * Routing that ECS owns, on the production listener: a test rule (the test header) and a
     * production rule (every other request), each forwarding to blue at weight 100 and green at
     * weight 0, which ECS rewrites at every blue/green deployment; and the role ECS assumes to do
     * that. The service names them in both strategies (loadBalancers[].advancedConfiguration): AWS
     * documents a rolling deployment with advancedConfiguration as the first step from rolling to
     * blue/green, and from blue/green to rolling it "identifies the currently active service
     * revision serving traffic" and "keeps the existing load balancer configuration" (Amazon ECS
     * developer guide, "Update the Amazon ECS deployment strategy"). Were the rules removed on the
     * way to rolling, the update would reach the service first (deletes come last) and production
     * would keep forwarding to green while its tasks drain.
     */
    private blueGreenRouting(name: string, listener: aws.lb.Listener, blue: aws.lb.TargetGroup, green: aws.lb.TargetGroup): pulumi.Output<BlueGreenConfiguration> {
        const actions = [{ type: "forward", forward: { targetGroups: [{ arn: blue.arn, weight: 100 }, { arn: green.arn, weight: 0 }] } }];
        // ECS owns the weights from the first deployment on; an update must not set them back.
        const rule = (role: string, priority: number, conditions: aws.types.input.lb.ListenerRuleCondition[]) =>
            new aws.lb.ListenerRule(`${name}-${role}`, { listenerArn: listener.arn, priority, conditions, actions }, { parent: this, ignoreChanges: ["actions"] });
        const test = rule("test-rule", 1, [{ httpHeader: { httpHeaderName: testTrafficHeader.name, values: [testTrafficHeader.value] } }]);
        const production = rule("production-rule", 2, [{ pathPattern: { values: ["/*"] } }]);

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
                    .all([listener.arn, test.arn, production.arn, blue.arn, green.arn])
                    .apply(([listenerArn, testArn, productionArn, blueArn, greenArn]) =>
                        JSON.stringify(blueGreenPolicy({ listenerArns: [listenerArn], ruleArns: [productionArn, testArn], targetGroupArns: [blueArn, greenArn] })),
                    ),
            },
            { parent: this },
        );
        return pulumi.all([green.arn, production.arn, test.arn, role.arn, policy.id]).apply(([alternateTargetGroupArn, productionListenerRule, testListenerRule, roleArn]) => ({
            alternateTargetGroupArn,
            productionListenerRule,
            testListenerRule,
            roleArn,
        }));
    }
}

/** The key prefix of the access logs in their bucket: one per project and stack, so stacks may share a bucket. */
export function accessLogsPrefix(): string {
    return stackScope(pulumi.getProject(), pulumi.getStack());
}
