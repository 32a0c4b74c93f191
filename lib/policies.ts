/**
 * IAM and bucket policy documents, as plain data so tests can read exactly what they allow.
 */

/** One IAM policy statement. */
export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: Record<string, string | string[]> | "*";
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: Statement[];
}

/** Managed policy that lets ECS pull images from ECR and write awslogs. */
export const taskExecutionManagedPolicyArn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

/** Bucket-level actions the app performs (listing its files). */
export const bucketActions = ["s3:ListBucket", "s3:GetBucketLocation"];

/**
 * Object-level actions the app performs (upload, download, delete, and abort a failed multipart
 * upload: S3 authorizes AbortMultipartUpload on the object's ARN; the multipart upload's create,
 * upload-part and complete calls need s3:PutObject).
 */
export const objectActions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"];

/**
 * Trust policy for a role that an AWS service (e.g. ecs-tasks.amazonaws.com) assumes. With
 * `account`, only that account's use of the service may assume it (AWS's guard against the
 * confused-deputy problem).
 */
export function serviceTrustPolicy(service: string, account?: string): PolicyDocument {
    const statement: Statement = {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
    };
    if (account !== undefined) {
        statement.Condition = { StringEquals: { "aws:SourceAccount": account } };
    }
    return { Version: "2012-10-17", Statement: [statement] };
}

/** The task role's policy: what the app does on its own bucket, and nothing else. */
export function bucketAccessPolicy(bucketArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ListAppBucket", Effect: "Allow", Action: bucketActions, Resource: bucketArn },
            { Sid: "ReadWriteAppObjects", Effect: "Allow", Action: objectActions, Resource: `${bucketArn}/*` },
        ],
    };
}

/**
 * The IAM resource of a container secret's `valueFrom`: a Secrets Manager reference may end in
 * `:json-key:version-stage:version-id`, which IAM does not know; the secret ARN is its first 7 parts.
 */
export function secretResourceArn(valueFrom: string): string {
    const parts = valueFrom.split(":");
    return parts[2] === "secretsmanager" ? parts.slice(0, 7).join(":") : valueFrom;
}

/**
 * Most characters of a role's inline policies together, white space not counted: "Role policy size
 * cannot exceed 10,240 characters" (IAM User Guide, "IAM and AWS STS quotas").
 */
export const roleInlinePoliciesMaxSize = 10240;

/**
 * The execution role's read access to exactly the declared secrets (and their KMS key), or
 * undefined when there are none.
 */
export function secretsReadPolicy(valueFroms: string[], kmsKeyArn?: string): PolicyDocument | undefined {
    const arns = [...new Set(valueFroms.map(secretResourceArn))].sort();
    const secretsManager = arns.filter((arn) => arn.split(":")[2] === "secretsmanager");
    const parameters = arns.filter((arn) => arn.split(":")[2] === "ssm");
    const statements: Statement[] = [];
    if (secretsManager.length > 0) {
        statements.push({ Sid: "ReadSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretsManager });
    }
    if (parameters.length > 0) {
        statements.push({ Sid: "ReadParameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: parameters });
    }
    if (statements.length > 0 && kmsKeyArn !== undefined) {
        statements.push({ Sid: "DecryptSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: kmsKeyArn });
    }
    return statements.length > 0 ? { Version: "2012-10-17", Statement: statements } : undefined;
}

/** Bucket policy that refuses every request not made over TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/**
 * ECS Exec: the task role opens the SSM Session Manager channels. These actions take no
 * resource-level permissions, so `Resource: "*"` is the only form AWS accepts.
 */
export function executeCommandPolicy(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EcsExecChannels",
                Effect: "Allow",
                Action: [
                    "ssmmessages:CreateControlChannel",
                    "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel",
                    "ssmmessages:OpenDataChannel",
                ],
                Resource: "*",
            },
        ],
    };
}

/**
 * Elastic Load Balancing's log delivery account in each region that opened before August 2022
 * ("Enable access logs for your Application Load Balancer", step 2, "Attach a policy to your S3
 * bucket", ELB user guide). Regions opened since then, and any region not listed, use the
 * `logdelivery.elasticloadbalancing.amazonaws.com` service principal instead.
 */
export const elbLogDeliveryAccounts: Record<string, string> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
};

/** The principal that writes a region's ALB access logs. */
export function elbLogDeliveryPrincipal(region: string): Record<string, string> {
    const account = elbLogDeliveryAccounts[region];
    return account === undefined ? { Service: "logdelivery.elasticloadbalancing.amazonaws.com" } : { AWS: `arn:aws:iam::${account}:root` };
}

/** The bucket policy statement that lets the region's ELB write this account's access logs under `prefix`. */
export function elbLogDeliveryStatement(bucketArn: string, prefix: string, account: string, region: string): Statement {
    return {
        Sid: "ElbAccessLogDelivery",
        Effect: "Allow",
        Principal: elbLogDeliveryPrincipal(region),
        Action: "s3:PutObject",
        Resource: `${bucketArn}/${prefix}/AWSLogs/${account}/*`,
    };
}

/** The load balancer resources ECS switches during a blue/green deployment. */
export interface BlueGreenResources {
    /** The production listener (and the test listener, if separate). */
    listenerArns: string[];
    /** The production and test listener rules. */
    ruleArns: string[];
    /** Blue and green target groups. */
    targetGroupArns: string[];
}

/**
 * The ECS infrastructure role's permissions for blue/green deployments: AWS's managed
 * AmazonECSInfrastructureRolePolicyForLoadBalancers narrowed to this stack's listener, rules and
 * target groups ("Amazon ECS infrastructure IAM role for load balancers", ECS developer guide).
 * The Describe actions take no resource-level permission, so they need `Resource: "*"`.
 */
export function blueGreenPolicy(r: BlueGreenResources): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadLoadBalancing",
                Effect: "Allow",
                Action: ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
                Resource: "*",
            },
            { Sid: "ShiftTraffic", Effect: "Allow", Action: ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule"], Resource: [...r.listenerArns, ...r.ruleArns] },
            { Sid: "RegisterTasks", Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: r.targetGroupArns },
        ],
    };
}

/**
 * Key policy of the alarm topic's customer-managed key. CloudWatch alarms cannot publish to a
 * topic encrypted with the AWS-managed aws/sns key, whose policy no one can change: the key must
 * let cloudwatch.amazonaws.com (and events.amazonaws.com, for the Spot interruption rule)
 * generate data keys and decrypt ("Amazon SNS encryption at rest" / "Configure AWS KMS
 * permissions for AWS services", SNS developer guide). The account keeps administering the key.
 */
export function alarmKeyPolicy(account: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
            {
                Sid: "AlarmsAndEventsEncrypt",
                Effect: "Allow",
                Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
            },
        ],
    };
}

/**
 * The alarm topic's policy: this account's CloudWatch alarms and EventBridge rules in this region
 * may publish (every service's Alarms, its Spot interruption rule among them); nothing else. One
 * owner, the topic's component: a policy per Alarms component would overwrite the others' (a topic
 * has one policy).
 */
export function alarmTopicPolicy(topicArn: string, account: string, region: string): PolicyDocument {
    const publisher = (Sid: string, service: string, sourceArn: string): Statement => ({
        Sid,
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { ArnLike: { "aws:SourceArn": sourceArn } },
    });
    return {
        Version: "2012-10-17",
        Statement: [
            publisher("AlarmsPublish", "cloudwatch.amazonaws.com", `arn:aws:cloudwatch:${region}:${account}:alarm:*`),
            publisher("EventRulesPublish", "events.amazonaws.com", `arn:aws:events:${region}:${account}:rule/*`),
        ],
    };
}
