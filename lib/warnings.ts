/**
 * What a preview tells the user about a stack's exposure, without refusing it: warnings the program
 * logs with pulumi.log.warn before declaring resources.
 */
import { projectName, StackConfig } from "./config";

/** The preview's warnings for a validated config; none for a stack with keys, HTTPS and WAF. */
export function securityWarnings(config: StackConfig): string[] {
    const warnings: string[] = [];
    if (config.apiKeysSecretArn === undefined) {
        // A committed stack file cannot name a real secret ARN, so this is a warning, not an error.
        warnings.push(
            `${projectName}:apiKeysSecretArn is empty: the app has no API keys, so the files API answers 503 ${config.publicRead ? "to uploads and deletes (reads are public)" : "to every request"}. Create the secret (docs/security.md, "API keys") and set it.`,
        );
    }
    if (config.domain === undefined) {
        warnings.push(
            `${projectName}:domainName is empty: the load balancer serves plain HTTP only, so API keys (the Authorization header) travel in clear text and anyone on the path can read and reuse them. Set domainName and hostedZoneId for HTTPS before giving out keys.`,
        );
    }
    return warnings;
}
