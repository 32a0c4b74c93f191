import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { alarmKeyPolicy, alarmTopicPolicy } from "../lib/policies";
import { NotificationsConfig } from "../lib/types";

export interface NotificationsArgs {
    /**
     * Email addresses and HTTPS endpoints to subscribe.
     * @default none
     */
    subscribers?: NotificationsConfig;
}

/**
 * The stack's alarm topic: SNS, encrypted with a customer-managed KMS key that CloudWatch alarms
 * and EventBridge may use (they cannot use the AWS-managed aws/sns key), its policy (the one owner
 * of who may publish: this account's CloudWatch alarms and EventBridge rules, in this region, so
 * every service's Alarms can use it without touching it), and its subscriptions.
 */
export class Notifications extends pulumi.ComponentResource {
    /** The topic alarms and events publish to. */
    public readonly topicArn: pulumi.Output<string>;
    /** The topic (its policy is this component's). */
    public readonly topic: aws.sns.Topic;

    constructor(name: string, args: NotificationsArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:notifications:Notifications", name, {}, opts);
        const subscribers = args.subscribers ?? { emails: [], httpsEndpoints: [] };

        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: "Encrypts the alarm topic; CloudWatch alarms and EventBridge may use it",
                enableKeyRotation: true,
                deletionWindowInDays: 7,
                policy: account.apply((id) => JSON.stringify(alarmKeyPolicy(id))),
            },
            { parent: this },
        );
        const topic = new aws.sns.Topic(`${name}-topic`, { kmsMasterKeyId: key.arn }, { parent: this });
        const region = aws.getRegionOutput({}, { parent: this }).region;
        new aws.sns.TopicPolicy(
            `${name}-publishers`,
            { arn: topic.arn, policy: pulumi.all([topic.arn, account, region]).apply(([topicArn, id, r]) => JSON.stringify(alarmTopicPolicy(topicArn, id, r))) },
            { parent: this },
        );

        // Named by a hash of the endpoint, not its position, so removing one subscriber does not
        // replace (and make re-confirm) the others.
        const endpoints = [...subscribers.emails.map((e) => ["email", e]), ...subscribers.httpsEndpoints.map((u) => ["https", u])];
        for (const [protocol, endpoint] of endpoints) {
            const id = createHash("sha256").update(endpoint).digest("hex").slice(0, 8);
            new aws.sns.TopicSubscription(`${name}-${protocol}-${id}`, { topic: topic.arn, protocol, endpoint }, { parent: this });
        }

        this.topicArn = topic.arn;
        this.topic = topic;
        this.registerOutputs({ topicArn: this.topicArn });
    }
}
