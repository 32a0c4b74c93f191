/** IAM roles, users and policies: every way a policy reaches a principal, in one form. */
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { outsiderAllows } from "./iamEval";
import { refusedManagedPolicy } from "./managedPolicies";
import { containsUnknown, globMatches, IamStatement, isType, isUnknown, list, ofType, policyDocument, propsOf, refersTo, str } from "./util";

const ROLE = "aws:iam/role:Role";

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
    // ECS blue/green reads the listener and target groups; Describe* takes no resource-level
    // permission (Service Authorization Reference, Elastic Load Balancing V2).
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeRules",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth",
];

/** Actions that let a principal give itself (or a role it can pass) more access. */
const escalationActions = [
    "iam:PassRole",
    "iam:CreateRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
    "iam:AttachUserPolicy",
    "iam:PutUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:PutGroupPolicy",
    "iam:AddUserToGroup",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "sts:AssumeRole",
];

/** The policy documents an IAM resource carries: its own policy, or a role's inline policies. */
function documents(type: string, props: Record<string, any>): unknown[] {
    if (["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"].some((t) => isType(type, t))) {
        return [props.policy];
    }
    if (isType(type, ROLE)) {
        return isUnknown(props.inlinePolicies) ? [props.inlinePolicies] : list(props.inlinePolicies).map((p: any) => (isUnknown(p) ? p : p?.policy));
    }
    return [];
}

/** The managed policy ARNs an IAM resource attaches, whichever shape attaches them (attachments, exclusive attachments, a role's managedPolicyArns). */
export function managedPolicyArns(type: string, props: Record<string, any>): string[] {
    if (!type.startsWith("aws:iam/")) return [];
    return [props.policyArn, ...list(props.policyArns), ...list(props.managedPolicyArns)].map(str).filter((a): a is string => a !== undefined);
}

/** Whether an action pattern names a whole service or more: `*`, `service:*`, or a wildcard in the service. */
const wholeService = (action: string) => {
    const [service, name] = action.split(":");
    return name === undefined || /[*?]/.test(service) || /^[*?]+$/.test(name);
};

/** Services whose ARNs name the resource with no type before it (arn:aws:s3:::bucket, arn:aws:sqs:region:account:queue). */
const untypedArns = ["s3", "sqs", "sns"];

/**
 * Whether a resource pattern covers every resource of its kind, i.e. amounts to `*` there: `*`, a
 * wildcard partition, service or account, or a wildcard before any character of the resource's
 * name (`arn:aws:s3:::*`, `role/*`, and `role*`, which is every role as much as `role/*` is).
 */
export function unscopedResource(resource: string): boolean {
    if (/^[*?]+$/.test(resource)) return true;
    const parts = resource.split(":");
    if (parts.length < 6) return /[*?]/.test(resource);
    const [, partition, service, , account] = parts;
    if ([partition, service].some((p) => /[*?]/.test(p)) || /[*?]/.test(account)) return true;
    const rest = parts.slice(5).join(":");
    const wildcard = rest.search(/[*?]/);
    if (wildcard < 0) return false;
    // The literal text before the first wildcard must reach into the name: past the type and its separator.
    const prefix = rest.slice(0, wildcard);
    if (untypedArns.includes(service.toLowerCase())) return prefix === "";
    const separator = prefix.search(/[/:]/);
    return separator < 0 || prefix.slice(separator + 1).replace(/^[/:]+/, "") === "";
}

/**
 * Whether a statement is scoped by resource tag instead of by name (attribute-based access control):
 * a StringEquals condition on `<service>:ResourceTag/<key>` or `aws:ResourceTag/<key>` with values
 * free of wildcards (IAM user guide, "Controlling access to AWS resources using tags").
 */
function tagScoped(s: IamStatement): boolean {
    return Object.entries(s.condition.StringEquals ?? {}).some(
        ([key, value]) => /^[a-z0-9-]+:ResourceTag\/.+/i.test(key) && [value].flat().length > 0 && [value].flat().every((v) => typeof v === "string" && v !== "" && !/[*?]/.test(v)),
    );
}

/** What is wrong with one Allow statement of an identity policy, if anything. */
function problems(s: IamStatement, unscopableActions: string[]): string[] {
    if (s.effect !== "Allow") return [];
    const found: string[] = [];
    if (s.notActions.length > 0) found.push(`allows every action except ${s.notActions.join(", ")} (NotAction): name the actions instead.`);
    if (s.notResources.length > 0) found.push(`allows ${s.actions.join(", ") || "its actions"} on every resource except ${s.notResources.join(", ")} (NotResource): name the resources instead.`);
    for (const action of s.actions.filter(wholeService)) {
        found.push(`allows ${action}: name the actions the role needs.`);
    }
    const broad = tagScoped(s) || isUnknown(s.condition) || containsUnknown(s.condition?.StringEquals) ? [] : s.resources.filter(unscopedResource);
    const scopable = s.actions.filter((a) => !unscopableActions.some((u) => u.toLowerCase() === a.toLowerCase()));
    if (broad.length > 0 && scopable.length > 0) {
        found.push(`allows ${scopable.join(", ")} on ${broad.join(", ")}: name the resources.`);
    }
    const escalating = s.actions.filter((a) => /[*?]/.test(a) && !wholeService(a) && escalationActions.some((e) => globMatches(a, e)));
    if (escalating.length > 0 && (broad.length > 0 || s.resources.some((r) => /[*?]/.test(r)))) {
        found.push(`allows ${escalating.join(", ")} (which match ${escalationActions.filter((e) => escalating.some((a) => globMatches(a, e))).join(", ")}) on ${s.resources.join(", ")}: a way to more access; name the actions and the resources.`);
    }
    return found;
}

export const noWildcards: ResourceValidationPolicy = {
    name: "iam-no-wildcards",
    description:
        'IAM policies (role, user and group policies, a role\'s inline policies, customer managed policies) allow no "*", "service:*" or NotAction, no NotResource, no resource pattern amounting to every resource of its kind ("*", arn:aws:s3:::*, role/*, role*) except for actions that cannot be scoped (config unscopableActions), no wildcard matching a privilege-escalation action (iam:*Role* ...) on wildcard resources; and nothing attaches an AWS managed policy other than the scoped ones the pack knows (managedPolicies.ts; config allowedManagedPolicies) by any attachment.',
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            unscopableActions: { type: "array", items: { type: "string" }, default: defaultUnscopableActions },
            allowedManagedPolicies: { type: "array", items: { type: "string" }, default: [] },
        },
    },
    validateResource: (args, report) => {
        const { unscopableActions, allowedManagedPolicies } = args.getConfig<{ unscopableActions: string[]; allowedManagedPolicies: string[] }>();
        const props = propsOf(args);
        for (const document of documents(args.type, props)) {
            for (const s of policyDocument(document).statements) {
                problems(s, unscopableActions).forEach((p) => report(p));
            }
        }
        for (const arn of managedPolicyArns(args.type, props)) {
            const why = refusedManagedPolicy(arn, allowedManagedPolicies);
            if (why !== undefined) report(`attaches ${arn}, an AWS managed policy: ${why}; write a policy with the actions and resources needed.`);
        }
    },
};

export const noAccessKeys: ResourceValidationPolicy = {
    name: "iam-no-access-keys",
    description: "No IAM access keys: long-lived credentials; workloads use roles.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (isType(args.type, "aws:iam/accessKey:AccessKey")) {
            report("an IAM access key is a long-lived credential: give the workload a role instead.");
        }
    },
};

export const roleTrust: ResourceValidationPolicy = {
    name: "iam-role-trust",
    description: "No role's trust policy lets anyone assume it (Principal \"*\" or {\"AWS\": \"*\"}, or NotPrincipal) unless a condition limits it to known accounts or an organization.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!isType(args.type, ROLE)) return;
        for (const s of outsiderAllows(policyDocument(propsOf(args).assumeRolePolicy).statements, false)) {
            report(`the trust policy lets anyone assume the role (${s.notPrincipals ? "NotPrincipal" : "Principal *"}): name the principals, or pin them with a condition such as StringEquals aws:PrincipalOrgID (a negated operator, a wildcard value or ...IfExists does not pin them).`);
        }
    },
};

/** The role a task definition's property names: by dependency, or by a known ARN. */
function roleOf(td: PolicyResource, prop: string, roles: PolicyResource[]): PolicyResource | undefined {
    return roles.find((r) => refersTo(td, prop, r, propsOf(td)[prop], propsOf(r).arn));
}

export const taskRoleTrust: StackValidationPolicy = {
    name: "iam-task-role-trust",
    description: "A task definition's task role and execution role can be assumed by ECS tasks (ecs-tasks.amazonaws.com) and by nothing else.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const roles = ofType(args.resources, ROLE);
        for (const td of ofType(args.resources, "aws:ecs/taskDefinition:TaskDefinition")) {
            for (const [prop, what] of [
                ["taskRoleArn", "task role"],
                ["executionRoleArn", "execution role"],
            ]) {
                const role = roleOf(td, prop, roles);
                if (role === undefined) continue;
                for (const s of policyDocument(propsOf(role).assumeRolePolicy).statements.filter((st) => st.effect === "Allow")) {
                    const p = s.principals;
                    const others = p === undefined || p.anyone || p.aws.length > 0 || Object.keys(p.other).length > 0 || s.notPrincipals !== undefined;
                    if (others || p.service.some((svc) => svc !== "ecs-tasks.amazonaws.com")) {
                        report(`${role.name}, the ${what} of ${td.name}, trusts ${JSON.stringify(p ?? { NotPrincipal: s.notPrincipals })}: only ecs-tasks.amazonaws.com may assume it.`, role.urn);
                    }
                }
            }
        }
    },
};
