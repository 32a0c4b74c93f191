import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaultSettings } from "../lib/config";
import { dashboardBody, dashboardUrl, errorsAndSlowRequestsQuery } from "../lib/dashboard";
import { LoadBalancer } from "./loadBalancer";
import { AppService } from "./service";
import { dashboardName, queryDefinitionName, stackScope } from "../lib/stackNames";

export interface DashboardArgs {
    /**
     * The load balancer in front of the service.
     */
    loadBalancer: LoadBalancer;
    /**
     * The service.
     */
    service: AppService;
    /**
     * ARNs of the alarms to show.
     * @default [] (no alarm widget entries)
     */
    alarmArns?: pulumi.Input<string[]>;
    /**
     * The app's log group, which the saved Logs Insights query reads.
     */
    logGroupName: pulumi.Input<string>;
    /**
     * Requests at least this slow (milliseconds) are listed by the saved query.
     * @default Pulumi.yaml's default of the `alarmLatencyMs` setting
     */
    slowRequestMs?: number;
}

/**
 * A CloudWatch dashboard of the stack (traffic, responses, latency, targets, tasks, CPU and memory,
 * deployments, alarms) and a saved Logs Insights query of the app's errors and slow requests by path.
 */
export class Dashboard extends pulumi.ComponentResource {
    /** The dashboard's console address. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:dashboard:Dashboard", name, {}, opts);
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const { loadBalancer: lb, service } = args;

        // CloudWatch has no generated dashboard names; project and stack make it unique in the account.
        const dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            {
                dashboardName: dashboardName(stackScope(pulumi.getProject(), pulumi.getStack())),
                dashboardBody: pulumi
                    .all([region, lb.arnSuffix, pulumi.all(lb.targetGroupArnSuffixes), service.clusterName, service.name, args.alarmArns ?? []])
                    .apply(([r, loadBalancer, targetGroups, cluster, svc, alarmArns]) =>
                        JSON.stringify(dashboardBody({ region: r, loadBalancer, targetGroups, cluster, service: svc, alarmArns })),
                    ),
            },
            { parent: this },
        );

        new aws.cloudwatch.QueryDefinition(
            `${name}-errors-and-slow-requests`,
            {
                name: queryDefinitionName(stackScope(pulumi.getProject(), pulumi.getStack())),
                logGroupNames: [args.logGroupName],
                queryString: errorsAndSlowRequestsQuery(args.slowRequestMs ?? defaultSettings.alarms.latencyMs),
            },
            { parent: this },
        );

        this.url = pulumi.all([region, dashboard.dashboardName]).apply(([r, n]) => dashboardUrl(r, n));
        this.registerOutputs({ url: this.url });
    }
}
