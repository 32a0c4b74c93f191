/** ECS: services, task definitions and clusters. */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { secretLookingName } from "../../lib/secretNames";
import { parseJson, stackOf } from "./util";

const SERVICE = "aws:ecs/service:Service";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const CLUSTER = "aws:ecs/cluster:Cluster";


/** The container definitions of a task definition's props. */
function containers(props: Record<string, any>): any[] {
    return parseJson<any[]>(props.containerDefinitions) ?? [];
}

export const serviceNoPublicIp: ResourceValidationPolicy = {
    name: "ecs-service-no-public-ip",
    description: "ECS services give their tasks no public IP address: tasks sit in private subnets behind the load balancer.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type === SERVICE && args.props.networkConfiguration?.assignPublicIp === true) {
            report("assignPublicIp is true: run the tasks in private subnets with assignPublicIp false, and reach them through the load balancer.");
        }
    },
};

export const noPrivilegedContainers: ResourceValidationPolicy = {
    name: "ecs-no-privileged-containers",
    description: "Task definitions run no privileged container and use neither the host's network nor its PID namespace.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== TASK_DEFINITION) return;
        if (args.props.networkMode === "host") report("networkMode is host: use awsvpc.");
        if (args.props.pidMode === "host") report("pidMode is host: leave it unset (task).");
        for (const c of containers(args.props)) {
            if (c.privileged === true) report(`container ${c.name} is privileged.`);
        }
    },
};

export const readOnlyNonRoot: ResourceValidationPolicy = {
    name: "ecs-readonly-nonroot",
    description:
        "Every container has a read-only root filesystem and runs as a non-root user; stacks listed in execStacks (ECS Exec on, which AWS does not support with a read-only root filesystem) may have a writable one.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { execStacks: { type: "array", items: { type: "string" }, default: [] } } },
    validateResource: (args, report) => {
        if (args.type !== TASK_DEFINITION) return;
        const { execStacks } = args.getConfig<{ execStacks: string[] }>();
        const writableAllowed = execStacks.includes(stackOf(args.urn));
        for (const c of containers(args.props)) {
            if (c.readonlyRootFilesystem !== true && !writableAllowed) {
                report(`container ${c.name} has a writable root filesystem: set readonlyRootFilesystem and mount volumes where it must write.`);
            }
            const user = String(c.user ?? "");
            if (user === "" || ["0", "root"].includes(user.split(":")[0])) {
                report(`container ${c.name} runs as ${user === "" ? "the image's user (root unless the image says otherwise)" : user}: set user to a non-root UID.`);
            }
        }
    },
};

export const containersLog: ResourceValidationPolicy = {
    name: "ecs-container-logging",
    description: "Every container sends its output to CloudWatch Logs (awslogs).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== TASK_DEFINITION) return;
        for (const c of containers(args.props)) {
            if (c.logConfiguration?.logDriver !== "awslogs") {
                report(`container ${c.name} has no awslogs log configuration.`);
            }
        }
    },
};

export const noSecretsInEnvironment: ResourceValidationPolicy = {
    name: "ecs-no-plain-secrets",
    description: "No credential-looking variable (*SECRET*, *PASSWORD*, *TOKEN*, *API_KEY*, AWS keys) is set in plain environment; such values go in secrets.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== TASK_DEFINITION) return;
        for (const c of containers(args.props)) {
            for (const env of c.environment ?? []) {
                if (secretLookingName.test(String(env.name)) || /^AKIA[0-9A-Z]{16}$/.test(String(env.value))) {
                    report(`container ${c.name} sets ${env.name} in plain environment: move it to secrets (Secrets Manager or SSM Parameter Store).`);
                }
            }
        }
    },
};

export const fargatePlatformLatest: ResourceValidationPolicy = {
    name: "ecs-fargate-platform-latest",
    description: "Fargate services run on the LATEST platform version, which carries the security fixes.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== SERVICE) return;
        const fargate = args.props.launchType === "FARGATE" || (args.props.capacityProviderStrategies ?? []).some((s: any) => String(s.capacityProvider).startsWith("FARGATE"));
        const version = args.props.platformVersion;
        if (fargate && version !== undefined && version !== "LATEST") {
            report(`platformVersion is ${version}: use LATEST.`);
        }
    },
};

export const containerInsights: ResourceValidationPolicy = {
    name: "ecs-container-insights",
    description: "ECS clusters have Container Insights on.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== CLUSTER) return;
        const setting = (args.props.settings ?? []).find((s: any) => s.name === "containerInsights");
        if (!["enabled", "enhanced"].includes(setting?.value)) {
            report("Container Insights is off: add the setting containerInsights = enabled.");
        }
    },
};

export const separateRoles: StackValidationPolicy = {
    name: "ecs-separate-roles",
    description: "A task definition's execution role (ECS's) and task role (the app's) are two different roles.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const td of args.resources.filter((r) => r.type === TASK_DEFINITION)) {
            const execution = td.propertyDependencies?.executionRoleArn?.map((d) => d.urn) ?? [];
            const task = td.propertyDependencies?.taskRoleArn?.map((d) => d.urn) ?? [];
            const sameResource = execution.some((urn) => task.includes(urn));
            const sameValue = td.props.taskRoleArn !== undefined && td.props.taskRoleArn === td.props.executionRoleArn;
            if (sameResource || sameValue) {
                report(`${td.name}: the execution role is also the task role: give the app a role of its own, with only what it needs.`, td.urn);
            }
        }
    },
};
