/**
 * Which Pulumi CLI the automation module runs, found and checked by the SDK's own
 * `PulumiCommand.get` (which runs `<root>/bin/pulumi version`, or `pulumi` on PATH, and refuses a
 * CLI older than the SDK or of another major version): the one the caller names, else
 * $PULUMI_CLI, else the one set-up put in .tools/bin, else `pulumi` on PATH. The Automation API
 * and the CLI change together (e.g. from v3.206 the CLI sends engine events over tcp instead of a
 * file), hence the SDK's check.
 *
 * `installCli` gets the CLI of @pulumi/pulumi's version into .tools with the SDK's
 * `PulumiCommand.install` (get.pulumi.com's install script); scripts/pulumi-cli.sh calls it
 * first and builds the CLI from its Go module when the machine cannot download it.
 */
import * as auto from "@pulumi/pulumi/automation";
import { version as sdkVersion } from "@pulumi/pulumi/version";
import * as path from "path";
import { PulumiCliMissingError, sdkMessageText } from "./errors";

export { sdkVersion };

/** The installation root `npm run setup` fills: .tools, whose bin/pulumi is the CLI. */
export const toolsRoot = path.join(__dirname, "..", ".tools");

const setupHint = `Run \`npm run setup\` (it installs the Pulumi CLI v${sdkVersion} into .tools/bin, or builds it there), or set PULUMI_CLI to a pulumi v${sdkVersion} executable.`;

/**
 * The SDK's handle on the CLI under `root` (<root>/bin/pulumi), or on `pulumi` on PATH without one,
 * refused unless it is @pulumi/pulumi's version or a later one of the same major version. (The SDK
 * checks that rule for a `version` given as its own semver's SemVer, which this project does not
 * depend on; its version check is off, as for the SDK, with PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK.)
 */
async function get(root?: string): Promise<auto.PulumiCommand> {
    const cli = await auto.PulumiCommand.get({ root });
    if (cli.version !== null && (cli.version.compare(sdkVersion) < 0 || cli.version.major !== Number(sdkVersion.split(".")[0]))) {
        throw new Error(`it is v${cli.version}, and this SDK needs v${sdkVersion} or a later v${sdkVersion.split(".")[0]}.x`);
    }
    return cli;
}

/** The first line of what the SDK threw, without its "code: -2 ... stderr:" wrapping. */
function why(err: unknown): string {
    return sdkMessageText(err).split("\n").find((line) => line.trim() !== "") ?? "unknown error";
}

/**
 * The Automation API's handle on the CLI to run: `explicit`, else $PULUMI_CLI (either an
 * executable at `<root>/bin/pulumi`, as installations lay it out), else .tools/bin/pulumi, else
 * `pulumi` on PATH, each checked by the SDK (`tools` stands for .tools). Throws
 * PulumiCliMissingError, saying what it found.
 */
export async function pulumiCommand(explicit?: string, env: NodeJS.ProcessEnv = process.env, tools = toolsRoot): Promise<auto.PulumiCommand> {
    const chosen = explicit ?? env.PULUMI_CLI;
    if (chosen) {
        const executable = path.resolve(chosen);
        if (path.basename(path.dirname(executable)) !== "bin" || path.basename(executable) !== "pulumi") {
            throw new PulumiCliMissingError(
                `The Automation API runs a Pulumi CLI from its installation root (<root>/bin/pulumi); ${executable} is not laid out so.`,
                `Link it into a bin/ directory and point there, e.g. mkdir -p /opt/pulumi/bin && ln -s ${executable} /opt/pulumi/bin/pulumi.`,
            );
        }
        try {
            return await get(path.dirname(path.dirname(executable)));
        } catch (err) {
            throw new PulumiCliMissingError(`No Pulumi CLI runs at ${chosen}${explicit ? "" : " ($PULUMI_CLI)"}: ${why(err)}`, setupHint, err);
        }
    }
    const tried: string[] = [];
    for (const root of [tools, undefined]) {
        try {
            return await get(root);
        } catch (err) {
            tried.push(`${root === undefined ? "`pulumi` on PATH" : path.join(root, "bin", "pulumi")}: ${why(err)}`);
        }
    }
    throw new PulumiCliMissingError(`No Pulumi CLI v${sdkVersion} or later (@pulumi/pulumi's version) was found.\n${tried.map((t) => `  ${t}`).join("\n")}`, setupHint);
}

/**
 * Installs the CLI of @pulumi/pulumi's version under `root` (bin/pulumi) with the SDK's
 * PulumiCommand.install, which downloads get.pulumi.com's install script and runs it; it
 * returns at once when `root` already holds that version or a later one. Rejects when the
 * machine cannot download it.
 */
export function installCli(root = toolsRoot): Promise<auto.PulumiCommand> {
    // Without a version, the SDK installs its own (withDefaults in automation/cmd.js).
    return auto.PulumiCommand.install({ root });
}

// `ts-node automation/pulumiCli.ts install [ROOT]`: what scripts/pulumi-cli.sh runs first.
if (require.main === module) {
    const [command, root] = process.argv.slice(2);
    if (command !== "install") {
        process.stderr.write("usage: pulumiCli.ts install [ROOT]\n");
        process.exit(2);
    }
    installCli(root ? path.resolve(root) : toolsRoot).then(
        (cli) => process.stdout.write(`${cli.command} v${cli.version}\n`),
        (err) => {
            process.stderr.write(`${why(err)}\n`);
            process.exit(1);
        },
    );
}
