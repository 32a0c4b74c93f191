/**
 * A service's CloudWatch dashboard body as plain data (the dashboard body structure of the
 * CloudWatch API reference): traffic, responses, latency, target health, tasks, CPU and memory,
 * deployments, and the alarms.
 */

/** What the dashboard shows, resolved to strings. */
export interface DashboardTargets {
    region: string;
    /** With a route: the ALB's ARN suffix and the route's target groups' (blue, then green). */
    targets?: { loadBalancer: string; targetGroups: string[] };
    cluster: string;
    service: string;
    /** ARNs of the alarms for the alarm status widget. */
    alarmArns: string[];
}

/** A metric line: namespace, name, dimension pairs, then its rendering options. */
type MetricLine = (string | Record<string, unknown>)[];

/** A time series widget at (x, y) of the 24-column grid. */
function graph(title: string, x: number, y: number, region: string, metrics: MetricLine[], yAxis?: Record<string, unknown>) {
    return { type: "metric", x, y, width: 12, height: 6, properties: { title, region, view: "timeSeries", stacked: false, period: 60, metrics, ...(yAxis ? { yAxis } : {}) } };
}

/**
 * The dashboard body of one service: with a route, its traffic, responses and latency on its own
 * target groups (one line per group: under blue/green, production moves between them) and their
 * health; then its tasks, CPU and memory, deployments, and its alarms.
 */
export function dashboardBody(t: DashboardTargets): Record<string, unknown> {
    const service = (namespace: string, metricName: string, stat: string, label: string): MetricLine => [namespace, metricName, "ClusterName", t.cluster, "ServiceName", t.service, { stat, label }];
    const percent = { left: { min: 0, max: 100, label: "%", showUnits: false } };
    const traffic = (y: number) => {
        if (t.targets === undefined) {
            return [];
        }
        const { loadBalancer, targetGroups } = t.targets;
        const perGroup = (metricName: string, stat: string, label: string): MetricLine[] =>
            targetGroups.map((tg, i) => ["AWS/ApplicationELB", metricName, "TargetGroup", tg, "LoadBalancer", loadBalancer, { stat, label: `${label}${targetGroups.length > 1 ? ` (target group ${i + 1})` : ""}` }]);
        return [
            graph("Requests per minute", 0, y, t.region, perGroup("RequestCount", "Sum", "requests")),
            graph("Responses per minute", 12, y, t.region, [
                ...perGroup("HTTPCode_Target_2XX_Count", "Sum", "2xx"),
                ...perGroup("HTTPCode_Target_4XX_Count", "Sum", "4xx"),
                ...perGroup("HTTPCode_Target_5XX_Count", "Sum", "5xx"),
            ]),
            graph("Target response time (s)", 0, y + 6, t.region, [...perGroup("TargetResponseTime", "p50", "p50"), ...perGroup("TargetResponseTime", "p99", "p99")]),
            graph("Targets", 12, y + 6, t.region, [...perGroup("HealthyHostCount", "Minimum", "healthy"), ...perGroup("UnHealthyHostCount", "Maximum", "unhealthy")]),
        ];
    };
    const y = t.targets === undefined ? 0 : 12;
    return {
        widgets: [
            ...traffic(0),
            graph("Tasks", 0, y, t.region, [
                service("ECS/ContainerInsights", "RunningTaskCount", "Average", "running"),
                service("ECS/ContainerInsights", "DesiredTaskCount", "Average", "desired"),
                service("ECS/ContainerInsights", "PendingTaskCount", "Average", "pending"),
            ]),
            graph(
                "CPU and memory (%)",
                12,
                y,
                t.region,
                [
                    service("AWS/ECS", "CPUUtilization", "Average", "CPU average"),
                    service("AWS/ECS", "CPUUtilization", "Maximum", "CPU max"),
                    service("AWS/ECS", "MemoryUtilization", "Average", "memory average"),
                    service("AWS/ECS", "MemoryUtilization", "Maximum", "memory max"),
                ],
                percent,
            ),
            graph("Deployments in progress", 0, y + 6, t.region, [service("ECS/ContainerInsights", "DeploymentCount", "Maximum", "deployments")]),
            // An alarm widget holds 1 to 100 alarms (CloudWatch dashboard body structure).
            ...(t.alarmArns.length > 0 ? [{ type: "alarm", x: 12, y: y + 6, width: 12, height: 6, properties: { title: "Alarms", alarms: t.alarmArns.slice(0, 100) } }] : []),
        ],
    };
}

/** The console address of a dashboard. */
export function dashboardUrl(region: string, name: string): string {
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${encodeURIComponent(name)}`;
}

/**
 * A Logs Insights query over the app's JSON access log (logger `app.access`, fields `path`,
 * `status`, `duration_ms`; see app/app.py): the requests answered 5xx or slower than
 * `slowMs`, counted by path and status, with their p99 and worst duration.
 */
export function errorsAndSlowRequestsQuery(slowMs: number): string {
    return [
        "fields @timestamp, method, path, status, duration_ms",
        `| filter logger = "app.access" and (status >= 500 or duration_ms >= ${slowMs})`,
        "| stats count(*) as requests, pct(duration_ms, 99) as p99_ms, max(duration_ms) as max_ms by path, status",
        "| sort requests desc",
        "| limit 50",
    ].join("\n");
}
