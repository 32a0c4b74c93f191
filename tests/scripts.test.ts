/**
 * The shell scripts a new user meets first: scripts/pulumi.sh (behind `npm run preview:dev` and the
 * other pulumi scripts) and scripts/check-node.sh (before `npm run setup` and `npm test`). Each runs
 * in a throwaway copy of the repository's layout, with stand-in executables on PATH.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { root } from "./harness";

const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
const pinned: string = lock.packages["node_modules/@pulumi/pulumi"].version;
const packageJson = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

/** A repository stand-in: the script under test, package.json and package-lock.json, and a bin/ for PATH. */
function sandbox(): { dir: string; bin: string; run: (script: string, args: string[]) => { code: number | null; out: string; err: string } } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flask-fargate-scripts-"));
    fs.mkdirSync(path.join(dir, "scripts"));
    for (const file of ["scripts/pulumi.sh", "scripts/check-node.sh", "package.json", "package-lock.json"]) {
        fs.copyFileSync(path.join(root, file), path.join(dir, file));
    }
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    // node itself, and nothing else of the machine's: no pulumi but the stand-ins a test puts in bin/.
    fs.symlinkSync(process.execPath, path.join(bin, "node"));
    const run = (script: string, args: string[]) => {
        const result = spawnSync("/bin/bash", [path.join(dir, script), ...args], {
            env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir },
            encoding: "utf8",
            // A guard against a hung script, not a speed check: a loaded machine may be slow.
            timeout: 300000,
        });
        return { code: result.status, out: result.stdout, err: result.stderr };
    };
    return { dir, bin, run };
}

/** A stand-in `pulumi` that reports `version` and prints the arguments it was run with. */
function fakePulumi(file: string, version: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `#!/bin/sh\nif [ "$1" = version ]; then echo v${version}; exit 0; fi\necho "${file} ran: $*"\n`, { mode: 0o755 });
}

describe("scripts/pulumi.sh: the package.json pulumi scripts", () => {
    let box: ReturnType<typeof sandbox>;
    beforeEach(() => (box = sandbox()));
    afterEach(() => fs.rmSync(box.dir, { recursive: true, force: true }));

    it("every package.json script that runs the Pulumi CLI goes through it", () => {
        const scripts = Object.entries(packageJson.scripts as Record<string, string>);
        assert.deepStrictEqual(
            scripts.filter(([, command]) => /(^|&&\s*)pulumi\s/.test(command)).map(([name]) => name),
            [],
        );
        assert.ok(scripts.filter(([, command]) => command.startsWith("bash scripts/pulumi.sh ")).length >= 5);
    });

    it("with no CLI anywhere, says which version is missing and how to get it (not a bare 'pulumi: not found')", () => {
        const { code, err } = box.run("scripts/pulumi.sh", ["preview", "--stack", "dev", "--diff"]);
        assert.strictEqual(code, 127);
        assert.match(err, new RegExp(`The Pulumi CLI is not installed .*needs v${pinned.replace(/\./g, "\\.")}`));
        assert.match(err, /npm run setup builds it into \.tools\/bin/);
        assert.match(err, new RegExp(`get\\.pulumi\\.com \\| sh -s -- --version ${pinned.replace(/\./g, "\\.")}`));
        assert.doesNotMatch(err, /not found/);
    });

    it("runs a pulumi on PATH at the pinned version with the script's arguments", () => {
        fakePulumi(path.join(box.bin, "pulumi"), pinned);
        const { code, out } = box.run("scripts/pulumi.sh", ["preview", "--stack", "dev", "--diff"]);
        assert.strictEqual(code, 0);
        assert.strictEqual(out.trim(), `${path.join(box.bin, "pulumi")} ran: preview --stack dev --diff`);
    });

    it("refuses a pulumi on PATH at another version, naming both", () => {
        fakePulumi(path.join(box.bin, "pulumi"), "3.100.0");
        const { code, out, err } = box.run("scripts/pulumi.sh", ["up", "--stack", "dev"]);
        assert.strictEqual(code, 127);
        assert.strictEqual(out, "");
        assert.match(err, new RegExp(`No Pulumi CLI v${pinned.replace(/\./g, "\\.")} .*package-lock\\.json`));
        assert.match(err, /bin\/pulumi is v3\.100\.0/);
    });

    it("prefers the CLI that npm run setup builds into .tools/bin over the one on PATH", () => {
        const built = path.join(box.dir, ".tools", "bin", "pulumi");
        fakePulumi(built, pinned);
        fakePulumi(path.join(box.bin, "pulumi"), pinned);
        const { code, out } = box.run("scripts/pulumi.sh", ["destroy", "--stack", "dev"]);
        assert.strictEqual(code, 0);
        assert.strictEqual(out.trim(), `${built} ran: destroy --stack dev`);
    });

    it("passes over a stale .tools/bin build to a pulumi on PATH at the pinned version", () => {
        fakePulumi(path.join(box.dir, ".tools", "bin", "pulumi"), "3.100.0");
        fakePulumi(path.join(box.bin, "pulumi"), pinned);
        const { code, out } = box.run("scripts/pulumi.sh", ["version"]);
        assert.strictEqual(code, 0);
        assert.strictEqual(out.trim(), `v${pinned}`);
    });
});

describe("scripts/pulumi-cli.sh: the Pulumi CLI for set-up, and which way it got it", () => {
    let box: ReturnType<typeof sandbox>;
    /** The sandbox with the script, tools/pulumi/go.mod, and stand-ins for node_modules' ts-node and for automation/pulumiCli.ts's install. */
    beforeEach(() => {
        box = sandbox();
        for (const file of ["scripts/pulumi-cli.sh", "tools/pulumi/go.mod"]) {
            fs.mkdirSync(path.dirname(path.join(box.dir, file)), { recursive: true });
            fs.copyFileSync(path.join(root, file), path.join(box.dir, file));
        }
        fs.mkdirSync(path.join(box.dir, "node_modules/@pulumi/pulumi"), { recursive: true });
        fs.mkdirSync(path.join(box.dir, "node_modules/ts-node/register"), { recursive: true });
        fs.writeFileSync(path.join(box.dir, "node_modules/ts-node/register/transpile-only.js"), "");
        fs.mkdirSync(path.join(box.dir, "automation"));
    });
    afterEach(() => fs.rmSync(box.dir, { recursive: true, force: true }));
    /** What `PulumiCommand.install` does in the sandbox: installs a CLI at `version`, or fails as offline. */
    const install = (version: string | "offline") =>
        fs.writeFileSync(
            path.join(box.dir, "automation/pulumiCli.ts"),
            version === "offline"
                ? `process.stderr.write("Failed to download https://get.pulumi.com/install.sh: fetch failed\\n"); process.exit(1);\n`
                : `const fs = require("fs"); fs.mkdirSync(".tools/bin", { recursive: true }); fs.writeFileSync(".tools/bin/pulumi", "#!/bin/sh\\necho v${version}\\n", { mode: 0o755 });\n`,
        );
    /** A stand-in `go` that "builds" the CLI where -o says. */
    const fakeGo = () =>
        fs.writeFileSync(path.join(box.bin, "go"), `#!/bin/sh\nif [ "$1" = version ]; then echo "go version go1.26.8 linux/amd64"; exit 0; fi\nwhile [ "$1" != -o ]; do shift; done\nprintf '#!/bin/sh\\necho v${pinned}\\n' > "$2"; chmod +x "$2"\n`, { mode: 0o755 });

    it("installs it with the SDK's PulumiCommand.install where the machine can download it, saying so and how long it took", () => {
        install(pinned);
        const { code, out } = box.run("scripts/pulumi-cli.sh", []);
        assert.strictEqual(code, 0);
        assert.match(out, new RegExp(`^Pulumi CLI v${pinned.replace(/\./g, "\\.")}: installed into \\.tools/bin by PulumiCommand\\.install \\(get\\.pulumi\\.com\\) in \\d+ s\\n$`));
    });

    it("offline, says why PulumiCommand.install failed and builds it from Go, saying how long each took", () => {
        install("offline");
        fakeGo();
        const { code, out } = box.run("scripts/pulumi-cli.sh", []);
        assert.strictEqual(code, 0, out);
        const lines = out.trim().split("\n");
        assert.match(lines[0], /: PulumiCommand\.install could not install it in \d+ s \(Failed to download https:\/\/get\.pulumi\.com\/install\.sh: fetch failed\); building it from Go instead$/);
        assert.match(lines[2], /: built \.tools\/bin\/pulumi from Go in \d+ s$/);
    });

    it("an install of another version falls back to the Go build too", () => {
        install("3.100.0");
        fakeGo();
        const { code, out } = box.run("scripts/pulumi-cli.sh", []);
        assert.strictEqual(code, 0, out);
        assert.match(out, /PulumiCommand\.install could not install it in \d+ s \(another version\); building it from Go instead\n/);
        assert.match(out, /built \.tools\/bin\/pulumi from Go in \d+ s\n$/);
    });
});

describe("dependencies' install scripts (package.json allowScripts)", () => {
    // npm 11 lists every dependency whose install script allowScripts does not cover, runs it for
    // now, and says a later release will block it (npm help approve-scripts). Reviewed here: the
    // @pulumi/docker and @pulumi/docker-build ones only run `pulumi plugin install` (the CLI installs a
    // missing plugin itself when a preview needs it), protobufjs's only prints a version-scheme hint.
    // So all are denied, and npm ci changes nothing outside node_modules.
    it("every dependency with an install script in package-lock.json is reviewed", () => {
        const withScripts = Object.entries(lock.packages as Record<string, { name?: string; hasInstallScript?: boolean }>)
            .filter(([, entry]) => entry.hasInstallScript)
            .map(([key, entry]) => entry.name ?? key.replace(/^.*node_modules\//, ""));
        assert.ok(withScripts.length > 0);
        assert.deepStrictEqual(
            withScripts.filter((name) => !(name in packageJson.allowScripts)),
            [],
            "add each to allowScripts (npm install-scripts approve|deny <pkg>) after reading its script",
        );
    });
});

describe("scripts/check-node.sh: Node.js checked before set-up and tests", () => {
    let box: ReturnType<typeof sandbox>;
    beforeEach(() => (box = sandbox()));
    afterEach(() => fs.rmSync(box.dir, { recursive: true, force: true }));

    /** Replaces bin/node with one that reports `version` and otherwise runs the real node. */
    const nodeReporting = (version: string) => {
        fs.rmSync(path.join(box.bin, "node"));
        fs.writeFileSync(
            path.join(box.bin, "node"),
            `#!/bin/sh\ncase "$*" in *process.versions.node*) echo ${version}; exit 0;; esac\nexec "${process.execPath}" "$@"\n`,
            { mode: 0o755 },
        );
    };

    it("package.json asks for the Node that @pulumi/pulumi needs", () => {
        const sdk = JSON.parse(fs.readFileSync(path.join(root, "node_modules/@pulumi/pulumi/package.json"), "utf8"));
        assert.strictEqual(packageJson.engines.node, sdk.engines.node);
        assert.strictEqual(packageJson.scripts.test, "bash scripts/test.sh");
        assert.match(fs.readFileSync(path.join(root, "scripts/test.sh"), "utf8"), /^bash scripts\/check-node\.sh$/m);
        assert.match(fs.readFileSync(path.join(root, "scripts/setup.sh"), "utf8"), /^bash scripts\/check-node\.sh$/m);
    });

    it("stops on Node 20 with how to get Node 22", () => {
        nodeReporting("20.19.0");
        const { code, err } = box.run("scripts/check-node.sh", []);
        assert.strictEqual(code, 1);
        assert.match(err, /Node\.js 20\.19\.0 is too old: this project needs Node\.js 22 or newer/);
        assert.match(err, /nvm install 22 && nvm use 22/);
        assert.match(err, /npm install --no-save --no-package-lock --prefix \.ci\/node node@22/);
    });

    it("passes on Node 22 and later, silently", () => {
        for (const version of ["22.0.0", "24.1.0"]) {
            nodeReporting(version);
            assert.deepStrictEqual(box.run("scripts/check-node.sh", []), { code: 0, out: "", err: "" }, version);
        }
    });
});
