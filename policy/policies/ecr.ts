/** ECR repositories. */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ofType, refersTo } from "./util";

const REPOSITORY = "aws:ecr/repository:Repository";

export const scanOnPush: ResourceValidationPolicy = {
    name: "ecr-scan-on-push",
    description: "ECR repositories scan every pushed image for vulnerabilities.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type === REPOSITORY && args.props.imageScanningConfiguration?.scanOnPush !== true) {
            report("scanOnPush is off: set imageScanningConfiguration.scanOnPush to true.");
        }
    },
};

export const immutableTags: ResourceValidationPolicy = {
    name: "ecr-immutable-tags",
    description: "ECR image tags are immutable (a build cache tag may be excluded).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type === REPOSITORY && !["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"].includes(args.props.imageTagMutability)) {
            report(`imageTagMutability is ${args.props.imageTagMutability ?? "MUTABLE (the default)"}: use IMMUTABLE.`);
        }
    },
};

export const lifecyclePolicy: StackValidationPolicy = {
    name: "ecr-lifecycle-policy",
    description: "Every ECR repository has a lifecycle policy, so old images do not pile up.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const policies = ofType(args.resources, "aws:ecr/lifecyclePolicy:LifecyclePolicy");
        for (const repo of ofType(args.resources, REPOSITORY)) {
            if (!policies.some((p) => refersTo(p, "repository", repo, p.props.repository, repo.props.name))) {
                report(`${repo.name} has no lifecycle policy.`, repo.urn);
            }
        }
    },
};
