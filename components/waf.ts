import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaultWaf } from "../lib/config";
import { visibility, wafRules } from "../lib/waf";
import { LoadBalancer } from "./loadBalancer";
import { stackScope, wafMetricName } from "../lib/stackNames";

export interface WafArgs {
    /**
     * The load balancer the web ACL protects.
     */
    loadBalancer: LoadBalancer;
    /**
     * Requests one client IP may send per 5 minutes; further ones get 429 until its rate falls.
     * @default Pulumi.yaml's default of the `wafRateLimit` setting
     */
    rateLimit?: number;
    /**
     * Largest declared Content-Length let through (the app's MAX_UPLOAD_BYTES); larger gets 413.
     * @default the app's default MAX_UPLOAD_BYTES (10 MiB), as Pulumi.yaml's default `environment` leaves it
     */
    maxUploadBytes?: number;
}

/**
 * An AWS WAF web ACL (scope REGIONAL) associated with the load balancer: a rate limit per client
 * IP, a Content-Length limit, and AWS's common and known-bad-inputs rule groups (lib/waf.ts);
 * everything else is allowed. Every rule publishes CloudWatch metrics and sampled requests.
 */
export class Waf extends pulumi.ComponentResource {
    /** The web ACL's ARN. */
    public readonly webAclArn: pulumi.Output<string>;

    constructor(name: string, args: WafArgs, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:waf:Waf", name, {}, opts);
        const webAcl = new aws.wafv2.WebAcl(
            `${name}-acl`,
            {
                description: "Rate limit per client IP, upload size limit, AWS common and known-bad-inputs rules",
                scope: "REGIONAL",
                defaultAction: { allow: {} },
                rules: wafRules({ rateLimit: args.rateLimit ?? defaultWaf.rateLimit, maxUploadBytes: args.maxUploadBytes ?? defaultWaf.maxUploadBytes }),
                visibilityConfig: visibility(wafMetricName(stackScope(pulumi.getProject(), pulumi.getStack()))),
            },
            { parent: this },
        );
        new aws.wafv2.WebAclAssociation(`${name}-association`, { resourceArn: args.loadBalancer.arn, webAclArn: webAcl.arn }, { parent: this });
        this.webAclArn = webAcl.arn;
        this.registerOutputs({ webAclArn: this.webAclArn });
    }
}
