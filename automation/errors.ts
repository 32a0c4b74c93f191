/**
 * The errors the automation module and its CLI tell apart, each with a message that says what to
 * do, and the classifier that turns what the Pulumi CLI or the Automation API threw into one.
 */

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

/** What the Pulumi CLI printed when a command failed. */
export interface CliFailure {
    /** Its exit code, if it ran. */
    exitCode?: number;
    stdout: string;
    stderr: string;
}

interface Thrown {
    code?: unknown;
    stdout?: unknown;
    stderr?: unknown;
    exitCode?: unknown;
    commandResult?: { err?: unknown; stdout?: string; stderr?: string; code?: number };
}

/**
 * The CLI's output from what the Automation API threw. @pulumi/pulumi 3.260's exec() throws its
 * CommandError inside its own try block and wraps it again in the catch, as "code: -2" with no
 * stdout and the first error's text as stderr (automation/cmd.js, `exec`); the process's own exit
 * code, stdout and stderr are on the error underneath (execa's), at `commandResult.err`.
 */
export function cliFailure(err: unknown): CliFailure | undefined {
    let current = err as Thrown | undefined;
    for (let depth = 0; depth < 4 && current !== null && typeof current === "object"; depth++) {
        const result = current.commandResult;
        if (result === undefined) {
            return typeof current.stdout === "string" && typeof current.stderr === "string"
                ? { exitCode: typeof current.exitCode === "number" ? current.exitCode : undefined, stdout: current.stdout, stderr: current.stderr }
                : undefined;
        }
        if (result.err === undefined && result.code !== -2) {
            return { exitCode: result.code, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
        }
        current = result.err as Thrown | undefined;
    }
    return undefined;
}

/** A failed operation's own summary line, which repeats what the lines before it say. */
const genericFailure = /^(update|preview|refresh|destroy) failed$/;

/**
 * The CLI's reasons for a failure: its `error:` lines (on stderr, then in the diagnostics of its
 * output, where a program's or a resource's error goes), each once, with the lines indented under them.
 */
export function cliReasons(failure: CliFailure): string[] {
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

/** Whether the command could not start because there is no executable. */
function notFound(err: unknown): boolean {
    let current = err as Thrown | undefined;
    for (let depth = 0; depth < 4 && current !== null && typeof current === "object"; depth++) {
        if (current.code === "ENOENT") {
            return true;
        }
        current = current.commandResult?.err as Thrown | undefined;
    }
    return /\bENOENT\b/.test(err instanceof Error ? err.message : String(err));
}

/** Maps anything the Automation API or the CLI threw to the error a caller can act on, carrying the CLI's own words. */
export function classifyError(err: unknown, context: { stack?: string } = {}): AutomationError {
    if (err instanceof AutomationError) {
        return err;
    }
    const stack = context.stack ? `Stack ${context.stack}` : "The stack";
    if (notFound(err)) {
        return new PulumiCliMissingError("The Pulumi CLI could not be started.", "Run `npm run setup`, or set PULUMI_CLI to a pulumi executable.", err);
    }
    const failure = cliFailure(err);
    const reasons = failure ? cliReasons(failure) : [];
    const cliError = reasons.length > 0 ? reasons.join("\n") : failure?.stderr.trim() || undefined;
    const text = failure ? `${failure.stderr}\n${failure.stdout}` : err instanceof Error ? err.message : String(err);
    const name = err instanceof Error ? err.name : "";
    if (name === "ConcurrentUpdateError" || /currently locked by|Another update is currently in progress/.test(text)) {
        return new StackLockedError(
            `${stack} is locked by another update.`,
            "Wait for it to finish. If no update is running (a killed process left the lock), run: pulumi cancel --stack <stack>",
            err,
            cliError,
        );
    }
    if (name === "StackNotFoundError" || /no stack named.*found/.test(text)) {
        return new StackNotFoundError(`${stack} does not exist in the current backend.`, "Check the backend (pulumi whoami), or create the stack with --create (create: true).", err, cliError);
    }
    if (credentialPatterns.some((pattern) => pattern.test(text))) {
        return new CredentialsError(
            "Credentials are missing or expired.",
            "For AWS: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or assume a role). For Pulumi Cloud: pulumi login, or set PULUMI_ACCESS_TOKEN.",
            err,
            cliError,
        );
    }
    if (failure !== undefined) {
        const reason = reasons[0]?.split("\n")[0] ?? (failure.stderr.trim().split("\n").pop() || `the Pulumi CLI exited with ${failure.exitCode ?? "an error"}`);
        return new OperationFailedError(reason, "The Pulumi CLI's output above has the details.", err, cliError);
    }
    const firstLine = (err instanceof Error ? err.message : String(err)).split("\n").find((line) => line.trim() !== "") ?? "unknown error";
    return new OperationFailedError(firstLine.trim(), "", err);
}
