import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { configSchema, loadConfig, parseConfig } from "../lib/config";
import { root, stackFileConfig } from "./harness";

const project = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"));
const stackFiles = fs.readdirSync(root).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));

describe("config", () => {
    it("Pulumi.yaml declares exactly the keys, types, descriptions and defaults the program applies", () => {
        const declared = Object.fromEntries(Object.entries(project.config).filter(([key]) => !key.includes(":")));
        assert.deepStrictEqual(declared, configSchema);
    });

    it("applies every default when the stack sets nothing", () => {
        const config = parseConfig({});
        for (const [key, spec] of Object.entries(configSchema)) {
            const value = (config as unknown as Record<string, unknown>)[key];
            const expected = spec.type === "array" ? {} : spec.default === "" ? undefined : spec.default;
            assert.deepStrictEqual(value, expected, key);
        }
    });

    it("reads values as the CLI hands them over (strings) and as YAML files hold them", () => {
        const fromCli = parseConfig({ cpu: "1024", memory: "2048", protectData: "false", environment: '["A=1"]' });
        const fromYaml = parseConfig({ cpu: 1024, memory: 2048, protectData: false, environment: ["A=1"] });
        assert.deepStrictEqual(fromCli, fromYaml);
        assert.deepStrictEqual(fromCli.environment, { A: "1" });
    });

    const bad: [string, Record<string, unknown>, RegExp][] = [
        ["a CPU value Fargate lacks", { cpu: 100 }, /flask-fargate:cpu is 100/],
        ["a memory size the CPU value does not take", { cpu: 256, memory: 4096 }, /flask-fargate:memory is 4096/],
        ["a port below 1024", { containerPort: 80 }, /flask-fargate:containerPort is 80; allowed: 1024 to 65535/],
        ["a port above 65535", { containerPort: 70000 }, /flask-fargate:containerPort is 70000/],
        ["a fractional count", { desiredCount: 1.5 }, /flask-fargate:desiredCount is 1.5; it must be a whole number/],
        ["a negative count", { minCount: -1 }, /flask-fargate:minCount is -1/],
        ["min above max", { minCount: 5, maxCount: 4, desiredCount: 4 }, /flask-fargate:minCount is 5; it must not exceed flask-fargate:maxCount \(4\)/],
        ["desired above max", { desiredCount: 9 }, /flask-fargate:desiredCount is 9; it must lie between/],
        ["desired below min", { desiredCount: 1 }, /flask-fargate:desiredCount is 1; it must lie between flask-fargate:minCount \(2\)/],
        ["a retention CloudWatch refuses", { logRetentionDays: 10 }, /flask-fargate:logRetentionDays is 10; allowed: 0, 1, 3, 5, 7, 14/],
        ["an unknown architecture", { architecture: "arm64" }, /flask-fargate:architecture is "arm64"; allowed: X86_64, ARM64/],
        ["an unknown capacity", { capacity: "spot" }, /flask-fargate:capacity is "spot"; allowed: fargate, fargate-spot/],
        ["a boolean that is not one", { protectData: "yes" }, /flask-fargate:protectData is "yes"; it must be true or false/],
        ["a malformed image", { image: "not an image" }, /flask-fargate:image is "not an image"/],
        ["an environment entry without =", { environment: ["FOO"] }, /flask-fargate:environment is "FOO"; each entry must be NAME=value/],
        ["a credential in plain environment", { environment: ["DB_PASSWORD=x"] }, /flask-fargate:environment is "DB_PASSWORD".*flask-fargate:secrets/],
        ["a variable the program sets", { environment: ["BUCKET_NAME=x"] }, /BUCKET_NAME is set by the program itself/],
        ["a secret that is not an ARN", { secrets: ["DB_PASSWORD=hunter2"] }, /flask-fargate:secrets is "DB_PASSWORD=hunter2"/],
        ["a KMS key that is not an ARN", { secretsKmsKeyArn: "alias/mine" }, /flask-fargate:secretsKmsKeyArn is "alias\/mine"/],
        ["a health path without /", { healthCheckPath: "healthz" }, /flask-fargate:healthCheckPath is "healthz"/],
        ["a misspelt key", { desiredcount: 2 }, /flask-fargate:desiredcount is not a setting of this program; known settings: cpu, memory/],
    ];
    for (const [what, raw, message] of bad) {
        it(`rejects ${what}, naming the key`, () => {
            assert.throws(() => parseConfig(raw), message);
        });
    }

    it("accepts secrets from Secrets Manager (with a JSON key) and SSM", () => {
        const config = parseConfig({
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
            assert.doesNotThrow(() => parseConfig(stackFileConfig(stack)), file);
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
            pulumi.runtime.setAllConfig({ "flask-fargate:containerPort": "80" });
            assert.throws(
                () => loadConfig(),
                (err: Error) => err instanceof pulumi.RunError && /flask-fargate:containerPort is 80/.test(err.message),
            );
        });
    });
});

describe("README", () => {
    it("documents every config key with its default", () => {
        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        for (const [key, spec] of Object.entries(configSchema)) {
            const shown = Array.isArray(spec.default) ? "[]" : spec.default === "" ? '""' : String(spec.default);
            assert.ok(readme.includes(`| \`${key}\` | \`${shown}\` |`), `README row for ${key} with default ${shown}`);
        }
    });
});
