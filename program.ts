/**
 * The whole program as a function of a validated config, so `pulumi up` (index.ts), the
 * Automation API and the tests all run the very same code.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Alarms } from "./components/alarms";
import { AppBucket } from "./components/bucket";
import { Cluster } from "./components/cluster";
import { Dashboard } from "./components/dashboard";
import { ContainerImage } from "./components/image";
import { accessLogsPrefix, backendKeepAlive, LoadBalancer } from "./components/loadBalancer";
import { Network } from "./components/network";
import { Notifications } from "./components/notifications";
import { AppService } from "./components/service";
import { AppTaskDefinition, containerHealthCheck } from "./components/taskDefinition";
import { loadConfig, StackConfig } from "./lib/config";
import { requiredServices } from "./lib/endpoints";
import { elbLogDeliveryStatement } from "./lib/policies";
import { healthCheckGracePeriod } from "./lib/rollout";
import { runTaskCommand, RunTaskTarget } from "./lib/runTask";
import { securityWarnings } from "./lib/warnings";
import { Waf } from "./components/waf";

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

/** Creates every resource of one stack from its config. */
export function createStack(config: StackConfig): StackOutputs {
    for (const warning of securityWarnings(config)) {
        pulumi.log.warn(warning);
    }

    // The network: a new VPC, or the configured one.
    const network = new Network("net", {
        region: config.region,
        network: config.network,
        services: requiredServices(config),
    });

    // The cluster, with FARGATE and FARGATE_SPOT capacity (and EC2 instances if chosen).
    const cluster = new Cluster("app", {
        capacity: config.capacity,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        architecture: config.architecture,
    });

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

    // The task definition, its two roles and its log group.
    const task = new AppTaskDefinition("app", {
        region: config.region,
        image: image.imageRef,
        version: image.version,
        bucketName: bucket.name,
        bucketArn: bucket.arn,
        cpu: config.cpu,
        memory: config.memory,
        architecture: config.architecture,
        compatibilities: cluster.taskCompatibilities,
        containerPort: config.containerPort,
        healthCheckPath: config.healthCheckPath,
        environment: config.environment,
        secrets: config.secrets,
        publicRead: config.publicRead,
        secretsKmsKeyArn: config.secretsKmsKeyArn,
        logRetentionDays: config.logRetentionDays,
        protectData: config.protectData,
        keepAliveSeconds: backendKeepAlive(config.idleTimeout),
        enableExecuteCommand: config.enableExecuteCommand,
    });

    // The load balancer, its target group and listeners.
    const lb = new LoadBalancer("web", {
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        containerPort: config.containerPort,
        healthCheckPath: config.healthCheckPath,
        timings: config,
        ingressCidrs: config.ingressCidrs,
        idleTimeout: config.idleTimeout,
        accessLogsBucket: accessLogsBucket(config),
        domain: config.domain,
        deletionProtection: config.protectData,
    });

    // The WAF web ACL in front of it: rate limit, AWS's rule groups, the upload size limit.
    if (config.waf !== undefined) {
        new Waf("edge", { loadBalancer: lb, ...config.waf });
    }

    // The alarm topic, its key and its subscribers.
    const notifications = new Notifications("alarms", { subscribers: config.notifications });

    // The service watches the 5xx and latency alarms during deployments, and the alarms watch the
    // service: the deployment alarms' names are resolved once the alarms exist (they reference
    // only the load balancer, so the dependency runs alarms -> service, without a cycle).
    const [deploymentAlarmNames, resolveDeploymentAlarmNames] = pulumi.deferredOutput<string[]>();

    // The service behind it, with autoscaling.
    const service = new AppService("app", {
        clusterArn: cluster.arn,
        clusterName: cluster.name,
        capacityProviderStrategy: cluster.capacityProviderStrategy,
        placementStrategies: cluster.placementStrategies,
        platformVersion: cluster.platformVersion,
        taskDefinitionArn: task.arn,
        containerName: task.containerName,
        containerPort: task.containerPort,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        loadBalancer: lb,
        desiredCount: config.desiredCount,
        minCount: config.minCount,
        maxCount: config.maxCount,
        applyDesiredCount: config.applyDesiredCount,
        deploymentMinHealthyPercent: config.deploymentMinHealthyPercent,
        deploymentMaxPercent: config.deploymentMaxPercent,
        timings: config,
        healthCheckGracePeriod: healthCheckGracePeriod(containerHealthCheck.startPeriod),
        enableExecuteCommand: config.enableExecuteCommand,
        deployment: config.deployment,
        deploymentAlarmNames,
    });

    // The alarms, notifying the topic; Spot interruptions too when some tasks run on Spot.
    const alarms = new Alarms("app", {
        loadBalancer: lb,
        service,
        notifications,
        thresholds: config.alarms,
        spotInterruptions: config.capacity.kind === "fargate-spot" && config.capacity.spotWeight > 0,
    });
    resolveDeploymentAlarmNames(alarms.deploymentAlarmNames);

    // The dashboard and the saved query of errors and slow requests.
    const dashboard = new Dashboard("app", {
        loadBalancer: lb,
        service,
        alarmArns: alarms.alarmArns,
        logGroupName: task.logGroupName,
        slowRequestMs: config.alarms.latencyMs,
    });

    // With the Fargate choices the cluster's provider list is written after the service, so a
    // switch from ec2 drops the EC2 provider only once the service has left it.
    cluster.registerCapacity([service]);

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
    };
}

/**
 * The program that `pulumi up` runs (index.ts) and that the Automation API runs inline: the running
 * stack's config, validated before any resource is declared, then every resource of the stack.
 */
export function runProgram(): StackOutputs {
    return createStack(loadConfig());
}
