import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { configSchema, loadConfig, parseConfig, stackConfig } from "../lib/config";
import { configSections, readProjectSettings } from "../lib/configSchema";
import { cliSettings, committedStack, root } from "./harness";

/** Validates a stack file that sets `settings`, loaded as the CLI loads it (defaults merged, types checked). */
const parse = (settings: Record<string, unknown>) => parseConfig(cliSettings(settings), "us-east-1");

const project = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"));
const stackFiles = fs.readdirSync(root).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));

describe("config", () => {
    it("the settings' types, descriptions and defaults come from Pulumi.yaml alone", () => {
        const declared = Object.fromEntries(Object.entries(project.config).filter(([key]) => !key.includes(":")));
        assert.deepStrictEqual(configSchema, declared);
        const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "config-")), "Pulumi.yaml");
        try {
            fs.writeFileSync(broken, YAML.stringify({ ...project, config: { ...declared, cpu: undefined, cpus: declared.cpu } }));
            assert.throws(() => readProjectSettings(broken), /must declare exactly the program's settings; missing: \[cpu\], unknown: \[cpus\]/);
        } finally {
            fs.rmSync(path.dirname(broken), { recursive: true });
        }
    });

    it("Pulumi.yaml's `# Section:` comments group every setting once, in the file's order", () => {
        assert.deepStrictEqual(
            configSections.flatMap((section) => section.keys),
            Object.keys(project.config).filter((key) => !key.includes(":")),
        );
        assert.ok(configSections.every((section) => section.title !== "" && section.keys.length > 0));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-"));
        try {
            // The same declarations without their comments: the first setting has no section.
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify(project));
            assert.throws(() => readProjectSettings(path.join(dir, "Pulumi.yaml")), /Pulumi.yaml: cpu comes before the first "# Section: <title>" comment/);
        } finally {
            fs.rmSync(dir, { recursive: true });
        }
    });

    // The CLI puts every declared default into the stack's config before the program runs
    // (pulumi/pulumi pkg/v3 workspace/config.go, mergeConfig), so a key the stack file lacks reaches
    // the program as if the user had set it to its default.
    it("every committed stack loads as the CLI hands it over: all declared keys present, defaults merged", () => {
        for (const stack of ["dev", "prod"]) {
            const config = stackConfig(stack);
            assert.deepStrictEqual(
                Object.keys(configSchema).filter((key) => !(`flask-fargate:${key}` in config)),
                [],
                `${stack}: keys the CLI would add`,
            );
            assert.doesNotThrow(() => committedStack(stack), stack);
        }
    });

    it("a setting for another capacity or network is refused only when changed from its default", () => {
        assert.strictEqual(parse({ capacity: "fargate-spot", ec2InstanceTypes: configSchema.ec2InstanceTypes.default }).capacity.kind, "fargate-spot");
        assert.throws(() => parse({ capacity: "fargate-spot", ec2InstanceTypes: ["t3.large"] }), /flask-fargate:ec2InstanceTypes is \["t3.large"\]; it applies only when flask-fargate:capacity is ec2 \(it is fargate-spot\)/);
        const vpc = { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"], privateSubnetIds: ["subnet-0b0b0b0b0b0b0b0b1", "subnet-0b0b0b0b0b0b0b0b2"] };
        assert.strictEqual(parse(vpc).network.vpcId, vpc.vpcId);
        assert.throws(() => parse({ ...vpc, availabilityZones: 3 }), /flask-fargate:availabilityZones is 3; it applies only to a VPC this program creates/);
    });

    it("refuses a stack value of the wrong type with the CLI's own message", () => {
        for (const [settings, message] of [
            [{ cpu: "abc" }, /Stack 'test' with configuration key 'cpu' must be of type 'integer'/],
            [{ cpu: 1.5 }, /Stack 'test' with configuration key 'cpu' must be of type 'integer'/],
            [{ protectData: "yes" }, /Stack 'test' with configuration key 'protectData' must be of type 'boolean'/],
            [{ secrets: "A=arn:aws:ssm:us-east-1:123456789012:parameter/a" }, /Stack 'test' with configuration key 'secrets' must be of type 'array<string>'/],
            [{ ingressCidrs: [10] }, /Stack 'test' with configuration key 'ingressCidrs' must be of type 'array<string>'/],
        ] as const) {
            assert.throws(() => cliSettings(settings), message);
        }
    });

    it("applies every default when the stack sets nothing", () => {
        assert.deepStrictEqual(parse({}), {
            region: "us-east-1",
            cpu: 256,
            memory: 512,
            architecture: "X86_64",
            containerPort: 8000,
            desiredCount: 2,
            minCount: 2,
            maxCount: 4,
            capacity: { kind: "fargate" },
            logRetentionDays: 30,
            image: undefined,
            buildOnPreview: true,
            keepImages: 10,
            environment: {},
            secrets: {},
            secretsKmsKeyArn: undefined,
            apiKeysSecretArn: undefined,
            publicRead: false,
            protectData: true,
            healthCheckPath: "/healthz",
            network: { availabilityZones: 2, natGateways: "one-per-az", vpcEndpoints: false, natInstanceAmi: undefined },
            ingressCidrs: ["0.0.0.0/0"],
            idleTimeout: 60,
            accessLogs: true,
            accessLogsBucket: undefined,
            domain: undefined,
            healthCheckInterval: 10,
            healthyThreshold: 2,
            deregistrationDelay: 30,
            deploymentMinHealthyPercent: 100,
            deploymentMaxPercent: 200,
            applyDesiredCount: false,
            enableExecuteCommand: false,
            deployment: { strategy: "rolling" },
            alarms: { errorRatePercent: 5, minRequests: 10, latencyMs: 2000, utilizationPercent: 90, evaluationMinutes: 3 },
            notifications: { emails: [], httpsEndpoints: [] },
            waf: { rateLimit: 1000, maxUploadBytes: 10485760 },
        });
    });

    it("reads values as the CLI hands them over (strings) and as YAML files hold them", () => {
        const fromCli = parseConfig({ cpu: "1024", memory: "2048", protectData: "false", environment: '["A=1"]' }, "us-east-1");
        const fromYaml = parse({ cpu: 1024, memory: 2048, protectData: false, environment: ["A=1"] });
        assert.deepStrictEqual(fromCli, fromYaml);
        assert.deepStrictEqual(fromCli.environment, { A: "1" });
    });

    const bad: [string, Record<string, unknown>, RegExp][] = [
        ["a CPU value Fargate lacks", { cpu: 100 }, /flask-fargate:cpu is 100/],
        ["a memory size the CPU value does not take", { cpu: 256, memory: 4096 }, /flask-fargate:memory is 4096/],
        ["a port below 1024", { containerPort: 80 }, /flask-fargate:containerPort is 80; allowed: 1024 to 65535/],
        ["a port above 65535", { containerPort: 70000 }, /flask-fargate:containerPort is 70000/],
        ["a fractional count", { desiredCount: "1.5" }, /configuration key 'desiredCount' must be of type 'integer'/],
        ["a negative count", { minCount: -1 }, /flask-fargate:minCount is -1/],
        ["min above max", { minCount: 5, maxCount: 4, desiredCount: 4 }, /flask-fargate:minCount is 5; it must not exceed flask-fargate:maxCount \(4\)/],
        ["desired above max", { desiredCount: 9 }, /flask-fargate:desiredCount is 9; it must lie between/],
        ["desired below min", { desiredCount: 1 }, /flask-fargate:desiredCount is 1; it must lie between flask-fargate:minCount \(2\)/],
        ["a retention CloudWatch refuses", { logRetentionDays: 10 }, /flask-fargate:logRetentionDays is 10; allowed: 0, 7, 14, 30/],
        // The policy pack's logs-retention keeps logs at least 7 days: a day's retention would pass
        // the config and then stop every preview on the pack.
        ["a retention the policy pack refuses", { logRetentionDays: 3 }, /flask-fargate:logRetentionDays is 3; allowed: 0, 7, 14/],
        // The pack's service-deployment-safety: with no bake time blue goes as traffic moves.
        ["a blue/green deployment with no bake time", { deploymentStrategy: "blue-green", bakeTimeMinutes: 0 }, /flask-fargate:bakeTimeMinutes is 0; allowed: 1 to 1440 minutes/],
        ["an unknown architecture", { architecture: "arm64" }, /flask-fargate:architecture is "arm64"; allowed: X86_64, ARM64/],
        ["an unknown capacity", { capacity: "spot" }, /flask-fargate:capacity is "spot"; allowed: fargate, fargate-spot, ec2/],
        ["Spot weights with on-demand capacity", { spotWeight: 2 }, /flask-fargate:spotWeight is 2; it applies only when flask-fargate:capacity is fargate-spot \(it is fargate\)/],
        ["instance types without EC2 capacity", { capacity: "fargate-spot", ec2InstanceTypes: ["t3.large"] }, /flask-fargate:ec2InstanceTypes is \["t3.large"\]; it applies only when flask-fargate:capacity is ec2/],
        ["both Spot mix weights 0", { capacity: "fargate-spot", onDemandWeight: 0, spotWeight: 0 }, /flask-fargate:spotWeight is 0; .*at least one must be above 0/],
        ["an instance type this program does not know", { capacity: "ec2", ec2InstanceTypes: ["p5.48xlarge"] }, /flask-fargate:ec2InstanceTypes is "p5.48xlarge"; each entry must be t, m, c or r instance types/],
        ["an x86 instance for ARM64 tasks", { capacity: "ec2", architecture: "ARM64", ec2InstanceTypes: ["m7i.large"] }, /flask-fargate:ec2InstanceTypes is "m7i.large"; flask-fargate:architecture is ARM64: use Graviton types/],
        ["a Graviton instance for x86 tasks", { capacity: "ec2", ec2InstanceTypes: ["m7g.large"] }, /flask-fargate:ec2InstanceTypes is "m7g.large"; flask-fargate:architecture is X86_64: use x86 types/],
        ["an instance too small for the task", { capacity: "ec2", cpu: 1024, memory: 4096, ec2InstanceTypes: ["t3.medium"] }, /flask-fargate:ec2InstanceTypes is "t3.medium"; t3.medium has 4096 MiB, of which about 3584 MiB are left for tasks, less than the task's 4096/],
        ["an instance with too few vCPUs", { capacity: "ec2", cpu: 4096, memory: 8192, ec2InstanceTypes: ["m7i.large"] }, /m7i.large has 2 vCPU \(2048 units\), less than the task's 4096/],
        ["more instances at least than at most", { capacity: "ec2", ec2MinSize: 5, ec2MaxSize: 2 }, /flask-fargate:ec2MinSize is 5; it must not exceed flask-fargate:ec2MaxSize \(2\)/],
        ["a target capacity above 100 %", { capacity: "ec2", ec2TargetCapacity: 120 }, /flask-fargate:ec2TargetCapacity is 120; allowed: 1 to 100 \(percent\)/],
                ["a malformed image", { image: "not an image" }, /flask-fargate:image is "not an image"/],
        ["an environment entry without =", { environment: ["FOO"] }, /flask-fargate:environment is "FOO"; each entry must be NAME=value/],
        ["a credential in plain environment", { environment: ["DB_PASSWORD=x"] }, /flask-fargate:environment is "DB_PASSWORD".*flask-fargate:secrets/],
        ["a short credential name in plain environment", { environment: ["DB_PASS=x"] }, /flask-fargate:environment is "DB_PASS".*flask-fargate:secrets/],
        ["a URL with a password in plain environment", { environment: ["DATABASE_URL=postgres://app:hunter2@db:5432/app"] }, /flask-fargate:environment is "DATABASE_URL"; its value looks like a URL with a password/],
        ["an AWS key id in plain environment", { environment: ["UPLOADER=ASIAIOSFODNN7EXAMPLE"] }, /flask-fargate:environment is "UPLOADER"; its value looks like an AWS access key id/],
        ["a variable the program sets", { environment: ["BUCKET_NAME=x"] }, /BUCKET_NAME is set by the program itself/],
        ["a secret that is not an ARN", { secrets: ["DB_PASSWORD=hunter2"] }, /flask-fargate:secrets is "DB_PASSWORD=hunter2"/],
        // IAM matches a Secrets Manager ARN whole, and AWS appends 6 characters to the secret's name:
        // without them the execution role could read nothing and the task would never start.
        ["a Secrets Manager ARN without the 6 characters AWS adds to the name", { secrets: ["DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db"] }, /flask-fargate:secrets is "DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:prod\/db"; each value must be a Secrets Manager secret's full ARN, ending in the 6 characters AWS adds/],
        ["an API keys ARN without the 6 characters AWS adds to the name", { apiKeysSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-keys" }, /flask-fargate:apiKeysSecretArn is "arn:aws:secretsmanager:.*:secret:api-keys"; it must be a Secrets Manager secret's full ARN/],
        // CreateTargetGroup HealthCheckPath: at most 1024 characters (botocore elbv2, Path).
        ["a health path longer than a target group takes", { healthCheckPath: `/${"a".repeat(1024)}` }, /flask-fargate:healthCheckPath is "\/a+\.\.\."; it must be a URL path of at most 1024 characters.*\(it has 1025 characters\)/],
        // Amazon ECS service quotas: 5,000 tasks per service.
        ["more tasks than ECS runs in one service", { maxCount: 5001 }, /flask-fargate:maxCount is 5001; allowed: 0 to 5000 tasks/],
        ["an image reference longer than ECS takes", { image: `${"a".repeat(250)}/app:v1` }, /flask-fargate:image is "a+.*it must be an image reference of at most 255 characters/],
        ["a KMS key that is not an ARN", { secretsKmsKeyArn: "alias/mine" }, /flask-fargate:secretsKmsKeyArn is "alias\/mine"/],
        ["a health path without /", { healthCheckPath: "healthz" }, /flask-fargate:healthCheckPath is "healthz"/],
        ["a misspelt key", { desiredcount: 2 }, /flask-fargate:desiredcount is not a setting of this program; known settings: cpu, memory/],
        ["one availability zone", { availabilityZones: 1 }, /flask-fargate:availabilityZones is 1; allowed: 2 to 6/],
        ["an unknown NAT strategy", { natGateways: "two" }, /flask-fargate:natGateways is "two"; allowed: one-per-az, single, instance, none/],
        ["no NAT and no endpoints", { natGateways: "none" }, /flask-fargate:natGateways is "none"; tasks in private subnets need NAT or VPC endpoints/],
        ["a malformed VPC id", { vpcId: "my-vpc" }, /flask-fargate:vpcId is "my-vpc"/],
        ["subnets without a VPC", { privateSubnetIds: ["subnet-0123456789abcdef0"] }, /flask-fargate:publicSubnetIds|flask-fargate:privateSubnetIds is \["subnet-0123456789abcdef0"\]; subnets are used only with flask-fargate:vpcId/],
        ["a VPC with one private subnet", { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"], privateSubnetIds: ["subnet-0b0b0b0b0b0b0b0b1"] }, /flask-fargate:privateSubnetIds is \["subnet-0b0b0b0b0b0b0b0b1"\]; with flask-fargate:vpcId, give at least two different subnets/],
        ["a VPC with a malformed subnet", { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["public-a", "subnet-0a0a0a0a0a0a0a0a2"], privateSubnetIds: [] }, /flask-fargate:publicSubnetIds is "public-a"/],
        ["a subnet both public and private", { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"], privateSubnetIds: ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0b0b0b0b0b0b0b0b2"] }, /flask-fargate:privateSubnetIds is "subnet-0a0a0a0a0a0a0a0a1"; a subnet cannot be both/],
        ["NAT settings with an existing VPC", { vpcId: "vpc-0123456789abcdef0", natGateways: "single" }, /flask-fargate:natGateways is "single"; it applies only to a VPC this program creates/],
        ["a CIDR that is not one", { ingressCidrs: ["10.0.0.0/33"] }, /flask-fargate:ingressCidrs is "10.0.0.0\/33"; each entry must be a CIDR block/],
        ["no ingress CIDR at all", { ingressCidrs: [] }, /flask-fargate:ingressCidrs is \[\]/],
        ["an idle timeout of 0", { idleTimeout: 0 }, /flask-fargate:idleTimeout is 0; allowed: 1 to 4000 seconds/],
        ["an access log bucket name S3 refuses", { accessLogsBucket: "My_Logs" }, /flask-fargate:accessLogsBucket is "My_Logs"/],
        ["a domain without its zone", { domainName: "app.example.com" }, /flask-fargate:domainName is "app.example.com"; HTTPS needs the domain's Route 53 zone/],
        ["a zone without a domain", { hostedZoneId: "Z0123456789ABCDEFGHIJ" }, /flask-fargate:hostedZoneId is "Z0123456789ABCDEFGHIJ"; it is used only with flask-fargate:domainName/],
        ["a domain that is not a DNS name", { domainName: "https://app", hostedZoneId: "Z0123456789ABCDEFGHIJ" }, /flask-fargate:domainName is "https:\/\/app"/],
        // ACM API reference, RequestCertificate DomainName: at most 64 octets (the certificate's Common Name, RFC 5280).
        ["a domain longer than ACM's 64 characters", { domainName: `${"a".repeat(53)}.example.com`, hostedZoneId: "Z0123456789ABCDEFGHIJ" }, /flask-fargate:domainName is "a{53}\.example\.com"; it must be a lowercase DNS name of at most 64 characters \(an ACM certificate's limit\).* \(it has 65 characters\)/],
        ["a health check interval not above its timeout", { healthCheckInterval: 5 }, /flask-fargate:healthCheckInterval is 5; allowed: 6 to 300 seconds/],
        ["a healthy threshold of 1", { healthyThreshold: 1 }, /flask-fargate:healthyThreshold is 1; allowed: 2 to 10/],
        ["a negative deregistration delay", { deregistrationDelay: -1 }, /flask-fargate:deregistrationDelay is -1/],
        ["a rollout that can move no task", { deploymentMinHealthyPercent: 100, deploymentMaxPercent: 100 }, /flask-fargate:deploymentMaxPercent is 100; it must exceed flask-fargate:deploymentMinHealthyPercent \(100\)/],
        ["a rollout that is stuck at a count autoscaling reaches", { minCount: 1, desiredCount: 2, maxCount: 4, deploymentMaxPercent: 150 }, /flask-fargate:deploymentMaxPercent is 150; with flask-fargate:deploymentMinHealthyPercent 100, a rolling deployment of 1 task \(autoscaling runs 1 to 4\) can neither start nor stop a task/],
        ["a rollout ceiling above 200 %", { deploymentMaxPercent: 250 }, /flask-fargate:deploymentMaxPercent is 250; allowed: 100 to 200/],
        ["an access log bucket with access logs off", { accessLogs: false, accessLogsBucket: "my-logs" }, /flask-fargate:accessLogsBucket is "my-logs"; it applies only when flask-fargate:accessLogs is true/],
        ["an unknown deployment strategy", { deploymentStrategy: "canary" }, /flask-fargate:deploymentStrategy is "canary"; allowed: rolling, blue-green/],
        ["a bake time with rolling deployments", { bakeTimeMinutes: 10 }, /flask-fargate:bakeTimeMinutes is 10; it applies only when flask-fargate:deploymentStrategy is blue-green/],
        ["a bake time ECS refuses", { deploymentStrategy: "blue-green", bakeTimeMinutes: 1441 }, /flask-fargate:bakeTimeMinutes is 1441; allowed: 1 to 1440 minutes/],
        ["an alarm email that is not an address", { alarmEmails: ["ops"] }, /flask-fargate:alarmEmails is "ops"; each entry must be an email address/],
        ["a plain-http alarm endpoint", { alarmHttpsEndpoints: ["http://hooks.example.com/x"] }, /flask-fargate:alarmHttpsEndpoints is "http:\/\/hooks.example.com\/x"; each entry must be an https:\/\/ URL/],
        ["an error rate of 0 %", { alarmErrorRatePercent: 0 }, /flask-fargate:alarmErrorRatePercent is 0; allowed: 1 to 100/],
        ["an alarm that never waits", { alarmEvaluationMinutes: 0 }, /flask-fargate:alarmEvaluationMinutes is 0; allowed: 1 to 30 minutes/],
    ];
    for (const [what, raw, message] of bad) {
        it(`rejects ${what}, naming the key`, () => {
            assert.throws(() => parse(raw), message);
        });
    }

    it("refuses a stack without an AWS region, naming aws:region", () => {
        assert.throws(() => parseConfig({}, undefined), /aws:region is ""; set the stack's AWS region/);
    });

    it("accepts an existing VPC with two public and two private subnets", () => {
        const network = parse({
            vpcId: "vpc-0123456789abcdef0",
            publicSubnetIds: ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"],
            privateSubnetIds: ["subnet-0b0b0b0b0b0b0b0b1", "subnet-0b0b0b0b0b0b0b0b2"],
        }).network;
        assert.strictEqual(network.vpcId, "vpc-0123456789abcdef0");
    });

    it("accepts IPv4 and IPv6 CIDR blocks, and HTTPS with both domain and zone", () => {
        assert.strictEqual(parse({ domainName: `${"a".repeat(52)}.example.com`, hostedZoneId: "Z0123456789ABCDEFGHIJ" }).domain?.domainName.length, 64);
        const config = parse({ ingressCidrs: ["203.0.113.0/24", "2001:db8::/32"], domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" });
        assert.deepStrictEqual(config.ingressCidrs, ["203.0.113.0/24", "2001:db8::/32"]);
        assert.deepStrictEqual(config.domain, { domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" });
    });

    it("accepts secrets from Secrets Manager (with a JSON key) and SSM", () => {
        const config = parse({
            secrets: [
                "DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::",
                "API_KEY=arn:aws:ssm:us-east-1:123456789012:parameter/app/api-key",
            ],
        });
        assert.deepStrictEqual(Object.keys(config.secrets), ["DB_PASSWORD", "API_KEY"]);
    });

    it("every committed stack file is valid, and tags its resources with project, stack and managed-by", () => {
        assert.deepStrictEqual(stackFiles.sort(), ["Pulumi.dev.yaml", "Pulumi.prod.yaml"]);
        for (const file of stackFiles) {
            const stack = file.split(".")[1];
            assert.doesNotThrow(() => committedStack(stack), file);
            const tags = YAML.parse(fs.readFileSync(path.join(root, file), "utf8")).config["aws:defaultTags"].tags;
            assert.deepStrictEqual(tags, { ...project.config["aws:defaultTags"].value.tags, stack }, file);
        }
    });

    describe("loadConfig (as `pulumi up` runs it)", () => {
        afterEach(() => pulumi.runtime.setAllConfig({}));

        it("reads the stack's flask-fargate:* keys and ignores other namespaces", () => {
            pulumi.runtime.setAllConfig({ "flask-fargate:cpu": "512", "flask-fargate:memory": "1024", "aws:region": "eu-west-1" });
            const config = loadConfig();
            assert.strictEqual(config.cpu, 512);
            assert.strictEqual(config.memory, 1024);
        });

        it("stops the run with a RunError (no stack trace) naming the bad key", () => {
            pulumi.runtime.setAllConfig({ "flask-fargate:containerPort": "80", "aws:region": "us-east-1" });
            assert.throws(
                () => loadConfig(),
                (err: Error) => err instanceof pulumi.RunError && /flask-fargate:containerPort is 80/.test(err.message),
            );
        });
    });
});
