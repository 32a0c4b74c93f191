/** The ARNs a container secret may be read from: what ECS, Secrets Manager, SSM and IAM take. */

/** A Secrets Manager secret's full ARN (with the 6 characters AWS appends to its name) or an SSM parameter's ARN. */
export const secretArnPattern =
    /^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}(:[^:]*:[^:]*:[^:]*)?|ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9/_.-]+)$/;

/**
 * The longest ARN a secret may have: an SSM parameter's ARN ("The maximum length for a parameter
 * name, including the full length of the parameter ARN, is 1011 characters": SSM API reference,
 * PutParameter Name); a Secrets Manager secret's name has at most 512 (CreateSecret Name).
 */
export const secretArnMaxLength = 1011;

/** What a secret ARN must be, for messages and the settings domain. */
export const secretArnText = {
    pattern: secretArnPattern,
    maxLength: secretArnMaxLength,
    allowed:
        "a Secrets Manager secret's full ARN, ending in the 6 characters AWS adds to its name (arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf; `aws secretsmanager describe-secret --secret-id <name>` shows it), or an SSM parameter ARN",
};

