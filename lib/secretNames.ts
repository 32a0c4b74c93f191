/**
 * Names and values of environment variables that look like credentials: such values belong in
 * an ECS task's `secrets`, never in its plain `environment`. The config refuses them and the
 * policy pack reports them, with these same checks.
 */
export const secretLookingName =
    /SECRET|PASSWORD|PASSWD|PASSPHRASE|(^|_)PASS($|_)|(^|_)PWD$|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|(SIGNING|ENCRYPTION|MASTER|SESSION)_?KEY|CREDENTIAL|(^|_)CREDS($|_)/i;

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
    return undefined;
}
