import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { commentMarker, compareStacks, costComment } from "../scripts/cost-comment";
import { root } from "./harness";

/** Temp dirs of the running test, removed after it. */
const made: string[] = [];
const tempDir = (prefix: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
};

/** A checkout with the project file and the given stack files (name -> text). */
function checkout(stacks: Record<string, string>): string {
    const dir = tempDir("cost-comment-");
    fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    for (const [stack, text] of Object.entries(stacks)) {
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    }
    return dir;
}

const committed = (stack: string) => fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8");

describe("scripts/cost-comment.ts: the pull request's cost comment", () => {
    afterEach(() => made.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("shows each stack's floor on the base and on the pull request, and the change", () => {
        // The base: dev with its NAT gateway (68.77), prod as committed; the head: this checkout.
        const base = checkout({ dev: committed("dev").replace("natGateways: instance", "natGateways: single"), prod: committed("prod") });
        const comment = costComment(compareStacks(["dev", "prod"], base, root), "main");
        assert.ok(comment.startsWith(`${commentMarker}\n### Monthly floor of each stack (us-east-1 list prices of `));
        // 39.624 - 68.768 = -29.144 -> -29.14 USD, -42.4 % of 68.768
        assert.match(comment, /^\| dev \| 68\.77 USD \| 39\.62 USD \| -29\.14 USD \(-42\.4 %\) \|$/m);
        assert.match(comment, /^\| prod \| 188\.76 USD \| 188\.76 USD \| no change \|$/m);
        assert.match(comment, /<details><summary>dev: line by line<\/summary>\n\n\| item \| how \| USD \/ month \|/);
    });

    it("a stack new in the pull request has no base; a stack that fails to load says why", () => {
        const head = checkout({ dev: committed("dev"), broken: "config:\n  flask-fargate:cpu: 300\n  aws:region: us-east-1\n" });
        const comment = costComment(compareStacks(["dev", "broken"], checkout({}), head), "main");
        assert.match(comment, /^\| dev \| \(no stack\) \| 39\.62 USD \| {2}\|$/m);
        assert.match(comment, /^\| broken \| \(no stack\) \| n\/a: flask-fargate:cpu is 300, which is not a Fargate task CPU value; .* \| {2}\|$/m);
    });

    it("post-comment.sh edits the comment that starts with the marker, or posts one", () => {
        const bin = tempDir("fake-gh-");
        const log = path.join(bin, "calls");
        // A stand-in gh: records its arguments; lists one comment id when FAKE_EXISTING is set.
        fs.writeFileSync(path.join(bin, "gh"), `#!/bin/bash\necho "$*" >> "${log}"\nif [ "$2" = "--paginate" ] && [ -n "$FAKE_EXISTING" ]; then echo "$FAKE_EXISTING"; fi\n`, { mode: 0o755 });
        const body = path.join(bin, "body.md");
        fs.writeFileSync(body, `${commentMarker}\n### Monthly floor\n`);
        const run = (existing: string) =>
            execFileSync("bash", [path.join(root, "scripts/post-comment.sh"), body], {
                env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GITHUB_REPOSITORY: "o/r", PR: "7", FAKE_EXISTING: existing },
            }).toString();
        assert.strictEqual(run("1234"), "updated comment 1234\n");
        assert.strictEqual(run(""), "posted a new comment\n");
        const calls = fs.readFileSync(log, "utf8").trim().split("\n");
        assert.match(calls[0], /^api --paginate repos\/o\/r\/issues\/7\/comments --jq .*startswith\("<!-- flask-fargate:cost -->"\)/);
        assert.strictEqual(calls[1], `api --method PATCH repos/o/r/issues/comments/1234 -F body=@${body}`);
        assert.strictEqual(calls[3], `api --method POST repos/o/r/issues/7/comments -F body=@${body}`);
    });
});
