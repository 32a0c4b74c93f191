/**
 * Mocha root hooks (.mocharc.json requires this file): the whole run gets a temporary directory of
 * its own, and fails if a test leaves anything in it.
 *
 * TMPDIR is what os.tmpdir() returns and what child processes (the Pulumi SDK's workspaces, the
 * stand-in CLI, shell scripts) write under, so everything a test creates "in /tmp" lands here; a
 * private directory, rather than a look at /tmp before and after, keeps other runs on the same
 * machine out of the check.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const runTmp = fs.mkdtempSync(path.join(os.tmpdir(), "flask-fargate-mocha-"));
process.env.TMPDIR = runTmp;

/** What a test run left in `dir`, as "name" or "name/" per entry. */
export function leftovers(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
        .sort();
}

export const mochaHooks = {
    afterAll(): void {
        const left = leftovers(runTmp);
        fs.rmSync(runTmp, { recursive: true, force: true });
        if (left.length > 0) {
            throw new Error(`the tests left ${left.join(", ")} in the temporary directory (os.tmpdir()): a test removes what it creates`);
        }
    },
};
