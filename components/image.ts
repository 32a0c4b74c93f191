import * as aws from "@pulumi/aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { buildTag } from "../lib/buildTag";
import { Architecture } from "../lib/types";

/** The project's directory, where Pulumi.yaml is: build locations are relative to it. */
const projectDir = path.join(__dirname, "..");

/** Docker platform of each task CPU architecture. */
export const platforms: Record<Architecture, dockerBuild.Platform> = {
    X86_64: "linux/amd64",
    ARM64: "linux/arm64",
};

/** Tag of the registry build cache; the one tag exempt from immutability. */
export const cacheTag = "buildcache";

/** ECR lifecycle policy: untagged images go after a day; of the build tags, the newest `keep` stay. */
export function lifecyclePolicy(keep: number): string {
    return JSON.stringify({
        rules: [
            {
                rulePriority: 1,
                description: "Expire untagged images after a day",
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the last ${keep} builds`,
                selection: { tagStatus: "tagged", tagPrefixList: ["build-"], countType: "imageCountMoreThan", countNumber: keep },
                action: { type: "expire" },
            },
        ],
    });
}

/**
 * The context as the build's input: relative to the project's directory (where Pulumi.yaml and the
 * program are, which is the providers' working directory for pulumi up, and the workDir of an
 * Automation API program that is a copy of the project) when it lies inside it, else absolute.
 */
export function buildLocation(context: string, root = projectDir): string {
    const relative = path.relative(root, context);
    return relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? path.resolve(context) : relative.split(path.sep).join("/");
}

export interface ContainerImageArgs {
    /**
     * Directory holding the Dockerfile and the build context.
     * @default the project's app/ directory
     */
    context?: string;
    /**
     * CPU architecture of the tasks; the image is built for the matching platform.
     * @default "X86_64"
     */
    architecture?: Architecture;
    /**
     * An existing image to run instead: nothing is built and no repository is created.
     * @default undefined (build `context`)
     */
    image?: string;
    /**
     * Build the image during previews as well (never pushed then).
     * @default true
     */
    buildOnPreview?: boolean;
    /**
     * How many build tags the repository's lifecycle policy keeps.
     * @default 10
     */
    keepImages?: number;
    /**
     * Keep the repository and its images when the stack is destroyed; when false, destroy
     * deletes the repository together with its images.
     * @default true
     */
    protectData?: boolean;
}

/** The app image: built from app/ and pushed to a private ECR repository, referenced by digest. */
export class ContainerImage extends pulumi.ComponentResource {
    /** Image reference pinned to the build's digest (`repo@sha256:...`), or the configured image. */
    public readonly imageRef: pulumi.Output<string>;
    /** The image's version label: the build tag, or the configured image. */
    public readonly version: pulumi.Output<string>;
    /** The ECR repository URL ("" when an existing image is used). */
    public readonly repositoryUrl: pulumi.Output<string>;
    /** The ECR repository, when this component builds the image. */
    public readonly repository?: aws.ecr.Repository;

    constructor(name: string, args: ContainerImageArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("flask-fargate:image:ContainerImage", name, {}, opts);

        if (args.image !== undefined) {
            this.imageRef = pulumi.output(args.image);
            this.version = pulumi.output(args.image);
            this.repositoryUrl = pulumi.output("");
            this.registerOutputs({ imageRef: this.imageRef });
            return;
        }

        const protectData = args.protectData ?? true;
        const repository = new aws.ecr.Repository(
            `${name}-repo`,
            {
                imageScanningConfiguration: { scanOnPush: true },
                imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
                imageTagMutabilityExclusionFilters: [{ filter: cacheTag, filterType: "WILDCARD" }],
                encryptionConfigurations: [{ encryptionType: "AES256" }],
                forceDelete: !protectData,
            },
            { parent: this, retainOnDelete: protectData },
        );
        new aws.ecr.LifecyclePolicy(
            `${name}-lifecycle`,
            { repository: repository.name, policy: lifecyclePolicy(args.keepImages ?? 10) },
            { parent: this },
        );

        const context = args.context ?? path.join(projectDir, "app");
        // The build's inputs hold the context relative to the project's root (pulumi up, and the
        // Automation API with a copy of the project as workDir), so the same
        // checkout content deployed from another path (a laptop, then CI) shows no change: an
        // absolute path would rebuild and push the same build-<hash> tag with a new digest, which
        // the repository's immutable tags refuse. docker-build resolves a relative location against
        // its working directory, the project's root, and finds <context>/Dockerfile by default.
        const location = buildLocation(context);
        const platform = platforms[args.architecture ?? "X86_64"];
        const tag = buildTag(context, platform);
        const auth = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent: this });
        const cacheRef = pulumi.interpolate`${repository.repositoryUrl}:${cacheTag}`;
        const image = new dockerBuild.Image(
            `${name}-build`,
            {
                context: { location },
                platforms: [platform],
                tags: [pulumi.interpolate`${repository.repositoryUrl}:${tag}`],
                push: true,
                buildOnPreview: args.buildOnPreview ?? true,
                registries: [
                    {
                        address: repository.repositoryUrl,
                        username: auth.userName,
                        password: pulumi.secret(auth.password),
                    },
                ],
                cacheFrom: [{ registry: { ref: cacheRef } }],
                cacheTo: [{ registry: { ref: cacheRef, imageManifest: true, ociMediaTypes: true, mode: "max" } }],
            },
            { parent: this },
        );

        this.imageRef = pulumi.interpolate`${repository.repositoryUrl}@${image.digest}`;
        this.version = pulumi.output(tag);
        this.repositoryUrl = repository.repositoryUrl;
        this.repository = repository;
        this.registerOutputs({ imageRef: this.imageRef, repositoryUrl: this.repositoryUrl });
    }
}
