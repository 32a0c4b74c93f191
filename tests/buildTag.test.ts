import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildTag, contextFiles } from "../lib/buildTag";

describe("build tag", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-"));
        fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\n");
        fs.writeFileSync(path.join(dir, "app.py"), "print(1)\n");
        fs.mkdirSync(path.join(dir, "tests"));
        fs.writeFileSync(path.join(dir, "tests", "test_app.py"), "def test(): pass\n");
        fs.writeFileSync(path.join(dir, ".dockerignore"), "tests\n");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("hashes exactly the files Docker would send", () => {
        assert.deepStrictEqual(contextFiles(dir), [".dockerignore", "Dockerfile", "app.py"]);
    });

    it("is stable when nothing in the context changes, even if ignored files do", () => {
        const before = buildTag(dir, "linux/amd64");
        fs.writeFileSync(path.join(dir, "tests", "test_app.py"), "def test(): assert False\n");
        assert.strictEqual(buildTag(dir, "linux/amd64"), before);
        assert.match(before, /^build-[0-9a-f]{16}$/);
    });

    it("changes when the app or the platform changes", () => {
        const before = buildTag(dir, "linux/amd64");
        assert.notStrictEqual(buildTag(dir, "linux/arm64"), before);
        fs.writeFileSync(path.join(dir, "app.py"), "print(2)\n");
        assert.notStrictEqual(buildTag(dir, "linux/amd64"), before);
    });
});
