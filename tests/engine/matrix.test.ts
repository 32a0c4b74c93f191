/**
 * A sample of the settings matrix (tests/matrix.ts) through the real CLI, against the stand-ins that
 * enforce the AWS request contract: the mock suite runs every config, this shows a few of them
 * planned by the engine, each preview's requests checked as a provider would send them.
 */
import * as auto from "@pulumi/pulumi/automation";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { settingsMatrix } from "../matrix";
import { EngineProject, preview } from "./engine";

describe("engine tier: a sample of the settings matrix previews through the real CLI", function () {
    this.timeout(10 * 60 * 1000);
    const matrix = settingsMatrix();
    // The largest boundary config, and two combinations that share little: EC2 with blue/green,
    // an existing VPC, WAF and HTTPS; Fargate Spot with rolling, endpoints only, no WAF, HTTP.
    const sample = [
        matrix.accepted[0],
        matrix.accepted.find((c) => c.name === "ec2, blue-green, existing vpc, waf on, https")!,
        matrix.accepted.find((c) => c.name === "fargate-spot, rolling, endpoints, no nat, waf off, http")!,
    ];
    let project: EngineProject;
    let stack: auto.Stack;

    before(async () => {
        console.log(`      matrix sample: ${sample.length} of ${matrix.accepted.length} configs`);
        project = new EngineProject();
        fs.writeFileSync(path.join(project.dir, "Pulumi.matrix.yaml"), YAML.stringify({ config: { "aws:region": "us-east-1" } }));
        stack = await project.stack("matrix");
    });
    after(() => project?.cleanup());

    for (const config of sample) {
        it(`previews: ${config.name}`, async () => {
            const settings = Object.fromEntries(Object.entries(config.settings).map(([key, value]) => [`flask-fargate:${key}`, value]));
            const run = await project.withSettings("matrix", settings, () => preview(stack));
            assert.ok(run.steps.filter((s) => s.op === "create").length >= 40, `${run.steps.length} steps`);
        });
    }
});
