/**
 * Issue 20: the components became reusable (a generic task definition, routes handed out by the
 * load balancer, a service that may have none, alarms and dashboards per service) without touching
 * what a deployed stack holds. Each committed stack is deployed with the program as it was on main
 * before the move, then previewed with today's code: nothing may be replaced or deleted (a resource
 * that moved keeps its URN through an alias: lib/moves.ts, and the components' type aliases).
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { changes, EngineProject, preview, repoRoot, up } from "./engine";

/** main before the components moved (the merge of issue 23, on top of issue 19's fixes). */
export const beforeTheMove = "464aae1f8f70e12b213378e8bcb224afd0f05279";

/**
 * Replacements that came after the move for reasons of their own, each with its reason. A task
 * definition is immutable: any change to the container is a new revision, which the service rolls to.
 */
const replacedSince: Record<string, string> = {
    "replace aws:ecs/taskDefinition:TaskDefinition::app-taskdef": "issue 22: the container gets TASK_MEMORY_MIB, the app's memory budget",
};

/** The project's files at `commit`, in a temp dir, with this checkout's node_modules. */
function checkout(commit: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flask-fargate-before-"));
    const archive = execFileSync("git", ["-C", repoRoot, "archive", "--format=tar", commit], { maxBuffer: 256 * 1024 * 1024 });
    execFileSync("tar", ["-x", "-C", dir], { input: archive });
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

describe("engine tier: a stack deployed before the components moved updates to today's code with no replace and no delete", function () {
    this.timeout(10 * 60 * 1000);
    let source: string;
    before(() => {
        source = checkout(beforeTheMove);
    });
    after(() => fs.rmSync(source, { recursive: true, force: true }));

    for (const name of ["dev", "prod"]) {
        it(name, async () => {
            const before = new EngineProject(undefined, source);
            const after = new EngineProject(before);
            try {
                await up(await before.stack(name));
                const run = await preview(await after.stack(name));
                const planned = changes(run);
                assert.deepStrictEqual(planned.filter((c) => (c.startsWith("replace ") && !(c in replacedSince)) || c.startsWith("delete ")), [], planned.join("\n"));
                console.log(`      ${name}: ${planned.length} in-place updates or creates, no replace, no delete`);
            } finally {
                after.cleanup();
                before.cleanup();
            }
        });
    }
});
