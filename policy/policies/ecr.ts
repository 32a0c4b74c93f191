/** ECR repositories. */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { outsiderAllows } from "./iamEval";
import { isType, isUnknown, list, ofType, policyDocument, propsOf, refersTo, str } from "./util";

const REPOSITORY = "aws:ecr/repository:Repository";
/** A creation template makes repositories (pull-through cache, replication, create on push) with its settings. */
const TEMPLATE = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate";

export const scanOnPush: ResourceValidationPolicy = {
    name: "ecr-scan-on-push",
    description: "ECR repositories scan every pushed image for vulnerabilities.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const scanning = propsOf(args).imageScanningConfiguration;
        if (isType(args.type, REPOSITORY) && !isUnknown(scanning) && !isUnknown(scanning?.scanOnPush) && scanning?.scanOnPush !== true) {
            report("scanOnPush is off: set imageScanningConfiguration.scanOnPush to true.");
        }
    },
};

export const immutableTags: ResourceValidationPolicy = {
    name: "ecr-immutable-tags",
    description: "ECR image tags are immutable, in repositories and in the creation templates that make repositories; with IMMUTABLE_WITH_EXCLUSION, no exclusion filter matches every tag (a build cache tag may be excluded).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!isType(args.type, REPOSITORY) && !isType(args.type, TEMPLATE)) return;
        const props = propsOf(args);
        const mutability = props.imageTagMutability;
        if (isUnknown(mutability)) return;
        if (!["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"].includes(mutability)) {
            report(`imageTagMutability is ${mutability ?? "MUTABLE (the default)"}: use IMMUTABLE.`);
        }
        if (mutability === "IMMUTABLE_WITH_EXCLUSION") {
            for (const f of list(props.imageTagMutabilityExclusionFilters) as Record<string, unknown>[]) {
                const filter = str(f?.filter);
                if (filter !== undefined && /^[*?]*$/.test(filter)) {
                    report(`the exclusion filter "${filter}" makes every tag mutable: exclude only the tags that must move (e.g. a build cache tag).`);
                }
            }
        }
    },
};

export const noPublicPolicy: ResourceValidationPolicy = {
    name: "ecr-no-public-policy",
    description:
        "No repository, registry or creation-template policy lets a principal from outside the account (Principal * or {\"AWS\": \"*\"}, NotPrincipal) use the images unless a condition pins an account or organization, read as IAM reads it; no ECR Public repository (anyone can pull from one).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (isType(args.type, "aws:ecrpublic/repository:Repository")) {
            report("an ECR Public repository: anyone on the internet can pull its images; use a private repository.");
            return;
        }
        const prop = isType(args.type, TEMPLATE) ? "repositoryPolicy" : "policy";
        if (!isType(args.type, "aws:ecr/repositoryPolicy:RepositoryPolicy") && !isType(args.type, "aws:ecr/registryPolicy:RegistryPolicy") && !isType(args.type, TEMPLATE)) return;
        for (const s of outsiderAllows(policyDocument(propsOf(args)[prop]).statements, false)) {
            report(`the policy allows ${s.actions.join(", ") || "its actions"} to anyone: name the accounts, or limit it with aws:PrincipalOrgID.`);
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
            // A repository whose name is not known yet may be the one a policy names.
            const byUnknownName = isUnknown(propsOf(repo).name) && policies.some((p) => (p.propertyDependencies?.repository ?? []).length === 0);
            // A policy whose repository is not known yet may be this one's.
            const unknownTarget = policies.some((p) => isUnknown(propsOf(p).repository) && (p.propertyDependencies?.repository ?? []).length === 0);
            if (!byUnknownName && !unknownTarget && !policies.some((p) => refersTo(p, "repository", repo, propsOf(p).repository, propsOf(repo).name))) {
                report(`${repo.name} has no lifecycle policy.`, repo.urn);
            }
        }
    },
};
