/**
 * What the tasks and the EC2 instances must reach in AWS, derived from the config in one place: the
 * network creates a VPC endpoint for each of these when it has endpoints, and the config refuses at
 * preview what no endpoint can serve. Independent of how the private subnets reach the internet
 * (NAT gateways or anything else): without NAT, these are all the tasks and instances can reach.
 */
import type { CapacityConfig } from "./types";

/** An AWS service endpoint, as the suffix of `com.amazonaws.<region>.<service>`. */
export type EndpointService =
    | "ecr.api"
    | "ecr.dkr"
    | "logs"
    | "s3"
    | "secretsmanager"
    | "ssm"
    | "ssmmessages"
    | "ec2messages"
    | "ecs"
    | "ecs-agent"
    | "ecs-telemetry";

/** The config that decides what must be reachable. */
export interface Reach {
    /** Environment variables from Secrets Manager / SSM: name -> ARN. */
    secrets: Record<string, string>;
    /** Capacity the service runs on. */
    capacity: Pick<CapacityConfig, "kind">;
    /** ECS Exec on. */
    enableExecuteCommand: boolean;
}

/** The AWS service of a secret's ARN: Secrets Manager or SSM Parameter Store. */
function secretService(arn: string): EndpointService {
    return arn.split(":")[2] === "secretsmanager" ? "secretsmanager" : "ssm";
}

/**
 * The services the tasks and instances call, sorted. Sources (Amazon ECS developer guide, "Amazon ECS
 * interface VPC endpoints (AWS PrivateLink)", and "Amazon ECR interface VPC endpoints"):
 * - image pulls: ECR's API and registry, and S3 (where ECR keeps the layers; a gateway endpoint);
 *   awslogs: CloudWatch Logs;
 * - secrets: the execution role fetches each one from Secrets Manager or SSM at task start (a
 *   customer-managed KMS key is used by those services on the caller's behalf, kms:ViaService, so
 *   no KMS endpoint is called from the VPC);
 * - ECS Exec: the SSM agent's channel, ssmmessages;
 * - EC2 capacity: the container agent registers and polls through ecs, ecs-agent and ecs-telemetry,
 *   and the instances' Session Manager (AmazonSSMManagedInstanceCore) needs ssm, ssmmessages and
 *   ec2messages.
 */
export function requiredServices(reach: Reach): EndpointService[] {
    const services = new Set<EndpointService>(["ecr.api", "ecr.dkr", "s3", "logs"]);
    for (const arn of Object.values(reach.secrets)) {
        services.add(secretService(arn));
    }
    if (reach.enableExecuteCommand) {
        services.add("ssmmessages");
    }
    if (reach.capacity.kind === "ec2") {
        for (const service of ["ecs", "ecs-agent", "ecs-telemetry", "ssm", "ssmmessages", "ec2messages"] as const) {
            services.add(service);
        }
    }
    return [...services].sort();
}

/** S3 is reached through a gateway endpoint on the route tables (free); every other service through an interface endpoint. */
export const gatewayServices: readonly EndpointService[] = ["s3"];

/** The services of `services` that need an interface endpoint (billed per zone and hour). */
export function interfaceServices(services: readonly EndpointService[]): EndpointService[] {
    return services.filter((service) => !gatewayServices.includes(service));
}

/**
 * A secret a VPC endpoint cannot serve: an endpoint reaches its own region only, so without NAT a
 * secret in another region cannot be fetched. Returns the first such `NAME=arn`, if any.
 */
export function secretOutsideRegion(secrets: Record<string, string>, region: string): string | undefined {
    const found = Object.entries(secrets).find(([, arn]) => arn.split(":")[3] !== region);
    return found && `${found[0]}=${found[1]}`;
}
