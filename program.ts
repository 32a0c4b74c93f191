/**
 * The whole program as a function of a validated config, so `pulumi up` (index.ts), the
 * Automation API and the tests all run the very same code. It maps the settings to the components'
 * arguments; the components read no config.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Alarms } from "./components/alarms";
import { AppBucket } from "./components/bucket";
import { Cluster } from "./components/cluster";
import { Dashboard } from "./components/dashboard";
import { ContainerImage } from "./components/image";
import { accessLogsPrefix, backendKeepAlive, LoadBalancer, ServiceRoute } from "./components/loadBalancer";
import { Network } from "./components/network";
import { Notifications } from "./components/notifications";
import { Service } from "./components/service";
import { TaskDefinition } from "./components/taskDefinition";
import { Waf } from "./components/waf";
import { loadConfig, StackConfig } from "./lib/config";
import { requiredServices } from "./lib/endpoints";
import { flaskContainer, flaskHealthCheck, flaskTaskRoleDescription, flaskTaskRolePolicies } from "./lib/flaskApp";
import { movedFrom } from "./lib/moves";
import { elbLogDeliveryStatement } from "./lib/policies";
import { healthCheckGracePeriod } from "./lib/rollout";
import { runTaskCommand, RunTaskTarget } from "./lib/runTask";
import { dashboardName, queryDefinitionName, stackScope, wafMetricName } from "./lib/stackNames";
import { securityWarnings } from "./lib/warnings";

/** What a stack exports. */
export interface StackOutputs {
    url: pulumi.Output<string>;
    clusterName: pulumi.Output<string>;
    serviceName: pulumi.Output<string>;
    taskDefinitionArn: pulumi.Output<string>;
    repositoryUrl: pulumi.Output<string>;
    image: pulumi.Output<string>;
    logGroupName: pulumi.Output<string>;
    bucketName: pulumi.Output<string>;
    runTaskCommand: pulumi.Output<string>;
    runTaskTarget: pulumi.Output<RunTaskTarget>;
    dashboardUrl: pulumi.Output<string>;
    alarmTopicArn: pulumi.Output<string>;
}

/** The stack's components, for a program that builds on it (examples/two-services). */
export interface StackComponents {
    network: Network;
    cluster: Cluster;
    bucket: AppBucket;
    image: ContainerImage;
    task: TaskDefinition;
    loadBalancer: LoadBalancer;
    /** The app's route on the load balancer: every path, after any other route. */
    route: ServiceRoute;
    notifications: Notifications;
    service: Service;
    alarms: Alarms;
    dashboard: Dashboard;
    waf?: Waf;
}

/** What a program adds to the stack: its services (the cluster's provider list is registered after them too) and its outputs. */
export interface Addition {
    services: Service[];
    outputs: Record<string, pulumi.Output<unknown>>;
}

/** A stack: its outputs, its components, and what a program added to it. */
export interface Stack {
    outputs: StackOutputs;
    components: StackComponents;
    added?: Addition;
}

/** The app's route takes the last priority, so any route a program adds comes before its `/*`. */
export const appRoutePriority = 25000;

/**
 * Where the load balancer writes its access logs: the configured bucket, else a bucket of the
 * stack's own (protected like the app's, SSE-S3 since ALB log delivery supports no SSE-KMS,
 * expiring with the log retention), or nowhere when access logs are off.
 */
function accessLogsBucket(config: StackConfig): pulumi.Input<string> | undefined {
    if (!config.accessLogs) {
        return undefined;
    }
    if (config.accessLogsBucket !== undefined) {
        return config.accessLogsBucket;
    }
    const account = aws.getCallerIdentityOutput().accountId;
    const bucket = new AppBucket("access-logs", {
        protectData: config.protectData,
        expireAfterDays: config.logRetentionDays === 0 ? undefined : config.logRetentionDays,
        grants: (arn) => pulumi.all([arn, account]).apply(([bucketArn, id]) => [elbLogDeliveryStatement(bucketArn, accessLogsPrefix(), id, config.region)]),
    });
    return bucket.name;
}

/** Creates every resource of one stack from its config; `add` declares more on its components (examples/two-services). */
export function createStack(config: StackConfig, add?: (components: StackComponents) => Addition): Stack {
    for (const warning of securityWarnings(config)) {
        pulumi.log.warn(warning);
    }
    const scope = stackScope(pulumi.getProject(), pulumi.getStack());

    // The network: a new VPC, or the configured one.
    const network = new Network("net", { region: config.region, network: config.network, services: requiredServices(config) });
    const tasksNetwork = { vpcId: network.vpcId, subnetIds: network.privateSubnetIds };

    // The cluster, with FARGATE and FARGATE_SPOT capacity (and EC2 instances if chosen).
    const cluster = new Cluster("app", { capacity: config.capacity, vpcId: network.vpcId, privateSubnetIds: network.privateSubnetIds, architecture: config.architecture });

    // The app's own bucket.
    const bucket = new AppBucket("files", { protectData: config.protectData });

    // The image: built from app/ and pushed to ECR, or the configured one.
    const image = new ContainerImage("app", {
        architecture: config.architecture,
        image: config.image,
        buildOnPreview: config.buildOnPreview,
        keepImages: config.keepImages,
        protectData: config.protectData,
    });

    // The task definition of the Flask app (lib/flaskApp.ts), its two roles and its log group.
    const task = new TaskDefinition("app", {
        container: flaskContainer({
            image: image.imageRef,
            version: image.version,
            bucketName: bucket.name,
            region: config.region,
            stack: pulumi.getStack(),
            port: config.containerPort,
            healthCheckPath: config.healthCheckPath,
            cpu: config.cpu,
            memory: config.memory,
            keepAliveSeconds: backendKeepAlive(config.idleTimeout),
            publicRead: config.publicRead,
            environment: config.environment,
            secrets: config.secrets,
        }),
        cpu: config.cpu,
        memory: config.memory,
        architecture: config.architecture,
        compatibilities: cluster.taskCompatibilities,
        region: config.region,
        logRetentionDays: config.logRetentionDays,
        protectData: config.protectData,
        taskRolePolicies: flaskTaskRolePolicies(bucket.arn),
        taskRoleDescription: flaskTaskRoleDescription,
        secretsKmsKeyArn: config.secretsKmsKeyArn,
        enableExecuteCommand: config.enableExecuteCommand,
    });

    // The load balancer, its listeners, and the app's route: every path, last (and the listener's default).
    const lb = new LoadBalancer(
        "web",
        {
            vpcId: network.vpcId,
            publicSubnetIds: network.publicSubnetIds,
            ingressCidrs: config.ingressCidrs,
            idleTimeout: config.idleTimeout,
            accessLogsBucket: accessLogsBucket(config),
            domain: config.domain,
            deletionProtection: config.protectData,
            defaultRoute: { name: "web", port: config.containerPort, healthCheckPath: config.healthCheckPath, priority: appRoutePriority, timings: config },
        },
        { transformations: [movedFrom] },
    );
    const route = lb.defaultRoute!;

    // The WAF web ACL in front of it: rate limit, AWS's rule groups, the upload size limit.
    const waf = config.waf === undefined ? undefined : new Waf("edge", { loadBalancerArn: lb.arn, ...config.waf, metricName: wafMetricName(scope) });

    // The alarm topic, its key, its policy and its subscribers.
    const notifications = new Notifications("alarms", { subscribers: config.notifications }, { transformations: [movedFrom] });

    // The service watches its 5xx and latency alarms during deployments, and the alarms watch the
    // service: the deployment alarms' names are resolved once the alarms exist (they reference
    // only the target groups, so the dependency runs alarms -> service, without a cycle).
    const [deploymentAlarmNames, resolveDeploymentAlarmNames] = pulumi.deferredOutput<string[]>();
    const service = new Service("app", {
        cluster,
        taskDefinitionArn: task.arn,
        containerName: task.containerName,
        network: tasksNetwork,
        route,
        desiredCount: config.desiredCount,
        minCount: config.minCount,
        maxCount: config.maxCount,
        applyDesiredCount: config.applyDesiredCount,
        deploymentMinHealthyPercent: config.deploymentMinHealthyPercent,
        deploymentMaxPercent: config.deploymentMaxPercent,
        healthCheckGracePeriod: healthCheckGracePeriod(flaskHealthCheck.startPeriod),
        enableExecuteCommand: config.enableExecuteCommand,
        deployment: config.deployment,
        deploymentAlarmNames,
    });

    // The app's alarms (and the load balancer's own 5xx), notifying the topic; Spot interruptions
    // too when some tasks run on Spot.
    const alarms = new Alarms("app", {
        service,
        targets: route,
        loadBalancerArnSuffix: lb.arnSuffix,
        topicArn: notifications.topicArn,
        thresholds: config.alarms,
        spotInterruptions: config.capacity.kind === "fargate-spot" && config.capacity.spotWeight > 0,
    });
    resolveDeploymentAlarmNames(alarms.deploymentAlarmNames);

    // The dashboard and the saved query of errors and slow requests, named after the stack.
    const dashboard = new Dashboard("app", {
        service,
        targets: route,
        alarmArns: alarms.alarmArns,
        logGroupName: task.logGroupName,
        slowRequestMs: config.alarms.latencyMs,
        dashboardName: dashboardName(scope),
        queryName: queryDefinitionName(scope),
    });

    const components: StackComponents = { network, cluster, bucket, image, task, loadBalancer: lb, route, notifications, service, alarms, dashboard, waf };
    const added = add?.(components);

    // With the Fargate choices the cluster's provider list is written after the services, so a
    // switch from ec2 drops the EC2 provider only once every service has left it.
    cluster.registerCapacity([service.service, ...(added?.services ?? []).map((s) => s.service)]);

    // What a one-off task needs: the service's task definition, network and logs.
    const runTaskTarget = pulumi
        .all([cluster.name, task.arn, network.privateSubnetIds, service.securityGroupId, task.logGroupName, cluster.capacityProviderStrategy])
        .apply(([clusterName, taskDefinition, subnets, securityGroup, logGroup, capacityProviderStrategy]) => ({
            cluster: clusterName,
            taskDefinition,
            subnets,
            securityGroup,
            capacityProviderStrategy,
            containerName: task.containerName,
            logGroup,
            logStreamPrefix: task.logStreamPrefix,
        }));

    return {
        outputs: {
            url: lb.url,
            clusterName: cluster.name,
            serviceName: service.name,
            taskDefinitionArn: task.arn,
            repositoryUrl: image.repositoryUrl,
            image: image.imageRef,
            logGroupName: task.logGroupName,
            bucketName: bucket.name,
            runTaskCommand: runTaskTarget.apply((target) => runTaskCommand(target)),
            runTaskTarget,
            dashboardUrl: dashboard.url,
            alarmTopicArn: notifications.topicArn,
        },
        components,
        added,
    };
}

/**
 * The program that `pulumi up` runs (index.ts) and that the Automation API runs inline: the running
 * stack's config, validated before any resource is declared, then every resource of the stack.
 */
export function runProgram(): StackOutputs {
    return createStack(loadConfig()).outputs;
}
