/**
 * Which Pulumi CLI the automation module runs: the one the caller names, else $PULUMI_CLI, else
 * `pulumi` on PATH when it is the version of @pulumi/pulumi, else the one `npm run setup` puts in
 * .tools/bin. The Automation API and the CLI change together (e.g. from v3.206 the CLI sends engine
 * events over tcp instead of a file), so by default only the matching version is used.
 */
import * as auto from "@pulumi/pulumi/automation";
import { version as sdkVersion } from "@pulumi/pulumi/version";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PulumiCliMissingError } from "./errors";

export { sdkVersion };

/** Where `npm run setup` puts the CLI when PATH has no `pulumi` of the SDK's version. */
export const toolsPulumi = path.join(__dirname, "..", ".tools", "bin", "pulumi");

const setupHint = `Run \`npm run setup\` (it builds the Pulumi CLI v${sdkVersion} into .tools/bin), or set PULUMI_CLI to a pulumi v${sdkVersion} executable.`;

/** The version an executable reports (`pulumi version`), without the "v"; undefined if it does not run. */
export function cliVersion(executable: string): string | undefined {
    try {
        const out = execFileSync(executable, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" }, stdio: ["ignore", "pipe", "ignore"] });
        return out.trim().replace(/^v/, "");
    } catch {
        return undefined;
    }
}

/** `pulumi` on a PATH, or undefined. */
function onPath(envPath = process.env.PATH ?? ""): string | undefined {
    return envPath
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, "pulumi"))
        .find((file) => {
            try {
                fs.accessSync(file, fs.constants.X_OK);
                return fs.statSync(file).isFile();
            } catch {
                return false;
            }
        });
}

/**
 * The Pulumi CLI executable to run: `explicit`, else $PULUMI_CLI, else `pulumi` on PATH if its
 * version is @pulumi/pulumi's, else .tools/bin/pulumi. Throws PulumiCliMissingError, saying what
 * it found, when none of these runs.
 */
export function resolvePulumiPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
    const chosen = explicit ?? env.PULUMI_CLI;
    if (chosen) {
        if (cliVersion(chosen) === undefined) {
            throw new PulumiCliMissingError(`No Pulumi CLI runs at ${chosen}${explicit ? "" : " ($PULUMI_CLI)"}.`, setupHint);
        }
        return path.resolve(chosen);
    }
    const found = onPath(env.PATH);
    const foundVersion = found && cliVersion(found);
    if (found && foundVersion === sdkVersion) {
        return found;
    }
    if (cliVersion(toolsPulumi) !== undefined) {
        return toolsPulumi;
    }
    const seen = found ? `\`pulumi\` on PATH is v${foundVersion ?? "?"} (${found})` : "no `pulumi` on PATH";
    throw new PulumiCliMissingError(`No Pulumi CLI v${sdkVersion} (the version of @pulumi/pulumi): ${seen}, and none in .tools/bin.`, setupHint);
}

/**
 * The Automation API's handle on the CLI at `executable`. The SDK locates a CLI by its
 * installation root (`<root>/bin/pulumi`), so the executable must sit in a directory named bin,
 * as installations lay it out (~/.pulumi/bin, /usr/local/bin, .tools/bin), or be `pulumi` on PATH.
 */
export async function pulumiCommand(explicit?: string): Promise<auto.PulumiCommand> {
    const executable = resolvePulumiPath(explicit);
    if (path.basename(path.dirname(executable)) === "bin" && path.basename(executable) === "pulumi") {
        return auto.PulumiCommand.get({ root: path.dirname(path.dirname(executable)), skipVersionCheck: true });
    }
    if (executable === onPath()) {
        return auto.PulumiCommand.get({ skipVersionCheck: true });
    }
    throw new PulumiCliMissingError(
        `The Automation API runs a Pulumi CLI from its installation root (<root>/bin/pulumi); ${executable} is not laid out so.`,
        `Link it into a bin/ directory and point there, e.g. mkdir -p /opt/pulumi/bin && ln -s ${executable} /opt/pulumi/bin/pulumi.`,
    );
}
