import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { flaskStopTimeoutSeconds as stopTimeoutSeconds, flaskUser as containerUser } from "../lib/flaskApp";
import { json, ProgramRun, root, runWith } from "./harness";

const taskDef = (run: ProgramRun) => run.one("aws:ecs/taskDefinition:TaskDefinition");
const container = (run: ProgramRun) => json(taskDef(run).inputs.containerDefinitions)[0];
const env = (run: ProgramRun) => Object.fromEntries(container(run).environment.map((e: any) => [e.name, e.value]));
const roleByArn = (run: ProgramRun, arn: string) => run.ofType("aws:iam/role:Role").find((r) => r.state.arn === arn)!;
const policiesOf = (run: ProgramRun, roleName: string) =>
    run.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === roleName).map((p) => json(p.inputs.policy));

/** The instructions of the Dockerfile's final stage, continuation lines joined, comments dropped. */
function finalStage(): { op: string; args: string }[] {
    const text = fs.readFileSync(path.join(root, "app", "Dockerfile"), "utf8").replace(/\\\n/g, " ");
    const instructions = text
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#"))
        .map((line) => ({ op: line.split(/\s+/)[0].toUpperCase(), args: line.slice(line.split(/\s+/)[0].length).trim() }));
    const last = instructions.map((i) => i.op).lastIndexOf("FROM");
    return instructions.slice(last);
}

/** The paths of a VOLUME instruction (JSON array or plain words). */
function volumePaths(args: string): string[] {
    return args.startsWith("[") ? JSON.parse(args) : args.split(/\s+/);
}

const secretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
const kmsArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("AppTaskDefinition component", () => {
    it("is a Fargate awsvpc task with the configured size and architecture", async () => {
        const run = await runWith({ cpu: 1024, memory: 3072, architecture: "ARM64" });
        const inputs = taskDef(run).inputs;
        assert.deepStrictEqual(inputs.requiresCompatibilities, ["FARGATE"]);
        assert.strictEqual(inputs.networkMode, "awsvpc");
        assert.deepStrictEqual([inputs.cpu, inputs.memory], ["1024", "3072"]);
        assert.deepStrictEqual(inputs.runtimePlatform, { operatingSystemFamily: "LINUX", cpuArchitecture: "ARM64" });
    });

    it("uses two different roles, both assumable only by ECS tasks", async () => {
        const run = await runWith();
        const { executionRoleArn, taskRoleArn } = taskDef(run).inputs;
        assert.notStrictEqual(executionRoleArn, taskRoleArn);
        for (const arn of [executionRoleArn, taskRoleArn]) {
            const trust = json(roleByArn(run, arn).inputs.assumeRolePolicy);
            assert.deepStrictEqual(trust.Statement.map((s: any) => s.Principal), [{ Service: "ecs-tasks.amazonaws.com" }]);
        }
        const taskTrust = json(roleByArn(run, taskRoleArn).inputs.assumeRolePolicy);
        assert.deepStrictEqual(taskTrust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
    });

    it("the execution role has the ECS managed policy and, without secrets, nothing else", async () => {
        const run = await runWith();
        const execution = roleByArn(run, taskDef(run).inputs.executionRoleArn);
        const attached = run.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === execution.state.name);
        assert.deepStrictEqual(
            attached.map((a) => a.inputs.policyArn),
            ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
        );
        assert.deepStrictEqual(policiesOf(run, execution.state.name), []);
        // Otherwise the first tasks may start before ECS is allowed to pull their image.
        assert.ok(taskDef(run).dependencies.includes(attached[0].urn), "the task definition waits for the grant");
    });

    it("the execution role reads exactly the declared secrets and their KMS key, and the task waits for that grant", async () => {
        const run = await runWith({ secrets: [`DB_PASSWORD=${secretArn}:password::`], secretsKmsKeyArn: kmsArn });
        const execution = roleByArn(run, taskDef(run).inputs.executionRoleArn);
        const [policy] = policiesOf(run, execution.state.name);
        assert.deepStrictEqual(
            policy.Statement.map((s: any) => [s.Action, s.Resource]),
            [
                ["secretsmanager:GetSecretValue", [secretArn]],
                ["kms:Decrypt", kmsArn],
            ],
        );
        assert.deepStrictEqual(container(run).secrets, [{ name: "DB_PASSWORD", valueFrom: `${secretArn}:password::` }]);
        const grant = run.one("aws:iam/rolePolicy:RolePolicy", "-execution-secrets");
        assert.ok(taskDef(run).dependencies.includes(grant.urn));
    });

    it("the task role reaches only the app's bucket: bucket actions on the bucket, object actions on its objects", async () => {
        const run = await runWith();
        const bucket = run.one("aws:s3/bucket:Bucket", "files-bucket").state;
        const taskRole = roleByArn(run, taskDef(run).inputs.taskRoleArn);
        const policies = policiesOf(run, taskRole.state.name);
        assert.strictEqual(policies.length, 1);
        const statements = policies[0].Statement;
        const resources = statements.flatMap((s: any) => [s.Resource].flat());
        assert.deepStrictEqual(resources.sort(), [bucket.arn, `${bucket.arn}/*`]);
        for (const s of statements) {
            for (const action of [s.Action].flat() as string[]) {
                assert.ok(!action.includes("*"), `wildcard action ${action}`);
            }
        }
        assert.deepStrictEqual(
            run.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === taskRole.state.name),
            [],
        );
        assert.strictEqual(env(run).BUCKET_NAME, bucket.bucket);
    });

    it("logs with awslogs to the log group it creates, in the stack's region, with the configured retention", async () => {
        const run = await runWith({ logRetentionDays: 14 });
        const logGroup = run.one("aws:cloudwatch/logGroup:LogGroup");
        assert.strictEqual(logGroup.inputs.retentionInDays, 14);
        const { logDriver, options } = container(run).logConfiguration;
        assert.strictEqual(logDriver, "awslogs");
        assert.strictEqual(options["awslogs-group"], logGroup.state.name);
        assert.strictEqual(options["awslogs-region"], "us-east-1");
        assert.strictEqual(run.outputs.logGroupName, logGroup.state.name);
    });

    it("maps the container port one to one over tcp and tells the app its port and health path", async () => {
        const run = await runWith({ containerPort: 9090, healthCheckPath: "/ready" });
        assert.deepStrictEqual(container(run).portMappings, [{ containerPort: 9090, hostPort: 9090, protocol: "tcp" }]);
        assert.strictEqual(env(run).PORT, "9090");
        assert.strictEqual(env(run).HEALTH_PATH, "/ready");
        assert.deepStrictEqual(container(run).healthCheck.command, ["CMD", "python", "/app/healthcheck.py"]);
    });

    it("passes config environment through, alongside the variables the program sets", async () => {
        const run = await runWith({ environment: ["LOG_LEVEL=warning", "FEATURE_X=on"] });
        const vars = env(run);
        assert.strictEqual(vars.LOG_LEVEL, "warning");
        assert.strictEqual(vars.FEATURE_X, "on");
        assert.strictEqual(vars.APP_STACK, "test");
        assert.match(vars.APP_VERSION, /^build-[0-9a-f]{16}$/);
    });

    it("runs as the image's non-root user on a read-only root filesystem with a writable /tmp", async () => {
        const run = await runWith();
        const c = container(run);
        assert.strictEqual(c.user, containerUser);
        assert.notStrictEqual(c.user.split(":")[0], "0");
        assert.strictEqual(c.readonlyRootFilesystem, true);
        assert.deepStrictEqual(c.mountPoints, [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
        assert.deepStrictEqual(taskDef(run).inputs.volumes, [{ name: "tmp" }]);
        const dockerfile = fs.readFileSync(path.join(root, "app", "Dockerfile"), "utf8");
        assert.match(dockerfile, new RegExp(`^USER ${containerUser}$`, "m"), "the Dockerfile's USER is the task's user");
    });

    // Amazon ECS developer guide, "Use bind mounts with Amazon ECS": on Fargate an empty bind mount is a
    // root-owned directory; the image's directory (with its owner) is copied in only when the
    // Dockerfile declares a VOLUME at the same containerPath.
    for (const enableExecuteCommand of [false, true]) {
        it(`exec ${enableExecuteCommand ? "on" : "off"}: mounts exactly the Dockerfile's VOLUMEs, each created for the task's user before it is declared`, async () => {
            const run = await runWith({ enableExecuteCommand });
            const stage = finalStage();
            const volumes = stage.filter((i) => i.op === "VOLUME").flatMap((i) => volumePaths(i.args));
            const mounts = container(run).mountPoints;
            assert.deepStrictEqual(mounts.map((m: any) => m.containerPath).sort(), [...volumes].sort());
            assert.deepStrictEqual(taskDef(run).inputs.volumes.map((v: any) => v.name).sort(), mounts.map((m: any) => m.sourceVolume).sort());
            assert.ok(mounts.every((m: any) => m.readOnly === false));
            const firstVolume = stage.findIndex((i) => i.op === "VOLUME");
            for (const dir of volumes) {
                const owned = stage
                    .slice(0, firstVolume)
                    .some((i) => i.op === "RUN" && new RegExp(`chown ${containerUser} (\\S+ )*${dir}( |$)`).test(i.args));
                assert.ok(owned, `the Dockerfile chowns ${dir} to ${containerUser} before its VOLUME (changes after a VOLUME are discarded)`);
            }
        });
    }

    it("tells gunicorn the task's CPU and memory, and a keep-alive longer than the load balancer's idle timeout", async () => {
        const run = await runWith({ cpu: 1024, memory: 2048, idleTimeout: 120 });
        assert.strictEqual(env(run).TASK_CPU, "1024");
        assert.strictEqual(env(run).TASK_MEMORY_MIB, "2048");
        assert.strictEqual(env(run).TASK_MEMORY_MIB, taskDef(run).inputs.memory);
        assert.ok(Number(env(run).KEEPALIVE_SECONDS) > run.one("aws:lb/loadBalancer:LoadBalancer").inputs.idleTimeout);
        const conf = fs.readFileSync(path.join(root, "app", "gunicorn.conf.py"), "utf8");
        assert.match(conf, /keepalive = int\(os\.environ\.get\("KEEPALIVE_SECONDS"/);
        assert.match(conf, /task_budget\(\)/);
        const runtime = fs.readFileSync(path.join(root, "app", "runtime.py"), "utf8");
        assert.match(runtime, /"TASK_CPU"/);
        assert.match(runtime, /"TASK_MEMORY_MIB"/);
    });

    it("gives gunicorn time to finish in-flight requests before ECS kills the container", async () => {
        const run = await runWith();
        const conf = fs.readFileSync(path.join(root, "app", "gunicorn.conf.py"), "utf8");
        const graceful = Number(/^graceful_timeout\s*=\s*(\d+)/m.exec(conf)![1]);
        assert.strictEqual(container(run).stopTimeout, stopTimeoutSeconds);
        assert.ok(graceful < stopTimeoutSeconds, `gunicorn graceful_timeout ${graceful} < stopTimeout ${stopTimeoutSeconds}`);
        assert.ok(stopTimeoutSeconds <= 120, "Fargate caps stopTimeout at 120 s");
    });
});
