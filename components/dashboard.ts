import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dashboardBody, dashboardUrl, errorsAndSlowRequestsQuery } from "../lib/dashboard";
import { queryDefinitionName, stackScope } from "../lib/stackNames";
import { WatchedService, WatchedTargets } from "./alarms";

export interface DashboardArgs {
    /**
     * The service.
     */
    service: Omit<WatchedService, "clusterArn">;
    /**
     * The service's route: its traffic, responses, latency and target health.
     * @default undefined (a worker: tasks, CPU, memory, deployments and alarms only)
     */
    targets?: WatchedTargets;
    /**
     * ARNs of the alarms to show.
     * @default [] (no alarm widget entries)
     */
    alarmArns?: pulumi.Input<string[]>;
    /**
     * The service's log group, which the saved Logs Insights query reads (the app's JSON access log).
     * @default undefined (no saved query)
     */
    logGroupName?: pulumi.Input<string>;
    /**
     * Requests at least this slow (milliseconds) are listed by the saved query.
     * @default 2000
     */
    slowRequestMs?: number;
    /**
     * The dashboard's name (CloudWatch has no generated ones; at most 255 letters, digits, - and _).
     * @default `<project>-<stack>-<name>`, unique per component and stack in the account
     */
    dashboardName?: string;
    /**
     * The saved query's name.
     * @default `<project>-<stack>-<name>/errors and slow requests by path`
     */
    queryName?: string;
}

/**
 * A CloudWatch dashboard of one service (traffic, responses, latency and targets on its own target
 * groups, tasks, CPU and memory, deployments, alarms) and a saved Logs Insights query of its errors
 * and slow requests by path.
 */
export class Dashboard extends pulumi.ComponentResource {
    /** The dashboard. */
    public readonly dashboard: aws.cloudwatch.Dashboard;
    /** The dashboard's console address. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:dashboard:Dashboard", name, {}, opts);
        const scope = `${stackScope(pulumi.getProject(), pulumi.getStack())}-${name}`;
        const dashboardName = args.dashboardName ?? scope;
        if (!/^[A-Za-z0-9_-]{1,255}$/.test(dashboardName)) {
            throw new pulumi.ResourceError(`Dashboard ${name}: the name ${JSON.stringify(dashboardName)} must be 1-255 letters, digits, - and _ (CloudWatch PutDashboard)`, this);
        }
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const targets = args.targets && pulumi.all([args.targets.loadBalancerArnSuffix, pulumi.all(args.targets.targetGroupArnSuffixes)]);

        this.dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            {
                dashboardName,
                dashboardBody: pulumi
                    .all([region, targets, args.service.clusterName, args.service.name, args.alarmArns ?? []])
                    .apply(([r, t, cluster, svc, alarmArns]) =>
                        JSON.stringify(dashboardBody({ region: r, targets: t && { loadBalancer: t[0], targetGroups: t[1] }, cluster, service: svc, alarmArns })),
                    ),
            },
            { parent: this },
        );

        if (args.logGroupName !== undefined) {
            new aws.cloudwatch.QueryDefinition(
                `${name}-errors-and-slow-requests`,
                {
                    name: args.queryName ?? queryDefinitionName(scope),
                    logGroupNames: [args.logGroupName],
                    queryString: errorsAndSlowRequestsQuery(args.slowRequestMs ?? 2000),
                },
                { parent: this },
            );
        }

        this.url = pulumi.all([region, this.dashboard.dashboardName]).apply(([r, n]) => dashboardUrl(r, n));
        this.registerOutputs({ url: this.url });
    }
}
