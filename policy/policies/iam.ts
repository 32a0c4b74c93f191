/** IAM roles and policies. */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ofType, statements } from "./util";

/** Actions that take no resource-level permission, so `Resource: "*"` is the only form AWS accepts. */
export const defaultUnscopableActions = [
    "ecr:GetAuthorizationToken",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "cloudwatch:PutMetricData",
];

/** The policy documents of an IAM resource: its policy, or a role's inline policies. */
function documents(type: string, props: Record<string, any>): unknown[] {
    switch (type) {
        case "aws:iam/rolePolicy:RolePolicy":
        case "aws:iam/policy:Policy":
        case "aws:iam/userPolicy:UserPolicy":
        case "aws:iam/groupPolicy:GroupPolicy":
            return [props.policy];
        case "aws:iam/role:Role":
            return (props.inlinePolicies ?? []).map((p: any) => p.policy);
        default:
            return [];
    }
}

export const noWildcards: ResourceValidationPolicy = {
    name: "iam-no-wildcards",
    description: 'IAM policies allow no "*" or "service:*" action, and no Resource "*" except for actions that cannot be scoped (config unscopableActions).',
    enforcementLevel: "mandatory",
    configSchema: { properties: { unscopableActions: { type: "array", items: { type: "string" }, default: defaultUnscopableActions } } },
    validateResource: (args, report) => {
        const { unscopableActions } = args.getConfig<{ unscopableActions: string[] }>();
        for (const document of documents(args.type, args.props)) {
            for (const s of statements(document).filter((st) => st.effect === "Allow")) {
                for (const action of s.actions.filter((a) => a === "*" || a.endsWith(":*"))) {
                    report(`allows ${action}: name the actions the role needs.`);
                }
                const unscoped = s.actions.filter((a) => !unscopableActions.includes(a));
                if (s.resources.includes("*") && unscoped.length > 0) {
                    report(`allows ${unscoped.join(", ")} on Resource "*": name the resources.`);
                }
            }
        }
    },
};

export const taskRoleTrust: StackValidationPolicy = {
    name: "iam-task-role-trust",
    description: "A task definition's task role can be assumed by ECS tasks (ecs-tasks.amazonaws.com) and by nothing else.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const roles = ofType(args.resources, "aws:iam/role:Role");
        for (const td of ofType(args.resources, "aws:ecs/taskDefinition:TaskDefinition")) {
            const byDependency = td.propertyDependencies?.taskRoleArn?.map((d) => d.urn) ?? [];
            const role = roles.find((r) => byDependency.includes(r.urn) || (r.props.arn !== undefined && r.props.arn === td.props.taskRoleArn));
            if (role === undefined) continue;
            for (const s of statements(role.props.assumeRolePolicy).filter((st) => st.effect === "Allow")) {
                const principal = s.principals as { Service?: string | string[] } | undefined;
                const services = principal?.Service === undefined ? [] : [principal.Service].flat();
                const others = typeof principal === "object" && principal !== null ? Object.keys(principal).filter((k) => k !== "Service") : ["*"];
                if (others.length > 0 || services.some((svc) => svc !== "ecs-tasks.amazonaws.com")) {
                    report(`${role.name}, the task role of ${td.name}, trusts ${JSON.stringify(principal)}: only ecs-tasks.amazonaws.com may assume it.`, role.urn);
                }
            }
        }
    },
};
