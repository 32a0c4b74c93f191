/**
 * The whole program as a function of a validated config, so `pulumi up` (index.ts), the
 * Automation API and the tests all run the very same code.
 */
import * as pulumi from "@pulumi/pulumi";
import { AppBucket } from "./components/bucket";
import { Cluster } from "./components/cluster";
import { ContainerImage } from "./components/image";
import { backendKeepAlive, LoadBalancer } from "./components/loadBalancer";
import { Network } from "./components/network";
import { AppService } from "./components/service";
import { AppTaskDefinition, containerHealthCheck } from "./components/taskDefinition";
import { loadConfig, StackConfig } from "./lib/config";
import { requiredServices } from "./lib/endpoints";
import { healthCheckGracePeriod } from "./lib/rollout";
import { runTaskCommand, RunTaskTarget } from "./lib/runTask";

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
}

/** Creates every resource of one stack from its config. */
export function createStack(config: StackConfig): StackOutputs {
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
        accessLogsBucket: config.accessLogsBucket,
        domain: config.domain,
        deletionProtection: config.protectData,
    });

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
        healthCheckGracePeriod: healthCheckGracePeriod(containerHealthCheck.startPeriod),
        enableExecuteCommand: config.enableExecuteCommand,
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
    };
}

/**
 * The program that `pulumi up` runs (index.ts) and that the Automation API runs inline: the running
 * stack's config, validated before any resource is declared, then every resource of the stack.
 */
export function runProgram(): StackOutputs {
    return createStack(loadConfig());
}
