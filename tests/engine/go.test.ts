/**
 * The Go tests of the stand-ins and of the AWS request contract (tests/engine/standin): the
 * contract's prose rules each with a failing and a passing case, its mapping read against
 * botocore's models, and the stand-ins' own rules. Run here so that npm test runs them; go test
 * caches results, so an unchanged tree costs a few seconds.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";

describe("engine tier: the stand-ins' and the AWS request contract's Go tests", function () {
    this.timeout(10 * 60 * 1000);

    it("go test ./... passes in tests/engine/standin", async () => {
        const dir = path.join(__dirname, "standin");
        try {
            const { stdout } = await promisify(execFile)("go", ["test", "./..."], {
                cwd: dir,
                env: { ...process.env, GOFLAGS: `${process.env.GOFLAGS ?? ""} -mod=readonly`.trim() },
                maxBuffer: 64 * 1024 * 1024,
            });
            console.log(stdout.replace(/^/gm, "      ").trimEnd());
        } catch (err) {
            const e = err as { stdout?: string; stderr?: string; message: string };
            assert.fail(`go test failed in ${dir}:\n${e.stdout ?? ""}${e.stderr ?? e.message}`);
        }
    });
});
