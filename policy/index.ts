// The flask-fargate policy pack: `pulumi preview --policy-pack policy` from the project root.
// The policies live in ./policies, so tests import them without starting the pack's server.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("flask-fargate", {
    description: "Security and reliability rules for flask-fargate stacks: ECS, ALB, security groups, ECR, logs, IAM and S3.",
    enforcementLevel: "mandatory",
    policies,
});
