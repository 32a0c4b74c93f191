/**
 * Names and values of environment variables that look like credentials: such values belong in
 * an ECS task's `secrets`, never in its plain `environment`. The config refuses them and the
 * policy pack reports them, with these same checks.
 */
export const secretLookingName =
    /SECRET|PASSWORD|PASSWD|PASSPHRASE|(^|_)PASS($|_)|(^|_)PWD$|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|(SIGNING|ENCRYPTION|MASTER|SESSION)_?KEY|CREDENTIAL|(^|_)CREDS($|_)|(^|_)AUTH($|_)|(^|_)(?!PUBLIC_|KMS_)[A-Z0-9]+_KEY$|(^|_)DSN$|(^|_)SALT$|WEBHOOK/i;

/** Why `value` looks like a credential itself, whatever its variable is called; undefined if it does not. */
export function secretLookingValue(value: string): string | undefined {
    if (/(^|[^A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}($|[^A-Z0-9])/.test(value)) {
        return "an AWS access key id";
    }
    if (/^[A-Za-z0-9/+]{40}$/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value)) {
        return "a 40-character secret (the shape of an AWS secret access key)";
    }
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:[^/@\s]+@/i.test(value)) {
        return "a URL with a password in it (user:password@)";
    }
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) {
        return "a private key";
    }
    // Providers' documented token prefixes: Stripe secret and restricted keys, GitHub, Slack,
    // GitLab, npm, SendGrid, OpenAI and Anthropic keys, Google API keys.
    if (/(^|[^A-Za-z0-9])((sk|rk)_(live|test)_[A-Za-z0-9]{8,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|glpat-[A-Za-z0-9_-]{20}|npm_[A-Za-z0-9]{36}|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}|sk-(proj-|ant-)?[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{35})/.test(value)) {
        return "a provider's API token";
    }
    return undefined;
}

/**
 * Why a container's command or entry point holds a credential, or undefined: an argument that
 * looks like one itself, a credential-looking option or variable given a value
 * (`--db-password=x`, `--password x`, `PASSWORD=x` in a shell line).
 */
export function secretInCommand(args: string[]): string | undefined {
    const words = args.flatMap((a) => a.split(/\s+/)).filter((w) => w !== "");
    for (const [i, word] of words.entries()) {
        const value = secretLookingValue(word.replace(/^[^=]*=/, "")) ?? secretLookingValue(word);
        if (value !== undefined) return value;
        const option = /^(?:--?|export\s*)?([A-Za-z][\w.-]*)(=(.*))?$/.exec(word);
        if (option === null) continue;
        const name = option[1].replace(/[-.]/g, "_");
        const given = option[3] !== undefined ? option[3] !== "" : word.startsWith("-") && words[i + 1] !== undefined && !words[i + 1].startsWith("-");
        // A value that reads another variable ($DB_PASSWORD) or a file is not the credential itself.
        const indirect = (option[3] ?? words[i + 1] ?? "").startsWith("$") || /file$/i.test(name);
        if (secretLookingName.test(name) && given && !indirect) return `a credential-looking ${word.startsWith("-") ? "option" : "variable"} (${option[1]}) given a value`;
    }
    return undefined;
}
