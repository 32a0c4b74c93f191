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

/** Object-level actions the app performs (upload, download, delete). */
export const objectActions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];

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
