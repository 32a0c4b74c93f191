/** ECS: services, task definitions and clusters. */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { secretInCommand, secretLookingName, secretLookingValue } from "../../lib/secretNames";
import { isType, isUnknown, list, ofType, parseJson, propsOf, stackOf, str, UNKNOWN } from "./util";

const SERVICE = "aws:ecs/service:Service";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const CLUSTER = "aws:ecs/cluster:Cluster";

/**
 * The container definitions of a task definition's props, those known (at preview the whole
 * JSON is often unknown: it holds the image digest and log group name; the update checks it).
 */
function containers(props: Record<string, any>): any[] {
    const parsed = parseJson<any[]>(props.containerDefinitions);
    return isUnknown(parsed) ? [] : list(parsed).filter((c) => !isUnknown(c) && typeof c === "object" && c !== null);
}

/**
 * The host path a Docker volume mounts when its driver options make it a bind mount (the local
 * driver with `o: bind` or `type: none` and a `device`: `docker volume create --opt type=none
 * --opt o=bind --opt device=/etc`), which is a host path by another name.
 */
function boundDevice(config: any): string | undefined {
    const opts = config?.driverOpts;
    if (isUnknown(config) || isUnknown(opts) || opts === undefined || opts === null) return undefined;
    const bind = /(^|,)\s*r?bind\s*(,|$)/.test(String(opts.o ?? "")) || String(opts.type ?? "") === "none";
    return bind && opts.device !== undefined ? String(opts.device) : undefined;
}

/** Linux capabilities a container may add: binding low ports, nothing that reaches the host. */
const harmlessCapabilities = ["NET_BIND_SERVICE"];

export const serviceNoPublicIp: ResourceValidationPolicy = {
    name: "ecs-service-no-public-ip",
    description: "ECS services and task sets give their tasks no public IP address: tasks sit in private subnets behind the load balancer.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if ((isType(args.type, SERVICE) || isType(args.type, "aws:ecs/taskSet:TaskSet")) && propsOf(args).networkConfiguration?.assignPublicIp === true) {
            report("assignPublicIp is true: run the tasks in private subnets with assignPublicIp false, and reach them through the load balancer.");
        }
    },
};

export const noPrivilegedContainers: ResourceValidationPolicy = {
    name: "ecs-no-privileged-containers",
    description:
        "Task definitions run no privileged container, add no Linux capability (but NET_BIND_SERVICE) and map no host device, use neither the host's network, PID nor IPC namespace, and mount no host path (the Docker socket least of all).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!isType(args.type, TASK_DEFINITION)) return;
        const props = propsOf(args);
        for (const mode of ["networkMode", "pidMode", "ipcMode"]) {
            if (props[mode] === "host") report(`${mode} is host: ${mode === "networkMode" ? "use awsvpc" : "leave it unset (task)"}.`);
        }
        for (const volume of list(props.volumes)) {
            const v = volume as Record<string, any>;
            const path = isUnknown(v) ? undefined : (v?.hostPath ?? v?.host?.sourcePath ?? boundDevice(v?.dockerVolumeConfiguration));
            if (path !== undefined && !isUnknown(path)) {
                const socket = /docker\.sock|containerd\.sock/.test(String(path));
                report(`volume ${v.name} mounts the host path ${path}${socket ? " (the container runtime's socket: control of the host)" : ""}: use a task volume or EFS.`);
            }
        }
        for (const c of containers(props)) {
            if (c.privileged === true) report(`container ${c.name} is privileged.`);
            const added = list(c.linuxParameters?.capabilities?.add).filter((cap) => !isUnknown(cap)).map(String).filter((cap) => !harmlessCapabilities.includes(cap.toUpperCase().replace(/^CAP_/, "")));
            if (added.length > 0) report(`container ${c.name} adds the Linux capabilities ${added.join(", ")}: drop them.`);
            for (const d of list(c.linuxParameters?.devices)) report(`container ${c.name} maps the host device ${(d as any)?.hostPath}.`);
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
        if (!isType(args.type, TASK_DEFINITION)) return;
        const { execStacks } = args.getConfig<{ execStacks: string[] }>();
        const writableAllowed = execStacks.includes(stackOf(args.urn));
        for (const c of containers(propsOf(args))) {
            if (c.readonlyRootFilesystem !== true && !isUnknown(c.readonlyRootFilesystem) && !writableAllowed) {
                report(`container ${c.name} has a writable root filesystem: set readonlyRootFilesystem and mount volumes where it must write.`);
            }
            const user = String(c.user ?? "");
            if (isUnknown(c.user)) continue;
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
        if (!isType(args.type, TASK_DEFINITION)) return;
        for (const c of containers(propsOf(args))) {
            const driver = isUnknown(c.logConfiguration) ? UNKNOWN : c.logConfiguration?.logDriver;
            if (driver !== "awslogs" && !isUnknown(driver)) {
                report(`container ${c.name} has no awslogs log configuration.`);
            }
        }
    },
};

export const noSecretsInEnvironment: ResourceValidationPolicy = {
    name: "ecs-no-plain-secrets",
    description:
        "No credential in plain environment, command or entry point: no credential-looking name (lib/secretNames.ts: *SECRET*, *PASSWORD*, *_PASS, *TOKEN*, *AUTH*, *_KEY, *API_KEY*, access and private keys, credentials ...) given a value, and no credential-looking value (AWS access key ids AKIA/ASIA, 40-character secret keys, provider tokens such as sk_live_, ghp_, xox., URLs with user:password@, private keys); such values go in secrets.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!isType(args.type, TASK_DEFINITION)) return;
        for (const c of containers(propsOf(args))) {
            for (const env of list(c.environment) as Record<string, unknown>[]) {
                const name = str(env?.name) ?? "";
                const value = str(env?.value);
                const why = secretLookingName.test(name) ? "a credential-looking name" : value === undefined ? undefined : secretLookingValue(value);
                if (why !== undefined) {
                    report(`container ${c.name} sets ${name} in plain environment (${why}): move it to secrets (Secrets Manager or SSM Parameter Store).`);
                }
            }
            for (const prop of ["command", "entryPoint"]) {
                const why = secretInCommand(list(c[prop]).map(str).filter((a): a is string => a !== undefined));
                if (why !== undefined) report(`container ${c.name} has ${why} in its ${prop}, which anyone who can describe the task definition reads: pass it through secrets (an environment variable).`);
            }
        }
    },
};

export const fargatePlatformLatest: ResourceValidationPolicy = {
    name: "ecs-fargate-platform-latest",
    description: "Fargate services run on the LATEST platform version, which carries the security fixes.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!isType(args.type, SERVICE)) return;
        const props = propsOf(args);
        const fargate = props.launchType === "FARGATE" || list(props.capacityProviderStrategies).some((s: any) => String(s?.capacityProvider).startsWith("FARGATE"));
        const version = props.platformVersion;
        if (fargate && version !== undefined && !isUnknown(version) && version !== "LATEST") {
            report(`platformVersion is ${version}: use LATEST.`);
        }
    },
};

export const containerInsights: ResourceValidationPolicy = {
    name: "ecs-container-insights",
    description: "ECS clusters have Container Insights on.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!isType(args.type, CLUSTER)) return;
        const settings = propsOf(args).settings;
        const setting = list(settings).find((s: any) => isUnknown(s) || isUnknown(s?.name) || s?.name === "containerInsights") as Record<string, unknown> | undefined;
        if (!isUnknown(settings) && !isUnknown(setting) && !isUnknown(setting?.value) && !["enabled", "enhanced"].includes(String(setting?.value))) {
            report("Container Insights is off: add the setting containerInsights = enabled.");
        }
    },
};

export const separateRoles: StackValidationPolicy = {
    name: "ecs-separate-roles",
    description: "A task definition's execution role (ECS's) and task role (the app's) are two different roles.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const td of ofType(args.resources, TASK_DEFINITION)) {
            const execution = td.propertyDependencies?.executionRoleArn?.map((d) => d.urn) ?? [];
            const task = td.propertyDependencies?.taskRoleArn?.map((d) => d.urn) ?? [];
            const sameResource = execution.some((urn) => task.includes(urn));
            const props = propsOf(td);
            const sameValue = str(props.taskRoleArn) !== undefined && props.taskRoleArn === props.executionRoleArn;
            if (sameResource || sameValue) {
                report(`${td.name}: the execution role is also the task role: give the app a role of its own, with only what it needs.`, td.urn);
            }
        }
    },
};
