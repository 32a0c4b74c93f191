import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { loadConfig } from "../lib/config";
import { scopedNames, stackNameProblem, stackScope } from "../lib/stackNames";
import { runWith } from "./harness";

describe("stack names: the AWS names the program derives from the stack's", () => {
    it("the names the program declares are the ones checked", async () => {
        const stack = "pr-1234567890123";
        const run = await runWith({ waf: true }, stack);
        const byWhat = Object.fromEntries(scopedNames(stackScope("flask-fargate", stack)).map((rule) => [rule.what, rule.name]));
        assert.strictEqual(run.one("aws:ecs/taskDefinition:TaskDefinition").inputs.family, byWhat["ECS task definition family"]);
        assert.strictEqual(run.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName, byWhat["CloudWatch dashboard name"]);
        assert.strictEqual(run.one("aws:cloudwatch/queryDefinition:QueryDefinition").inputs.name, byWhat["CloudWatch Logs query definition name"]);
        assert.strictEqual(`${run.one("aws:cloudwatch/logGroup:LogGroup").inputs.namePrefix}${"0".repeat(26)}`, byWhat["CloudWatch log group name"]);
        assert.strictEqual(run.one("aws:wafv2/webAcl:WebAcl").inputs.visibilityConfig.metricName, byWhat["WAF metric name"]);
    });

    it("every stack name Pulumi accepts of letters, digits, - and _ suits AWS, up to Pulumi's 100 characters", () => {
        for (const stack of ["dev", "prod", "pr-1", `pr-${"9".repeat(97)}`, "a".repeat(100), "feature_x-2"]) {
            assert.strictEqual(stackNameProblem("flask-fargate", stack), undefined, stack);
        }
    });

    it("a stack name with a period (which Pulumi allows) is refused, naming the AWS rule it breaks", () => {
        assert.match(
            stackNameProblem("flask-fargate", "dev.eu") ?? "",
            /^the stack name "dev\.eu" does not suit AWS: the ECS task definition family would be "flask-fargate-dev\.eu-app", and AWS takes only letters, digits, _ and - \(ECS API reference, RegisterTaskDefinition/,
        );
    });

    it("names that would pass AWS's lengths are refused (a longer project name)", () => {
        assert.match(stackNameProblem("p".repeat(200), "a-stack-with-a-long-name-for-this-project") ?? "", /is too long: the CloudWatch Logs query definition name would be 275 characters \(p+-a-stack-.*\); AWS takes at most 255 \(botocore logs/);
    });

    it("pulumi preview stops on such a stack before any resource, with a RunError naming it", async () => {
        await pulumi.runtime.setMocks({ newResource: () => ({ id: "x", state: {} }), call: () => ({}) }, "flask-fargate", "dev.eu", false);
        pulumi.runtime.setAllConfig({ "aws:region": "us-east-1" });
        try {
            assert.throws(() => loadConfig(), (err: Error) => err instanceof pulumi.RunError && /the stack name "dev\.eu" does not suit AWS/.test(err.message));
        } finally {
            pulumi.runtime.setAllConfig({});
        }
    });
});
