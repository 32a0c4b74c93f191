/**
 * A platform team's program on top of this one: a background worker (no load balancer, its own
 * scaling) and a second web service on /api/*, in the same cluster and behind the same load
 * balancer, each with its own target groups, alarms and dashboard. No component is edited.
 */
import * as pulumi from "@pulumi/pulumi";
import { Alarms, Dashboard, Service, TaskDefinition } from "../../components";
import { loadConfig } from "../../lib/config";
import { createStack, Stack } from "../../program";

export function addServices({ components: c }: Stack): Record<string, pulumi.Output<string>> {
    const shared = { cluster: c.cluster, network: { vpcId: c.network.vpcId, subnetIds: c.network.privateSubnetIds } };
    const topicArn = c.notifications.topicArn;
    // A worker (the app's image stands in for yours): no port, no load balancer; 1 to 3 tasks.
    const user = "10001:10001";
    const job = new TaskDefinition("worker", { container: { name: "worker", image: c.image.imageRef, user, command: ["python", "-m", "jobs"] } });
    const worker = new Service("worker", { ...shared, taskDefinitionArn: job.arn, desiredCount: 1, minCount: 1, maxCount: 3 });
    const workerAlarms = new Alarms("worker", { service: worker, topicArn });
    new Dashboard("worker", { service: worker, alarmArns: workerAlarms.alarmArns, logGroupName: job.logGroupName });
    // A second web service on /api/*, before the app's catch-all route; its own alarms roll it back.
    const route = c.loadBalancer.addRoute("api", { port: 8080, pathPatterns: ["/api/*"], priority: 10, healthCheckPath: "/api/healthz" });
    const apiTask = new TaskDefinition("api", { container: { name: "api", image: c.image.imageRef, user, port: 8080 } });
    const [alarmNames, setAlarmNames] = pulumi.deferredOutput<string[]>();
    const api = new Service("api", { ...shared, taskDefinitionArn: apiTask.arn, containerName: "api", route, deploymentAlarmNames: alarmNames });
    const apiAlarms = new Alarms("api", { service: api, targets: route, topicArn });
    setAlarmNames(apiAlarms.deploymentAlarmNames);
    new Dashboard("api", { service: api, targets: route, alarmArns: apiAlarms.alarmArns, logGroupName: apiTask.logGroupName });
    return { workerService: worker.name, apiService: api.name };
}

/** The stack, then the two services: what `pulumi up` would run with this as its program. */
export function program(): Record<string, pulumi.Output<unknown>> {
    const stack = createStack(loadConfig());
    return { ...stack.outputs, ...addServices(stack) };
}
