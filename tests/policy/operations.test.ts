import * as assert from "assert";
import * as operations from "../../policy/policies/operations";
import { ProgramRun, runStack, runWith } from "../harness";
import { fromRun, Input, violations } from "./harness";

const alarm = (props: Record<string, unknown>): Input => ({ type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "a", props });
const lb = (props: Record<string, unknown>, stack: string): Input => ({ type: "aws:lb/loadBalancer:LoadBalancer", name: "alb", stack, props: { loadBalancerType: "application", ...props } });

describe("operations policies", () => {
    let prod: ProgramRun;
    let blueGreen: ProgramRun;
    before(async () => {
        prod = await runStack("prod");
        blueGreen = await runWith({ deploymentStrategy: "blue-green" }, "prod");
    });
    const editService = (run: ProgramRun, change: (props: Record<string, any>, input: Input) => void) =>
        fromRun(run).map((r) => {
            if (r.type !== "aws:ecs/service:Service") return r;
            const copy = JSON.parse(JSON.stringify(r)) as Input;
            change(copy.props, copy);
            return copy;
        });

    describe("service-rollback-alarms", () => {
        it("passes the program's services, rolling and blue/green", async () => {
            assert.deepStrictEqual(await violations(operations.rollbackAlarms, fromRun(prod)), []);
            assert.deepStrictEqual(await violations(operations.rollbackAlarms, fromRun(blueGreen)), []);
        });

        it("reports a load-balanced service without alarms, with rollback off, or watching no alarm of the stack", async () => {
            const without = editService(prod, (p, input) => {
                delete p.alarms;
                delete input.propertyDependencies!.alarms;
            });
            const noRollback = editService(prod, (p) => {
                p.alarms.rollback = false;
            });
            const foreign = editService(prod, (p, input) => {
                p.alarms.alarmNames = ["someone-elses-alarm"];
                input.propertyDependencies!.alarms = [];
            });
            for (const inputs of [without, noRollback, foreign]) {
                assert.strictEqual((await violations(operations.rollbackAlarms, inputs)).length, 1);
            }
        });

        it("leaves a service without a load balancer alone", async () => {
            const worker: Input = { type: "aws:ecs/service:Service", name: "worker", props: { loadBalancers: [] } };
            assert.deepStrictEqual(await violations(operations.rollbackAlarms, [worker]), []);
        });
    });

    describe("alarms-notify", () => {
        it("passes every alarm of dev and prod", async () => {
            assert.deepStrictEqual(await violations(operations.alarmsNotify, fromRun(prod)), []);
            assert.deepStrictEqual(await violations(operations.alarmsNotify, fromRun(await runStack("dev"))), []);
        });

        it("reports an alarm without alarm or OK actions", async () => {
            assert.strictEqual((await violations(operations.alarmsNotify, [alarm({ alarmActions: ["arn:aws:sns:us-east-1:123456789012:t"] })])).length, 1);
            assert.strictEqual((await violations(operations.alarmsNotify, [alarm({})])).length, 2);
        });
    });

    describe("alb-access-logs", () => {
        it("passes prod, whose load balancer logs into the stack's own bucket", async () => {
            assert.deepStrictEqual(await violations(operations.accessLogs, fromRun(prod)), []);
        });

        it("reports a protected stack's load balancer without access logs, not an unprotected one's", async () => {
            assert.strictEqual((await violations(operations.accessLogs, [lb({}, "prod")])).length, 1);
            assert.strictEqual((await violations(operations.accessLogs, [lb({ accessLogs: { bucket: "b", enabled: false } }, "prod")])).length, 1);
            assert.deepStrictEqual(await violations(operations.accessLogs, [lb({}, "dev")]), []);
            assert.strictEqual((await violations(operations.accessLogs, [lb({}, "staging")], { protectedStacks: ["prod", "staging"] })).length, 1);
            assert.deepStrictEqual(await violations(operations.accessLogs, [lb({ loadBalancerType: "network" }, "prod")]), []);
        });
    });
});
