/**
 * The AWS names the program derives from the project and stack names (`<project>-<stack>`, the
 * stack's scope), and the rules AWS sets for each, so that a stack whose name would break one is
 * refused at preview, naming the stack, instead of by AWS halfway through an update. Pulumi
 * itself takes stack names of up to 100 letters, digits, "-", "_" and "." (sdk/go/common/tokens
 * stack_name.go, ParseStackName); AWS takes no "." in a task family or a dashboard name.
 */

/** Project and stack: the prefix of every name below, unique per stack in an account. */
export function stackScope(project: string, stack: string): string {
    return `${project}-${stack}`;
}

/** The ECS task definition family of the task definition component `name`. */
export function taskFamily(scope: string, name: string): string {
    return `${scope}-${name}`;
}

/** The CloudWatch dashboard's name. */
export function dashboardName(scope: string): string {
    return scope;
}

/** The saved CloudWatch Logs Insights query's name. */
export function queryDefinitionName(scope: string): string {
    return `${scope}/errors and slow requests by path`;
}

/** The app's log group's name prefix; the provider appends 26 digits (terraform's id.PrefixedUniqueId). */
export function logGroupPrefix(scope: string): string {
    return `/ecs/${scope}-`;
}

/** Digits the provider appends to a name prefix. */
const uniqueSuffixLength = 26;

/** The WAF web ACL's CloudWatch metric name. */
export function wafMetricName(scope: string): string {
    return scope;
}

/** One derived name and AWS's rule for it. */
interface NameRule {
    what: string;
    name: string;
    max: number;
    pattern: RegExp;
    allowed: string;
    /** Where AWS states the rule. */
    source: string;
}

/** Every name the program derives from `scope`, with AWS's rule. The task definition component is "app" (program.ts). */
export function scopedNames(scope: string): NameRule[] {
    return [
        {
            what: "ECS task definition family",
            name: taskFamily(scope, "app"),
            max: 255,
            pattern: /^[A-Za-z0-9_-]+$/,
            allowed: "letters, digits, _ and -",
            source: "ECS API reference, RegisterTaskDefinition, family: up to 255 letters, numbers, underscores and hyphens",
        },
        {
            what: "CloudWatch dashboard name",
            name: dashboardName(scope),
            max: 255,
            pattern: /^[A-Za-z0-9_-]+$/,
            allowed: "letters, digits, _ and -",
            source: "CloudWatch API reference, PutDashboard, DashboardName: at most 255, A-Z, a-z, 0-9, - and _",
        },
        {
            what: "CloudWatch Logs query definition name",
            name: queryDefinitionName(scope),
            max: 255,
            pattern: /^.+$/,
            allowed: "any characters",
            source: "botocore logs service-2.json, QueryDefinitionName: min 1, max 255",
        },
        {
            what: "CloudWatch log group name",
            name: `${logGroupPrefix(scope)}${"0".repeat(uniqueSuffixLength)}`,
            max: 512,
            pattern: /^[.\-_/#A-Za-z0-9]+$/,
            allowed: "letters, digits, . - _ / #",
            source: "botocore logs service-2.json, LogGroupName: min 1, max 512, pattern [\\.\\-_/#A-Za-z0-9]+",
        },
        {
            what: "WAF metric name",
            name: wafMetricName(scope),
            max: 255,
            pattern: /^[\w#:.\-/]+$/,
            allowed: "letters, digits and _ # : . - /",
            source: "botocore wafv2 service-2.json, MetricName: min 1, max 255, pattern ^[\\w#:\\.\\-/]+$",
        },
    ];
}

/** Why a stack's name cannot be used, or undefined when every name derived from it suits AWS. */
export function stackNameProblem(project: string, stack: string): string | undefined {
    const scope = stackScope(project, stack);
    for (const rule of scopedNames(scope)) {
        if (rule.name.length > rule.max) {
            return `the stack name ${JSON.stringify(stack)} is too long: the ${rule.what} would be ${rule.name.length} characters (${rule.name}); AWS takes at most ${rule.max} (${rule.source}). Use a shorter stack name.`;
        }
        if (!rule.pattern.test(rule.name)) {
            return `the stack name ${JSON.stringify(stack)} does not suit AWS: the ${rule.what} would be ${JSON.stringify(rule.name)}, and AWS takes only ${rule.allowed} (${rule.source}). Use a stack name of letters, digits, - and _.`;
        }
    }
    return undefined;
}
