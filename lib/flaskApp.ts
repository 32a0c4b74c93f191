/**
 * The Flask app of app/ as a preset for the generic task definition (components/taskDefinition.ts):
 * its container (image, user, port, environment, health check, writable paths) and the task role's
 * one grant, its bucket. Pure: the program hands it the values, the component declares them.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ContainerSpec, HealthCheck } from "../components/taskDefinition";
import { bucketAccessPolicy, PolicyDocument } from "./policies";

/** Name of the app's container in the task. */
export const flaskContainerName = "app";

/** UID:GID the container runs as; the Dockerfile creates this user. */
export const flaskUser = "10001:10001";

/**
 * Seconds ECS waits after SIGTERM before SIGKILL. The app's gunicorn graceful timeout is shorter
 * (app/gunicorn.conf.py), so in-flight requests finish first.
 */
export const flaskStopTimeoutSeconds = 30;

/**
 * The directories the app writes to on its read-only root filesystem. app/Dockerfile creates each
 * owned by the container's user and declares it a VOLUME (see ContainerSpec.writablePaths), and a
 * test holds the two sets equal.
 */
export const flaskWritablePaths = ["/tmp"];

/** The container health check: the task is healthy once the app answers on its health path. */
export const flaskHealthCheck: HealthCheck = { command: ["CMD", "python", "/app/healthcheck.py"], interval: 10, timeout: 5, retries: 3, startPeriod: 15 };

/** Environment variables the preset sets itself; the stack's `environment` may not override them. */
export const flaskReservedEnvironment = ["PORT", "BUCKET_NAME", "AWS_REGION", "APP_STACK", "APP_VERSION", "HEALTH_PATH", "TASK_CPU", "TASK_MEMORY_MIB", "KEEPALIVE_SECONDS", "API_KEY_SHA256", "PUBLIC_READ"];

/** What the app's container is made of. */
export interface FlaskContainerArgs {
    /** Image reference, pinned to a digest. */
    image: pulumi.Input<string>;
    /** Version label of the image, shown by the app. */
    version: pulumi.Input<string>;
    /** The app's bucket (BUCKET_NAME). */
    bucketName: pulumi.Input<string>;
    /** AWS region of the app's S3 client (AWS_REGION). */
    region: string;
    /** The stack's name, shown by the app (APP_STACK). */
    stack: string;
    /** Port the app listens on (PORT). */
    port: number;
    /** Health endpoint path (HEALTH_PATH). */
    healthCheckPath: string;
    /** Task CPU units: gunicorn sizes its workers by them (TASK_CPU). */
    cpu: number;
    /** Task memory, MiB: the app sizes its connections and upload buffers by it (TASK_MEMORY_MIB). */
    memory: number;
    /** Seconds gunicorn keeps an idle connection open (KEEPALIVE_SECONDS), longer than the load balancer's idle timeout. */
    keepAliveSeconds: number;
    /** Anyone may list and download without a key (PUBLIC_READ). */
    publicRead: boolean;
    /** Extra plain environment variables. */
    environment: Record<string, string>;
    /** Environment variables from Secrets Manager or SSM: name -> ARN (the API keys' among them). */
    secrets: Record<string, string>;
}

/** The app's container. */
export function flaskContainer(a: FlaskContainerArgs): ContainerSpec {
    return {
        name: flaskContainerName,
        image: a.image,
        user: flaskUser,
        port: a.port,
        environment: {
            ...a.environment,
            PORT: String(a.port),
            HEALTH_PATH: a.healthCheckPath,
            BUCKET_NAME: a.bucketName,
            AWS_REGION: a.region,
            APP_STACK: a.stack,
            APP_VERSION: a.version,
            TASK_CPU: String(a.cpu),
            TASK_MEMORY_MIB: String(a.memory),
            KEEPALIVE_SECONDS: String(a.keepAliveSeconds),
            PUBLIC_READ: String(a.publicRead),
        },
        secrets: a.secrets,
        healthCheck: flaskHealthCheck,
        writablePaths: flaskWritablePaths,
        stopTimeout: flaskStopTimeoutSeconds,
    };
}

/** What the app's task role is for, shown in IAM. */
export const flaskTaskRoleDescription = "The app's identity: read and write its own bucket";

/** The app's task role grants: its own bucket, nothing more. */
export function flaskTaskRolePolicies(bucketArn: pulumi.Output<string>): Record<string, pulumi.Input<PolicyDocument>> {
    return { bucket: bucketArn.apply((arn) => bucketAccessPolicy(arn)) };
}
