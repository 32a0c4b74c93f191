/**
 * The errors the automation module and its CLI tell apart, each with a message that says what to
 * do, and the classifier that turns what the Pulumi CLI or the Automation API threw into one.
 */
import * as auto from "@pulumi/pulumi/automation";

/** A failure the caller can act on; `hint` says how, `cliError` is what the Pulumi CLI itself said. */
export class AutomationError extends Error {
    constructor(
        /** What went wrong, in one line. */
        public readonly reason: string,
        /** What to do about it. */
        public readonly hint: string,
        /** What was thrown underneath. */
        public readonly cause?: unknown,
        /** The Pulumi CLI's own error text, when the CLI failed. */
        public readonly cliError?: string,
    ) {
        super([reason, cliError !== undefined && cliError !== reason ? indent(cliError) : undefined, hint].filter((part) => part !== undefined).join("\n"));
        this.name = new.target.name;
    }
}

/** Text indented by four spaces, line by line. */
function indent(text: string): string {
    return text.replace(/^/gm, "    ");
}

/** No Pulumi CLI of the right version where the module looks (see ./pulumiCli). */
export class PulumiCliMissingError extends AutomationError {}

/** AWS or the Pulumi backend refused for want of credentials. */
export class CredentialsError extends AutomationError {}

/** The stack does not exist in the selected backend. */
export class StackNotFoundError extends AutomationError {}

/** The stack exists but has no outputs: it was never deployed, or its resources were destroyed. */
export class NoOutputsError extends AutomationError {}

/** Another update holds the stack's lock. */
export class StackLockedError extends AutomationError {}

/** The operation ran and failed (a resource error, a failing rollout, a policy violation...). */
export class OperationFailedError extends AutomationError {}

/** A one-off task could not start, or stopped without an exit code. */
export class TaskStartError extends AutomationError {}

const credentialPatterns = [
    /NoCredentialProviders/,
    /no valid credential sources/i,
    /unable to locate credentials/i,
    /ExpiredToken/,
    /InvalidClientTokenId/,
    /failed to refresh cached credentials/i,
    /PULUMI_ACCESS_TOKEN/,
    /pulumi login/,
    /\[401\]/,
];

/**
 * What the Pulumi CLI printed while an operation ran: the automation module streams the CLI's
 * stdout and stderr (the Automation API's onOutput and onError) and keeps them for the classifier,
 * so that nothing depends on the fields of the SDK's errors, only on their classes.
 */
export interface CliOutput {
    stdout: string;
    stderr: string;
}

/** Most of a stream the classifier keeps: the end of it, where the CLI's errors are. */
const keptOutput = 1 << 20;

/** Stream callbacks that pass the CLI's output on to `onOutput` and `onError` and keep it in `output` (its last MiB of each stream). */
export function captureOutput(onOutput?: (text: string) => void, onError?: (text: string) => void) {
    const output: CliOutput = { stdout: "", stderr: "" };
    const keep = (stream: keyof CliOutput, pass?: (text: string) => void) => (text: string) => {
        output[stream] = (output[stream] + text).slice(-keptOutput);
        pass?.(text);
    };
    return { output, onOutput: keep("stdout", onOutput), onError: keep("stderr", onError) };
}

/** A failed operation's own summary line, which repeats what the lines before it say. */
const genericFailure = /^(update|preview|refresh|destroy) failed$/;

/**
 * The CLI's reasons for a failure: its `error:` lines (on stderr, then in the diagnostics of its
 * output, where a program's or a resource's error goes), each once, with the lines indented under them.
 */
export function cliReasons(failure: CliOutput): string[] {
    const groups: string[][] = [];
    for (const [text, continued] of [[failure.stderr, true], [failure.stdout, false]] as const) {
        let current: string[] | undefined;
        for (const line of text.split("\n")) {
            const match = /^\s*error: (.*)$/.exec(line);
            if (match) {
                current = [match[1].trim()];
                groups.push(current);
            } else if (current !== undefined && continued && /^\s{2,}\S/.test(line)) {
                current.push(line.trim());
            } else {
                current = undefined;
            }
        }
    }
    const unique = [...new Set(groups.map((lines) => lines.join("\n")))];
    const specific = unique.filter((reason) => !genericFailure.test(reason));
    return specific.length > 0 ? specific : unique;
}

/**
 * The text of an SDK error's message without the labels of its CommandResult's rendering
 * ("code: 255", then " stdout: ...", " stderr: ...", " err?: ..." before the first line of each).
 */
export function sdkMessageText(err: unknown): string {
    const message = err instanceof Error ? err.message : String(err);
    return message
        .split("\n")
        .filter((line) => !/^code: -?\d+$/.test(line))
        .map((line) => line.replace(/^ (stdout|stderr|err\?): ?/, ""))
        .join("\n");
}

/**
 * What the CLI said: the output the module captured when it streamed the operation, else the SDK
 * error's message, which holds the CLI's stderr for the commands the module does not stream
 * (stack select, config, outputs).
 */
function cliText(err: unknown, output: CliOutput | undefined): CliOutput {
    if (output !== undefined && (output.stderr !== "" || output.stdout !== "")) {
        return output;
    }
    return { stdout: "", stderr: sdkMessageText(err) };
}

/** The CLI's reasons (see cliReasons) for a failure of the Automation API, from what it printed. */
export function cliErrorOf(err: unknown, output?: CliOutput): string | undefined {
    const reasons = cliReasons(cliText(err, output));
    return reasons.length > 0 ? reasons.join("\n") : undefined;
}

/**
 * Maps anything the Automation API or the CLI threw to the error a caller can act on, carrying the
 * CLI's own words: by the SDK's error classes (auto.ConcurrentUpdateError, auto.StackNotFoundError,
 * auto.CommandError), and for credentials by what the CLI printed (`output`, when the operation's
 * streams were captured with captureOutput).
 */
export function classifyError(err: unknown, context: { stack?: string; output?: CliOutput } = {}): AutomationError {
    if (err instanceof AutomationError) {
        return err;
    }
    const stack = context.stack ? `Stack ${context.stack}` : "The stack";
    const message = err instanceof Error ? err.message : String(err);
    // The SDK runs the CLI with execa, whose error for a missing executable names ENOENT.
    if (/\bENOENT\b/.test(message)) {
        return new PulumiCliMissingError("The Pulumi CLI could not be started.", "Run `npm run setup`, or set PULUMI_CLI to a pulumi executable.", err);
    }
    const said = cliText(err, context.output);
    const cliError = cliErrorOf(err, context.output);
    if (err instanceof auto.ConcurrentUpdateError) {
        return new StackLockedError(
            `${stack} is locked by another update.`,
            "Wait for it to finish. If no update is running (a killed process left the lock), run: pulumi cancel --stack <stack>",
            err,
            cliError,
        );
    }
    if (err instanceof auto.StackNotFoundError) {
        return new StackNotFoundError(`${stack} does not exist in the current backend.`, "Check the backend (pulumi whoami), or create the stack with --create (create: true).", err, cliError);
    }
    const text = `${said.stderr}\n${said.stdout}`;
    if (credentialPatterns.some((pattern) => pattern.test(text))) {
        return new CredentialsError(
            "Credentials are missing or expired.",
            "For AWS: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or assume a role). For Pulumi Cloud: pulumi login, or set PULUMI_ACCESS_TOKEN.",
            err,
            cliError,
        );
    }
    if (err instanceof auto.CommandError) {
        const reason = cliError?.split("\n")[0] ?? "The Pulumi CLI failed without an error line.";
        return new OperationFailedError(reason, "The Pulumi CLI's output above has the details.", err, cliError);
    }
    const firstLine = message.split("\n").find((line) => line.trim() !== "") ?? "unknown error";
    return new OperationFailedError(firstLine.trim(), "", err);
}
