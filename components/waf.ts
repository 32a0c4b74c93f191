import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stackScope } from "../lib/stackNames";
import { appDefaultMaxUploadBytes, filesApiPath, greaterThanPattern, visibility, wafMinRateLimit, wafRegexMaxLength, wafRules } from "../lib/waf";

export interface WafArgs {
    /**
     * ARN of the load balancer the web ACL protects.
     */
    loadBalancerArn: pulumi.Input<string>;
    /**
     * Requests one client IP may send per 5 minutes; further ones get 429 until its rate falls.
     * @default 1000
     */
    rateLimit?: number;
    /**
     * Largest declared Content-Length let through (the app's MAX_UPLOAD_BYTES); larger gets 413.
     * @default the app's default MAX_UPLOAD_BYTES, 10 MiB
     */
    maxUploadBytes?: number;
    /**
     * Path prefixes whose requests carry users' data (files, names, prefixes), where AWS's rules
     * that judge a request's body, path or query only count (lib/waf.ts); they block elsewhere.
     * @default ["/files"] (the app's files API)
     */
    contentPaths?: string[];
    /**
     * The web ACL's CloudWatch metric name (at most 255 letters, digits and _ # : . - /).
     * @default `<project>-<stack>-<name>`
     */
    metricName?: string;
}

/**
 * An AWS WAF web ACL (scope REGIONAL) associated with the load balancer: a rate limit per client
 * IP, a Content-Length limit, and AWS's common and known-bad-inputs rule groups (lib/waf.ts);
 * everything else is allowed. Every rule publishes CloudWatch metrics and sampled requests.
 */
export class Waf extends pulumi.ComponentResource {
    /** The web ACL's ARN. */
    public readonly webAclArn: pulumi.Output<string>;
    /** The web ACL. */
    public readonly webAcl: aws.wafv2.WebAcl;

    constructor(name: string, args: WafArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:waf:Waf", name, {}, opts);
        const rateLimit = args.rateLimit ?? 1000;
        const maxUploadBytes = args.maxUploadBytes ?? appDefaultMaxUploadBytes;
        // AWS WAF developer guide: a rate limit of 10 to 2,000,000,000; quotas: a regex of at most 200 characters.
        if (!Number.isInteger(rateLimit) || rateLimit < wafMinRateLimit || rateLimit > 2e9) {
            throw new pulumi.ResourceError(`Waf ${name}: rateLimit ${rateLimit} must be ${wafMinRateLimit} to 2000000000 requests per 5 minutes`, this);
        }
        if (!Number.isSafeInteger(maxUploadBytes) || maxUploadBytes < 1 || greaterThanPattern(maxUploadBytes).length > wafRegexMaxLength) {
            throw new pulumi.ResourceError(`Waf ${name}: maxUploadBytes ${maxUploadBytes} must be a whole number of bytes whose Content-Length regex fits WAF's ${wafRegexMaxLength} characters (at most 10 digits always do)`, this);
        }
        const contentPaths = args.contentPaths ?? [filesApiPath];
        if (contentPaths.length === 0 || contentPaths.length > 10 || contentPaths.some((p) => !/^\/\S{0,199}$/.test(p))) {
            throw new pulumi.ResourceError(`Waf ${name}: contentPaths must be 1-10 path prefixes, each starting with / and at most 200 characters`, this);
        }
        const metricName = args.metricName ?? `${stackScope(pulumi.getProject(), pulumi.getStack())}-${name}`;
        if (!/^[\w#:.\-/]{1,255}$/.test(metricName)) {
            throw new pulumi.ResourceError(`Waf ${name}: metricName ${JSON.stringify(metricName)} must be 1-255 letters, digits and _ # : . - /`, this);
        }
        const webAcl = new aws.wafv2.WebAcl(
            `${name}-acl`,
            {
                description: "Rate limit per client IP, upload size limit, AWS common and known-bad-inputs rules",
                scope: "REGIONAL",
                defaultAction: { allow: {} },
                rules: wafRules({ rateLimit, maxUploadBytes }, contentPaths),
                visibilityConfig: visibility(metricName),
            },
            { parent: this },
        );
        new aws.wafv2.WebAclAssociation(`${name}-association`, { resourceArn: args.loadBalancerArn, webAclArn: webAcl.arn }, { parent: this });
        this.webAclArn = webAcl.arn;
        this.webAcl = webAcl;
        this.registerOutputs({ webAclArn: this.webAclArn });
    }
}
