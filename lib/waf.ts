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

/** Where the files API is served (app/app.py): request paths under it carry users' file names and contents. */
export const filesApiPath = "/files";

/**
 * The rules of AWS's managed groups that judge what a request carries, which for the files API is
 * users' data: a file's bytes (the body), its name (the URI path) and a listing's prefix (the query).
 * They misfire on ordinary files: a log or an HTML page whose first 8 KB hold `<script>`, `../` or
 * `${jndi:`, names such as `app.log`, `settings.ini` or `.env`, a long name. Each counts instead of
 * blocking (it still labels the request), and `content-rules-outside-files-api` blocks what they
 * labelled on every other path. Rule names and label namespaces: AWS WAF developer guide, "AWS
 * Managed Rules rule groups list" (core rule set, known bad inputs). WAF sees at most the first 8 KB
 * of an ALB request's body ("For Application Load Balancer and AWS AppSync, the limit is fixed at 8
 * KB"), and SizeRestrictions_BODY blocks anything larger, every upload over 8 KB: the Content-Length
 * rule bounds sizes instead.
 */
export const filesContentRules = {
    AWSManagedRulesCommonRuleSet: {
        labelNamespace: "awswaf:managed:aws:core-rule-set:",
        rules: [
            "SizeRestrictions_BODY",
            "SizeRestrictions_URIPATH",
            "SizeRestrictions_QUERYSTRING",
            "CrossSiteScripting_BODY",
            "CrossSiteScripting_URIPATH",
            "CrossSiteScripting_QUERYARGUMENTS",
            "GenericLFI_BODY",
            "GenericLFI_URIPATH",
            "GenericLFI_QUERYARGUMENTS",
            "GenericRFI_BODY",
            "GenericRFI_URIPATH",
            "GenericRFI_QUERYARGUMENTS",
            "EC2MetaDataSSRF_BODY",
            "EC2MetaDataSSRF_URIPATH",
            "EC2MetaDataSSRF_QUERYARGUMENTS",
            "RestrictedExtensions_URIPATH",
            "RestrictedExtensions_QUERYARGUMENTS",
        ],
    },
    AWSManagedRulesKnownBadInputsRuleSet: {
        labelNamespace: "awswaf:managed:aws:known-bad-inputs:",
        rules: ["JavaDeserializationRCE_BODY", "Log4JRCE_BODY", "ExploitablePaths_URIPATH"],
    },
} as const;

/**
 * The web ACL's rules, in evaluation order. `contentPaths`: the path prefixes whose requests carry
 * users' data (the files API's by default), where the managed groups' content rules only count.
 */
export function wafRules(config: WafConfig, contentPaths: string[] = [filesApiPath]) {
    const managed = (priority: number, name: keyof typeof filesContentRules) => ({
        name,
        priority,
        overrideAction: { none: {} },
        statement: {
            managedRuleGroupStatement: {
                vendorName: "AWS",
                name,
                ruleActionOverrides: filesContentRules[name].rules.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
            },
        },
        visibilityConfig: visibility(name),
    });
    const labelled = (namespace: string) => ({ labelMatchStatement: { scope: "NAMESPACE", key: namespace } });
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
        managed(2, "AWSManagedRulesCommonRuleSet"),
        managed(3, "AWSManagedRulesKnownBadInputsRuleSet"),
        {
            // What the counted rules labelled is blocked on every path but the files API's. A
            // request a blocking rule matched never gets here: only the counted rules' labels do.
            name: "content-rules-outside-files-api",
            priority: 4,
            action: { block: {} },
            statement: {
                andStatement: {
                    statements: [
                        { orStatement: { statements: Object.values(filesContentRules).map((group) => labelled(group.labelNamespace)) } },
                        { notStatement: { statement: startsWithAny(contentPaths) } },
                    ],
                },
            },
            visibilityConfig: visibility("content-rules-outside-files-api"),
        },
    ];
}

/** A statement matching a request whose URI path starts with one of `prefixes` (an OR of two or more; WAF takes no OR of one). */
function startsWithAny(prefixes: string[]) {
    const one = (prefix: string) => ({
        byteMatchStatement: { searchString: prefix, positionalConstraint: "STARTS_WITH", fieldToMatch: { uriPath: {} }, textTransformations: [{ priority: 0, type: "NONE" }] },
    });
    return prefixes.length === 1 ? one(prefixes[0]) : { orStatement: { statements: prefixes.map(one) } };
}

/**
 * WAF's limit on a regex pattern: "Maximum number of characters in a regex pattern: 200" (AWS WAF
 * developer guide, "AWS WAF quotas", not adjustable). The Content-Length pattern grows with the
 * digits of MAX_UPLOAD_BYTES: every value of up to 10 digits fits, some of 11 do not.
 */
export const wafRegexMaxLength = 200;

/** Rules of the web ACL (each billed as one rule a month; a managed rule group counts as one). */
export const wafRuleCount = wafRules({ rateLimit: wafMinRateLimit, maxUploadBytes: appDefaultMaxUploadBytes }).length;
