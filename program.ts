/**
 * The whole program as a function of a validated config, so `pulumi up` (index.ts), the
 * Automation API and the tests all run the very same code.
 */
import * as pulumi from "@pulumi/pulumi";
import { AppBucket } from "./components/bucket";
import { Cluster } from "./components/cluster";
import { ContainerImage } from "./components/image";
import { AppTaskDefinition } from "./components/taskDefinition";
import { StackConfig } from "./lib/config";

/** What a stack exports. */
export interface StackOutputs {
    clusterName: pulumi.Output<string>;
    taskDefinitionArn: pulumi.Output<string>;
    repositoryUrl: pulumi.Output<string>;
    image: pulumi.Output<string>;
    logGroupName: pulumi.Output<string>;
    bucketName: pulumi.Output<string>;
}

/** Creates every resource of one stack from its config. */
export function createStack(config: StackConfig): StackOutputs {
    // The cluster, with FARGATE and FARGATE_SPOT capacity.
    const cluster = new Cluster("app", { capacity: config.capacity });

    // The app's own bucket.
    const bucket = new AppBucket("files", { protectData: config.protectData });

    // The image: built from app/ and pushed to ECR, or the configured one.
    const image = new ContainerImage("app", {
        architecture: config.architecture,
        image: config.image,
        keepImages: config.keepImages,
        protectData: config.protectData,
    });

    // The task definition, its two roles and its log group.
    const task = new AppTaskDefinition("app", {
        image: image.imageRef,
        version: image.version,
        bucketName: bucket.name,
        bucketArn: bucket.arn,
        cpu: config.cpu,
        memory: config.memory,
        architecture: config.architecture,
        containerPort: config.containerPort,
        healthCheckPath: config.healthCheckPath,
        environment: config.environment,
        secrets: config.secrets,
        secretsKmsKeyArn: config.secretsKmsKeyArn,
        logRetentionDays: config.logRetentionDays,
        protectData: config.protectData,
    });

    return {
        clusterName: cluster.name,
        taskDefinitionArn: task.arn,
        repositoryUrl: image.repositoryUrl,
        image: image.imageRef,
        logGroupName: task.logGroupName,
        bucketName: bucket.name,
    };
}
