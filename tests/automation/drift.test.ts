import type * as auto from "@pulumi/pulumi/automation";
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DriftResult, driftedResource, driftIssueBody, driftMarker, pathParts } from "../../automation/drift";
import { commentBudget, previewComment, truncateLines } from "../../automation/previewComment";

const logsUrn = "urn:pulumi:prod::flask-fargate::flask-fargate:task:TaskDefinition$aws:cloudwatch/logGroup:LogGroup::app-logs";

/** A refresh's ResourceOutputsEvent, as the engine sends it for a resource it read back. */
function refreshed(op: auto.OpType, urn: string, extra: Partial<auto.StepEventMetadata> = {}): auto.EngineEvent {
    const state = (inputs: Record<string, unknown>) => ({ type: "t", urn, id: "x", parent: "", inputs, outputs: {}, provider: "" });
    return {
        sequence: 1,
        timestamp: 0,
        resOutputsEvent: {
            metadata: { op, urn, type: "aws:cloudwatch/logGroup:LogGroup", provider: "", old: state({ retentionInDays: 365, tags: { team: "a" } }), new: state({ retentionInDays: 1, tags: { team: "b" } }), ...extra },
        },
    } as auto.EngineEvent;
}

describe("automation: drift reports", () => {
    it("reads property paths as Pulumi writes them", () => {
        assert.deepStrictEqual(pathParts('tags.owner'), ["tags", "owner"]);
        assert.deepStrictEqual(pathParts('ingress[0].cidrBlocks[12]'), ["ingress", 0, "cidrBlocks", 12]);
        assert.deepStrictEqual(pathParts('tags["kubernetes.io/role"]'), ["tags", "kubernetes.io/role"]);
    });

    it("a refresh that reads a resource back changed reports its paths with the state's and AWS's values; unchanged ones report nothing", () => {
        const event = refreshed("update", logsUrn, { detailedDiff: { retentionInDays: { diffKind: "update" as auto.DiffKind, inputDiff: true }, "tags.team": { diffKind: "update" as auto.DiffKind, inputDiff: true } } });
        assert.deepStrictEqual(driftedResource(event), {
            urn: logsUrn,
            type: "aws:cloudwatch/logGroup:LogGroup",
            op: "update",
            properties: [
                { path: "retentionInDays", inState: 365, now: 1 },
                { path: "tags.team", inState: "a", now: "b" },
            ],
        });
        assert.deepStrictEqual(driftedResource(refreshed("update", logsUrn, { diffs: ["retentionInDays"] }))?.properties, [{ path: "retentionInDays", inState: 365, now: 1 }], "top-level diffs when there is no detailed diff");
        assert.strictEqual(driftedResource(refreshed("same", logsUrn)), undefined);
        assert.strictEqual(driftedResource({ sequence: 1, timestamp: 0, resourcePreEvent: { metadata: { op: "refresh", urn: logsUrn, type: "t", provider: "" } } } as auto.EngineEvent), undefined);
        assert.strictEqual(driftedResource(refreshed("delete", logsUrn))?.op, "delete");
    });

    it("the issue body: its marker, a row per drifted property or deleted resource, long values cut, table cells safe, and what to do", () => {
        const result: DriftResult = {
            stack: "prod",
            checkedAt: "2026-12-03T06:00:00.000Z",
            durationMs: 1000,
            drifted: [
                { urn: logsUrn, type: "aws:cloudwatch/logGroup:LogGroup", op: "update", properties: [{ path: "retentionInDays", inState: 365, now: 1 }, { path: "description", inState: "a|b", now: "x".repeat(300) }] },
                { urn: "urn:pulumi:prod::flask-fargate::aws:sns/topic:Topic::alarms-topic", type: "aws:sns/topic:Topic", op: "delete", properties: [] },
            ],
        };
        const body = driftIssueBody(result, "https://github.com/o/r/actions/runs/1");
        const lines = body.split("\n");
        assert.strictEqual(lines[0], driftMarker("prod"));
        assert.match(lines[1], /^Stack \*\*prod\*\* has drifted: 2 resources changed outside Pulumi, .* at 2026-12-03T06:00:00\.000Z \(\[run\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1\)\)\.$/);
        assert.ok(lines.includes("| app-logs | aws:cloudwatch:LogGroup | `retentionInDays` | `365` | `1` |"));
        assert.ok(lines.includes(`| app-logs | aws:cloudwatch:LogGroup | \`description\` | \`"a\\|b"\` | \`"${"x".repeat(116)}...\` |`));
        assert.ok(lines.includes("| alarms-topic | aws:sns:Topic | deleted outside Pulumi | exists | (gone) |"));
        assert.match(body, /npm run deploy -- up --stack prod/);
    });
});

describe("scripts/drift-issue.sh: one open issue per stack", () => {
    let bin: string;
    beforeEach(() => {
        bin = fs.mkdtempSync(path.join(os.tmpdir(), "fake-gh-"));
        // A stand-in gh: records its arguments; `issue list` answers the open issue's number when FAKE_EXISTING is set.
        fs.writeFileSync(path.join(bin, "gh"), `#!/bin/bash\necho "$*" >> "${bin}/calls"\nif [ "$1 $2" = "issue list" ] && [ -n "$FAKE_EXISTING" ]; then echo "$FAKE_EXISTING"; fi\n`, { mode: 0o755 });
    });
    afterEach(() => fs.rmSync(bin, { recursive: true, force: true }));
    const script = path.join(__dirname, "..", "..", "scripts", "drift-issue.sh");
    const run = (existing: string, ...args: string[]) => {
        const out = execFileSync("bash", [script, ...args], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GITHUB_REPOSITORY: "o/r", FAKE_EXISTING: existing } }).toString();
        const calls = fs.readFileSync(path.join(bin, "calls"), "utf8").trim().split("\n");
        fs.rmSync(path.join(bin, "calls"));
        return { out, calls };
    };

    it("drift found: opens a labelled issue, or updates the open one found by its marker", () => {
        const body = path.join(bin, "body.md");
        fs.writeFileSync(body, `${driftMarker("prod")}\nStack **prod** has drifted\n`);
        const opened = run("", "prod", body);
        assert.match(opened.calls[0], /^issue list --repo o\/r --state open --label drift .*startswith\("<!-- flask-fargate:drift:prod -->"\)/);
        assert.match(opened.calls[1], /^label create drift --repo o\/r /);
        assert.strictEqual(opened.calls[2], `issue create --repo o/r --title Drift: stack prod changed outside Pulumi --label drift --body-file ${body}`);
        const updated = run("12", "prod", body);
        assert.strictEqual(updated.out, "updated issue #12\n");
        assert.strictEqual(updated.calls[1], `issue edit 12 --repo o/r --body-file ${body}`);
    });

    it("no drift: closes the open issue saying the stack is back in line; with none open, does nothing", () => {
        const closed = run("12", "prod");
        assert.strictEqual(closed.out, "closed issue #12\n");
        assert.match(closed.calls[1], /^issue close 12 --repo o\/r --comment Stack prod is back in line with its Pulumi state \(drift check of \d{4}-\d\d-\d\dT/);
        const quiet = run("", "prod");
        assert.deepStrictEqual([quiet.out, quiet.calls.length], ["no drift, no open drift issue\n", 1]);
    });
});

describe("automation: the preview comment", () => {
    const result = { operation: "preview" as const, stack: "dev", changes: { update: 1 }, summary: "1 to update", durationMs: 1, steps: [] };

    it("cuts a long diff at a line, saying so, and stays within GitHub's comment size", () => {
        const diff = Array.from({ length: 20000 }, (_, i) => `    ~ resource-${i}: [secret] => [secret]`).join("\n");
        const comment = previewComment("dev", { result: { ...result, diff } });
        assert.ok(comment.length <= commentBudget, `${comment.length}`);
        assert.match(comment, /\n {4}~ resource-\d+: \[secret\] => \[secret\]\n\.\.\. and \d+ more lines: the workflow's log has the whole diff\n```\n\n<\/details>$/);
        assert.strictEqual(truncateLines("a\nb", 100, () => "cut"), "a\nb");
    });

    it("shows no colour codes and cannot close its own code block", () => {
        const comment = previewComment("dev", { result: { ...result, diff: "\u001b[32m+ created\u001b[0m\n```\nnot code" } });
        assert.match(comment, /```diff\n\+ created\n'''\nnot code\n```/);
        assert.match(comment, /No resource changes\./);
    });
});
