/**
 * The errors the automation module and its CLI tell apart, each with a message that says what to
 * do, and the classifier that turns what the Pulumi CLI or the Automation API threw into one.
 */

/** A failure the caller can act on; `hint` says how. */
export class AutomationError extends Error {
    constructor(
        message: string,
        public readonly hint: string,
        public readonly cause?: unknown,
    ) {
        super(`${message}\n${hint}`);
        this.name = new.target.name;
    }
}

/** The Pulumi CLI is not installed (or not where `cliRoot` says). */
export class PulumiCliMissingError extends AutomationError {}

/** AWS or the Pulumi backend refused for want of credentials. */
export class CredentialsError extends AutomationError {}

/** The stack does not exist in the selected backend. */
export class StackNotFoundError extends AutomationError {}

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

/** The text of an error, including the CLI's stderr when the Automation API carries it. */
function errorText(err: unknown): string {
    if (err instanceof Error) {
        const stderr = (err as { commandResult?: { stderr?: string } }).commandResult?.stderr ?? "";
        return `${err.message}\n${stderr}`;
    }
    return String(err);
}

/** Maps anything the Automation API or the CLI threw to the error a caller can act on. */
export function classifyError(err: unknown, context: { stack?: string; cliRoot?: string } = {}): AutomationError {
    if (err instanceof AutomationError) {
        return err;
    }
    const text = errorText(err);
    const name = err instanceof Error ? err.name : "";
    if (/ENOENT/.test(text) && /pulumi/.test(text)) {
        return new PulumiCliMissingError(
            context.cliRoot ? `No Pulumi CLI at ${context.cliRoot}/bin/pulumi.` : "The Pulumi CLI is not installed (no `pulumi` on PATH).",
            "Install it: curl -fsSL https://get.pulumi.com | sh (or brew install pulumi/tap/pulumi), then open a new shell.",
            err,
        );
    }
    if (name === "ConcurrentUpdateError" || /currently locked by|Another update is currently in progress/.test(text)) {
        return new StackLockedError(
            `Stack ${context.stack ?? ""} is locked by another update.`.replace("  ", " "),
            "Wait for it to finish. If no update is running (a killed process left the lock), run: pulumi cancel --stack <stack>",
            err,
        );
    }
    if (name === "StackNotFoundError" || /no stack named.*found/.test(text)) {
        return new StackNotFoundError(
            `Stack ${context.stack ?? ""} does not exist in the current backend.`.replace("  ", " "),
            "Check `pulumi whoami` and `pulumi stack ls`, or create it with `up`.",
            err,
        );
    }
    if (credentialPatterns.some((pattern) => pattern.test(text))) {
        return new CredentialsError(
            "Credentials are missing or expired.",
            "For AWS: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or assume a role). For Pulumi Cloud: pulumi login, or set PULUMI_ACCESS_TOKEN.",
            err,
        );
    }
    const firstLine = (err instanceof Error ? err.message : String(err)).split("\n").find((line) => line.trim() !== "") ?? "unknown error";
    return new OperationFailedError(firstLine.trim(), "See the output above for the failing resource.", err);
}
