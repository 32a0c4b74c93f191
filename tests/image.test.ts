import * as assert from "assert";
import * as path from "path";
import { buildLocation, cacheTag } from "../components/image";
import { buildTag } from "../lib/buildTag";
import { json, root, runWith } from "./harness";

const container = (run: Awaited<ReturnType<typeof runWith>>) =>
    json(run.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions)[0];

describe("ContainerImage component", () => {
    it("creates a private repository that scans on push and never overwrites a build tag", async () => {
        const repo = (await runWith()).one("aws:ecr/repository:Repository");
        assert.deepStrictEqual(repo.inputs.imageScanningConfiguration, { scanOnPush: true });
        assert.strictEqual(repo.inputs.imageTagMutability, "IMMUTABLE_WITH_EXCLUSION");
        // Only the build cache's tag may move.
        assert.deepStrictEqual(repo.inputs.imageTagMutabilityExclusionFilters, [{ filter: cacheTag, filterType: "WILDCARD" }]);
        assert.strictEqual(repo.inputs.name, undefined, "the repository name is auto-generated");
    });

    it("expires untagged images and keeps the last keepImages builds", async () => {
        const run = await runWith({ keepImages: 7 });
        const policy = json(run.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy);
        const [untagged, builds] = policy.rules;
        assert.deepStrictEqual(untagged.selection, { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 });
        assert.deepStrictEqual(builds.selection, { tagStatus: "tagged", tagPrefixList: ["build-"], countType: "imageCountMoreThan", countNumber: 7 });
        assert.ok(!"buildcache".startsWith("build-"), "the cache tag is not a build tag, so it is never expired as one");
    });

    it("builds app/ for the task's architecture and pushes one content-derived tag with ECR credentials", async () => {
        for (const [architecture, platform] of [
            ["X86_64", "linux/amd64"],
            ["ARM64", "linux/arm64"],
        ]) {
            const run = await runWith({ architecture });
            const repoUrl = run.one("aws:ecr/repository:Repository").state.repositoryUrl;
            const build = run.one("docker-build:index:Image");
            assert.deepStrictEqual(build.inputs.platforms, [platform]);
            assert.strictEqual(build.inputs.push, true);
            assert.deepStrictEqual(build.inputs.tags, [`${repoUrl}:${buildTag(path.join(root, "app"), platform)}`]);
            assert.ok(!build.inputs.tags[0].endsWith(":latest"));
            assert.deepStrictEqual(build.inputs.registries, [{ address: repoUrl, username: "AWS", password: "token" }]);
            assert.deepStrictEqual(build.inputs.cacheFrom, [{ registry: { ref: `${repoUrl}:${cacheTag}` } }]);
            assert.strictEqual(build.inputs.cacheTo[0].registry.ref, `${repoUrl}:${cacheTag}`);
            assert.strictEqual(build.inputs.cacheTo[0].registry.imageManifest, true, "ECR needs the cache as an image manifest");
        }
    });

    it("the build's inputs hold no absolute path, so another checkout path of the same content is no change (ECR's immutable tags refuse a re-push of build-<hash>)", async () => {
        const build = (await runWith()).one("docker-build:index:Image");
        const strings: string[] = [];
        const walk = (v: unknown): void => {
            if (typeof v === "string") strings.push(v);
            else if (Array.isArray(v)) v.forEach(walk);
            else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
        };
        walk(build.inputs);
        assert.deepStrictEqual(strings.filter((v) => path.isAbsolute(v) || v.includes(root)), []);
        assert.deepStrictEqual(build.inputs.context, { location: "app" });
        assert.strictEqual(build.inputs.dockerfile, undefined, "docker-build defaults to <context>/Dockerfile");
        assert.strictEqual(buildLocation(path.join(root, "app"), "/somewhere/else"), path.join(root, "app"), "outside the working directory it stays absolute");
    });

    it("builds during previews unless buildOnPreview is off (previews never push)", async () => {
        assert.strictEqual((await runWith()).one("docker-build:index:Image").inputs.buildOnPreview, true);
        assert.strictEqual((await runWith({ buildOnPreview: false })).one("docker-build:index:Image").inputs.buildOnPreview, false);
    });

    it("the task runs the build by digest, so a new build rolls the service and an unchanged one does not", async () => {
        const run = await runWith();
        const repoUrl = run.one("aws:ecr/repository:Repository").state.repositoryUrl;
        const digest = run.one("docker-build:index:Image").state.digest;
        assert.match(digest, /^sha256:[0-9a-f]{64}$/);
        assert.strictEqual(container(run).image, `${repoUrl}@${digest}`);
        assert.strictEqual(run.outputs.image, `${repoUrl}@${digest}`);
    });

    it("runs a configured image as it is, with no repository and no build", async () => {
        const image = "public.ecr.aws/docker/library/python@sha256:" + "a".repeat(64);
        const run = await runWith({ image });
        assert.strictEqual(run.ofType("aws:ecr/repository:Repository").length, 0);
        assert.strictEqual(run.ofType("docker-build:index:Image").length, 0);
        assert.strictEqual(container(run).image, image);
        assert.strictEqual(run.outputs.repositoryUrl, "");
    });

    it("keeps the repository and its images unless protectData is off", async () => {
        const kept = (await runWith({ protectData: true })).one("aws:ecr/repository:Repository");
        assert.strictEqual(kept.inputs.forceDelete, false);
        assert.strictEqual(kept.retainOnDelete, true);
        const disposable = (await runWith({ protectData: false })).one("aws:ecr/repository:Repository");
        assert.strictEqual(disposable.inputs.forceDelete, true);
        assert.strictEqual(disposable.retainOnDelete, false);
    });
});
