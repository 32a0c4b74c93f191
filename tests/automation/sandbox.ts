/**
 * A place of its own for the automation tests to run the real Pulumi CLI offline: a local file
 * backend, a PULUMI_HOME, a copy of the project's Pulumi.yaml and committed stack files (and an
 * index.ts, the entry Pulumi.yaml names), and a
 * directory for the module's own temporary copies (so a test sees whether it leaves any behind),
 * all in one temporary directory that `remove()` deletes.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectDir } from "../../automation/workspace";

export interface Sandbox {
    /** The project: Pulumi.yaml and the committed stack files, copied. */
    project: string;
    /** The backend directory (file://). */
    backend: string;
    /** The environment the CLI needs: the file backend, a passphrase, its own PULUMI_HOME, no plugin downloads. */
    env: Record<string, string>;
    /** The temporary directory the module's project copies go to while `useTmp()` is on. */
    tmp: string;
    /** What the module and the Automation API left in `tmp`: project copies, workspaces, event logs. */
    leftovers(): string[];
    /** Points os.tmpdir() at `tmp` (through TMPDIR) until the returned function is called. */
    useTmp(): () => void;
    /** Deletes everything. */
    remove(): void;
}

export function sandbox(): Sandbox {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "automation-test-"));
    const project = path.join(dir, "project");
    const backend = path.join(dir, "backend");
    fs.mkdirSync(project);
    const tmp = path.join(dir, "tmp");
    fs.mkdirSync(backend);
    fs.mkdirSync(tmp);
    for (const file of fs.readdirSync(projectDir).filter((f) => /^Pulumi(\.[\w-]+)?\.yaml$/.test(f))) {
        fs.copyFileSync(path.join(projectDir, file), path.join(project, file));
    }
    // Pulumi.yaml names the program's entry (main), which the CLI looks for even when the program runs inline.
    fs.writeFileSync(path.join(project, "index.ts"), "// The program's entry (Pulumi.yaml main); these tests run inline programs.\n");
    const env = {
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_HOME: path.join(dir, "home"),
        PULUMI_CONFIG_PASSPHRASE: "test",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_SKIP_UPDATE_CHECK: "true",
    };
    const useTmp = () => {
        const before = process.env.TMPDIR;
        process.env.TMPDIR = tmp;
        return () => (before === undefined ? delete process.env.TMPDIR : (process.env.TMPDIR = before));
    };
    const leftovers = () => fs.readdirSync(tmp).filter((name) => /^(flask-fargate|automation|pulumi)-/.test(name));
    return { project, backend, env, tmp, leftovers, useTmp, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
