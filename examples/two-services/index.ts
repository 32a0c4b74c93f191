/**
 * A platform team's program on top of this one: a background worker (no load balancer, its own
 * scaling) and a second web service on /api/*, in the same cluster and behind the same load
 * balancer, each with its own target groups, alarms and dashboard. No component is edited. The
 * images stand in for yours: Python's, a loop for the worker and a static file server for the api.
 */
import * as pulumi from "@pulumi/pulumi";
import { Alarms, Dashboard, Service, TaskDefinition } from "../../components";
import { loadConfig } from "../../lib/config";
import { Addition, createStack, StackComponents } from "../../program";

const python = "public.ecr.aws/docker/library/python:3.12-slim";

export function addServices(c: StackComponents): Addition {
    const shared = { cluster: c.cluster, network: { vpcId: c.network.vpcId, subnetIds: c.network.privateSubnetIds } };
    const topicArn = c.notifications.topicArn;
    // A worker: no port, no load balancer; 1 to 3 tasks on CPU and memory.
    const job = new TaskDefinition("worker", { ...c.cluster.taskPlacement, container: { name: "worker", image: python, user: "10001", command: ["python", "-c", "import time\nwhile True: time.sleep(60)"] } });
    const worker = new Service("worker", { ...shared, taskDefinitionArn: job.arn, desiredCount: 1, minCount: 1, maxCount: 3 });
    const workerAlarms = new Alarms("worker", { service: worker, topicArn });
    new Dashboard("worker", { service: worker, alarmArns: workerAlarms.alarmArns });
    // A web service on /api/*, before the app's catch-all route; its own alarms roll it back.
    const route = c.loadBalancer.addRoute("api", { port: 8080, pathPatterns: ["/api/*"], priority: 10, healthCheckPath: "/" });
    const apiTask = new TaskDefinition("api", { ...c.cluster.taskPlacement, container: { name: "api", image: python, user: "10001", port: 8080, command: ["python", "-m", "http.server", "8080"] } });
    const [alarmNames, setAlarmNames] = pulumi.deferredOutput<string[]>();
    const api = new Service("api", { ...shared, taskDefinitionArn: apiTask.arn, containerName: "api", route, deploymentAlarmNames: alarmNames });
    const apiAlarms = new Alarms("api", { service: api, targets: route, topicArn });
    setAlarmNames(apiAlarms.deploymentAlarmNames);
    new Dashboard("api", { service: api, targets: route, alarmArns: apiAlarms.alarmArns });
    return { services: [worker, api], outputs: { workerService: worker.name, apiService: api.name } };
}

/** The stack with the two services: what `pulumi up` would run with this as its program. */
export function program(): Record<string, pulumi.Output<unknown>> {
    const stack = createStack(loadConfig(), addServices);
    return { ...stack.outputs, ...stack.added!.outputs };
}
