/**
 * The WAF web ACL's rules as plain data (components/waf.ts declares them): a rate limit per client
 * IP, AWS's common and known-bad-inputs rule groups, and a Content-Length limit that matches the
 * app's MAX_UPLOAD_BYTES.
 */

/** The app's MAX_UPLOAD_BYTES when the environment does not set it (app/settings.py DEFAULT_MAX_UPLOAD_BYTES). */
export const appDefaultMaxUploadBytes = 10 * 1024 * 1024;

/**
 * The lowest rate limit WAF accepts: "The lowest limit setting allowed is 10" (AWS WAF developer
 * guide, "Rate-based rule high-level settings"; it was 100 before 2024).
 */
export const wafMinRateLimit = 10;

/** Settings of the web ACL. */
export interface WafConfig {
    /** Requests one client IP may send per 5 minutes. */
    rateLimit: number;
    /** Largest Content-Length let through: the app's MAX_UPLOAD_BYTES. */
    maxUploadBytes: number;
}

/**
 * The MAX_UPLOAD_BYTES the app runs with: the container environment's, else the app's default.
 * Undefined when the value is not one the app accepts (app/settings.py: 1 to 15 ASCII digits, above 0).
 */
export function maxUploadBytes(environment: Record<string, string>): number | undefined {
    const raw = environment.MAX_UPLOAD_BYTES;
    if (raw === undefined) {
        return appDefaultMaxUploadBytes;
    }
    return /^[0-9]{1,15}$/.test(raw) && Number(raw) > 0 ? Number(raw) : undefined;
}

/**
 * A regular expression that matches exactly the decimal numbers above `n` (leading zeros allowed,
 * as HTTP's `Content-Length = 1*DIGIT` allows them). WAF compares a header's value as text: a size
 * constraint on a header measures the length of its value, not the number it spells, so the limit
 * is a regex on the digits. Either more significant digits than `n`, or as many, equal up to some
 * position and greater there.
 */
export function greaterThanPattern(n: number): string {
    if (!Number.isSafeInteger(n) || n < 0) {
        throw new Error(`not a whole number of bytes: ${n}`);
    }
    const digits = String(n);
    const longer = `[1-9][0-9]{${digits.length},}`;
    const sameLength: string[] = [];
    for (let i = 0; i < digits.length; i++) {
        const d = Number(digits[i]);
        if (d === 9) continue;
        const next = d + 1 === 9 ? "9" : `[${d + 1}-9]`;
        const rest = digits.length - i - 1;
        sameLength.push(`${digits.slice(0, i)}${next}${rest > 0 ? `[0-9]{${rest}}` : ""}`);
    }
    return `^0*(${[longer, ...sameLength].join("|")})$`;
}

/** Visibility of a rule or of the web ACL: CloudWatch metrics and sampled requests under `metricName`. */
export function visibility(metricName: string) {
    return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

/**
 * The common rule set's rule that blocks bodies over 8 KB. For an ALB, WAF sees only the first
 * 8 KB of a body ("For Application Load Balancer and AWS AppSync, the limit is fixed at 8 KB",
 * AWS WAF developer guide, "Considerations for managing body inspection"), and the rule blocks
 * anything larger: every upload over 8 KB. It counts instead; the Content-Length rule bounds sizes.
 */
export const countedCommonRules = ["SizeRestrictions_BODY"];

/** The web ACL's rules, in evaluation order. */
export function wafRules(config: WafConfig) {
    const managed = (priority: number, name: string, countOnly: string[] = []) => ({
        name,
        priority,
        overrideAction: { none: {} },
        statement: {
            managedRuleGroupStatement: {
                vendorName: "AWS",
                name,
                ruleActionOverrides: countOnly.length > 0 ? countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) : undefined,
            },
        },
        visibilityConfig: visibility(name),
    });
    return [
        {
            name: "rate-per-ip",
            priority: 0,
            action: { block: { customResponse: { responseCode: 429 } } },
            statement: { rateBasedStatement: { aggregateKeyType: "IP", limit: config.rateLimit, evaluationWindowSec: 300 } },
            visibilityConfig: visibility("rate-per-ip"),
        },
        {
            // WAF cannot see a body past 8 KB on an ALB, so the size is judged by the declared
            // Content-Length header; the app counts the bytes of a chunked body itself (413).
            name: "content-length-limit",
            priority: 1,
            action: { block: { customResponse: { responseCode: 413 } } },
            statement: {
                regexMatchStatement: {
                    regexString: greaterThanPattern(config.maxUploadBytes),
                    fieldToMatch: { singleHeader: { name: "content-length" } },
                    textTransformations: [{ priority: 0, type: "NONE" }],
                },
            },
            visibilityConfig: visibility("content-length-limit"),
        },
        managed(2, "AWSManagedRulesCommonRuleSet", countedCommonRules),
        managed(3, "AWSManagedRulesKnownBadInputsRuleSet"),
    ];
}

/** Rules of the web ACL (each billed as one rule a month; a managed rule group counts as one). */
export const wafRuleCount = wafRules({ rateLimit: wafMinRateLimit, maxUploadBytes: appDefaultMaxUploadBytes }).length;
