/** Resource policies of SNS topics and KMS keys (the alarm topic and its key), and the topic's encryption. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { outsiderAllows } from "./iamEval";
import { isType, isUnknown, policyDocument, propsOf } from "./util";

/** The resource types that carry a resource policy in `policy`, and what they are. */
const carriers: Record<string, string> = {
    "aws:sns/topic:Topic": "the topic's policy",
    "aws:sns/topicPolicy:TopicPolicy": "the topic policy",
    "aws:kms/key:Key": "the key policy",
    "aws:kms/keyPolicy:KeyPolicy": "the key policy",
};

export const noPublicResourcePolicy: ResourceValidationPolicy = {
    name: "sns-kms-no-public-policy",
    description:
        "No SNS topic policy or KMS key policy lets a principal from outside the account in (Principal \"*\", {\"AWS\": \"*\"}, NotPrincipal) unless a condition pins an account, organization, source or network, read as IAM reads it (a negated operator, a wildcard value, ...IfExists or ForAllValues does not pin).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const what = Object.entries(carriers).find(([t]) => isType(args.type, t))?.[1];
        if (what === undefined) return;
        for (const s of outsiderAllows(policyDocument(propsOf(args).policy).statements, false)) {
            report(`${what} lets anyone outside the account ${s.actions.join(", ") || `do everything but ${s.notActions.join(", ")}`}: name the principals (services with aws:SourceAccount or aws:SourceArn), or pin them with StringEquals aws:PrincipalOrgID.`);
        }
    },
};

export const topicEncrypted: ResourceValidationPolicy = {
    name: "sns-topic-encrypted",
    description: "SNS topics are encrypted at rest with a KMS key (kmsMasterKeyId).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!isType(args.type, "aws:sns/topic:Topic")) return;
        const key = propsOf(args).kmsMasterKeyId;
        if (!isUnknown(key) && (typeof key !== "string" || key.trim() === "")) {
            report("no kmsMasterKeyId: the topic's messages (alarm details) are stored unencrypted; give it a KMS key whose policy lets the publishers use it.");
        }
    },
};
