/**
 * Review stacks: a stack per pull request (`pr-<number>`), built from a base stack's settings (dev's)
 * at the lowest cost the program allows, sharing nothing with other stacks that its destroy could
 * break, destroyed and removed when the pull request closes, or by a sweep once it is idle too long.
 *
 * The stack file is generated for each operation from the base stack's committed file (it is never
 * committed); the state's own secrets provider serves the stack when the generated file lacks one.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { cliConfig, projectName, SettingValue } from "../lib/configSchema";
import { Estimate } from "../lib/cost";
import { retention } from "../policy/policies/logs";
import { configCost, costTable } from "./cost";
import { StackNotFoundError } from "./errors";
import { OperationResult, projectDir, StackOptions, up, withStack, withWorkspace, WorkspaceOptions } from "./workspace";

/** Review stacks are named `pr-<number>`. */
export const reviewStackPrefix = "pr-";

/** Digits a pull request number may have: Pulumi's stack names have at most 100 characters (sdk/go/common/tokens, ParseStackName). */
export const maxPrDigits = 100 - reviewStackPrefix.length;

/** Why `pr` is not a pull request number, or undefined. */
export function prProblem(pr: string): string | undefined {
    if (!/^[1-9][0-9]*$/.test(pr)) {
        return `the pull request number is ${JSON.stringify(pr)}; give a whole number from 1, without leading zeros`;
    }
    if (pr.length > maxPrDigits) {
        return `the pull request number has ${pr.length} digits; a review stack's name (pr-<number>) is a Pulumi stack name of at most 100 characters, so at most ${maxPrDigits} digits`;
    }
    return undefined;
}

/** The review stack of pull request `pr` (a string: PR numbers are not bounded by JavaScript's integers here). */
export function reviewStackName(pr: string): string {
    const problem = prProblem(pr);
    if (problem !== undefined) {
        throw new RangeError(problem);
    }
    return `${reviewStackPrefix}${pr}`;
}

/** The pull request of a review stack's name ("pr-12" or "org/project/pr-12"), or undefined for any other stack. */
export function reviewPr(stack: string): string | undefined {
    const match = /^pr-([1-9][0-9]*)$/.exec(stack.split("/").pop() ?? "");
    return match?.[1];
}

/**
 * A text as an AWS tag value: at most 256 characters of letters, digits, spaces and _ . : / = + - @
 * (the tagging API's rule, e.g. Resource Groups Tagging API TagValue: pattern
 * [\p{L}\p{Z}\p{N}_.:/=+\-@]*, max 256), anything else as "_". A branch name may hold #, ', ! ...
 */
export function tagValue(text: string): string {
    return [...text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, "_")].slice(0, 256).join("");
}

/** The shortest log retention the policy pack's logs-retention rule accepts by default (7 days; 1 is refused). */
export const minimumRetentionDays: number = (retention.configSchema?.properties?.minimumRetentionDays as { default: number }).default;

/**
 * What a review stack changes from its base stack's settings, each to the cheapest value the
 * program allows (lib/cost.ts prices each choice; tests/automation/review.test.ts checks that no
 * alternative is cheaper), or removed (undefined: Pulumi.yaml's default applies) so that the stack
 * shares nothing a destroy could break and notifies no one:
 * - one task on Fargate Spot, the smallest Fargate size, no autoscaling headroom;
 * - a NAT instance, the fewest zones (a new VPC only; with vpcId the base's VPC is used as it is);
 * - no WAF, no access logs (and so no access-logs bucket of the base's), no domain (its DNS record
 *   and certificate are the base's), no alarm subscribers (no subscription mails per pull request);
 * - data not protected, so destroy removes the bucket, image repository and log group; logs kept
 *   as briefly as the policy pack allows, one image kept; no image build at preview; rolling
 *   deployments (blue/green doubles the tasks during a rollout).
 * The architecture stays the base's: a review stack runs what dev runs.
 */
export function reviewOverrides(baseHasVpc: boolean): Record<string, SettingValue | undefined> {
    return {
        desiredCount: 1,
        minCount: 1,
        maxCount: 1,
        applyDesiredCount: undefined,
        cpu: 256,
        memory: 512,
        capacity: "fargate-spot",
        onDemandBase: 0,
        onDemandWeight: 0,
        spotWeight: 1,
        ec2InstanceTypes: undefined,
        ec2MinSize: undefined,
        ec2MaxSize: undefined,
        ec2TargetCapacity: undefined,
        ...(baseHasVpc ? {} : { natGateways: "instance", availabilityZones: 2, vpcEndpoints: false }),
        waf: false,
        wafRateLimit: undefined,
        accessLogs: false,
        accessLogsBucket: undefined,
        domainName: undefined,
        hostedZoneId: undefined,
        alarmEmails: undefined,
        alarmHttpsEndpoints: undefined,
        protectData: false,
        logRetentionDays: minimumRetentionDays,
        keepImages: 1,
        buildOnPreview: false,
        deploymentStrategy: "rolling",
        bakeTimeMinutes: undefined,
    };
}

/**
 * The stack file of pull request `pr`'s review stack: the base stack's file (`baseYaml`) with
 * reviewOverrides applied and default tags that name the stack, the pull request and its branch
 * (`projectYaml`'s default tags when the base has none). Refuses a base whose file holds encrypted
 * values: they are encrypted for the base stack alone.
 */
export function reviewStackFile(baseYaml: string, projectYaml: string, pr: string, branch?: string): string {
    const stack = reviewStackName(pr);
    const doc = YAML.parseDocument(baseYaml);
    const config = (doc.toJS()?.config ?? {}) as Record<string, unknown>;
    const secure = Object.entries(config).find(([, value]) => value !== null && typeof value === "object" && "secure" in value);
    if (secure !== undefined) {
        throw new Error(`${secure[0]} is encrypted in the base stack's file, for that stack only: a review stack cannot read it. Keep it out of the base stack's file, or give review stacks another base.`);
    }
    const key = (name: string) => `${projectName}:${name}`;
    const hasVpc = typeof config[key("vpcId")] === "string" && (config[key("vpcId")] as string).trim() !== "";
    for (const [name, value] of Object.entries(reviewOverrides(hasVpc))) {
        if (value === undefined) {
            doc.deleteIn(["config", key(name)]);
        } else {
            doc.setIn(["config", key(name)], value);
        }
    }
    const projectTags = YAML.parse(projectYaml)?.config?.["aws:defaultTags"]?.value?.tags ?? {};
    const baseTags = (config["aws:defaultTags"] as { tags?: Record<string, string> } | undefined)?.tags ?? projectTags;
    const tags: Record<string, string> = { ...baseTags, stack, "review-pr": pr, ...(branch ? { branch: tagValue(branch) } : {}) };
    doc.setIn(["config", "aws:defaultTags"], { tags });
    doc.commentBefore = ` Review stack of pull request #${pr}, generated by automation/review.ts from the base stack's file: never committed.`;
    return doc.toString();
}

/** Options of review up and destroy. */
export interface ReviewOptions extends Omit<StackOptions, "stack" | "stackFile" | "create" | "persist"> {
    /** The pull request's number. */
    pr: string;
    /** Its branch, for the `branch` tag. @default no such tag */
    branch?: string;
    /** The stack whose committed settings a review stack starts from. @default "dev" */
    base?: string;
}

/** The review stack's name and generated stack file, and its monthly floor (lib/cost.ts). */
export function reviewPlan(opts: Pick<ReviewOptions, "pr" | "branch" | "base" | "workDir">): { stack: string; stackFile: string; cost: Estimate } {
    const dir = opts.workDir ?? projectDir;
    const read = (file: string) => fs.readFileSync(path.join(dir, file), "utf8");
    const stack = reviewStackName(opts.pr);
    const projectYaml = read("Pulumi.yaml");
    const stackFile = reviewStackFile(read(`Pulumi.${opts.base ?? "dev"}.yaml`), projectYaml, opts.pr, opts.branch);
    // Validated and priced as the CLI will hand it to the program: a bad setting stops here, before anything is created.
    const cost = configCost(cliConfig(YAML.parse(projectYaml), stack, YAML.parse(stackFile).config ?? {}));
    return { stack, stackFile, cost };
}

/** A deployed review stack. */
export interface ReviewResult {
    stack: string;
    pr: string;
    /** The app's address (the `url` output). */
    url?: string;
    /** Its monthly floor. */
    cost: Estimate;
    result: OperationResult;
}

/** Creates or updates pull request `pr`'s review stack and returns its address and monthly floor. */
export async function reviewUp(opts: ReviewOptions): Promise<ReviewResult> {
    const { stack, stackFile, cost } = reviewPlan(opts);
    const result = await up({ ...opts, stack, stackFile, create: true });
    const url = result.outputs?.url;
    return { stack, pr: opts.pr, url: typeof url === "string" ? url : undefined, cost, result };
}

/** What destroying a review stack did. */
export interface ReviewDestroyResult {
    stack: string;
    /** False when there was no such stack: nothing to do. */
    existed: boolean;
    /** Resources deleted. */
    deleted: number;
}

/** Destroys pull request `pr`'s review stack and removes it from the backend; a stack that does not exist is nothing to do. */
export async function reviewDestroy(opts: ReviewOptions): Promise<ReviewDestroyResult> {
    const { stack, stackFile } = reviewPlan(opts);
    try {
        return await withStack({ ...opts, stack, stackFile }, async (s, streams) => {
            const result = await s.destroy(streams);
            await s.workspace.removeStack(stack);
            return { stack, existed: true, deleted: result.summary.resourceChanges?.delete ?? 0 };
        });
    } catch (err) {
        if (err instanceof StackNotFoundError) {
            return { stack, existed: false, deleted: 0 };
        }
        throw err;
    }
}

/** A review stack in the backend. */
export interface ReviewStack {
    stack: string;
    pr: string;
    /** When it was last updated (ISO 8601), if ever. */
    lastUpdate?: string;
    resourceCount?: number;
    updateInProgress?: boolean;
}

/** The project's review stacks in the backend, by pull request number. */
export function reviewList(opts: WorkspaceOptions): Promise<ReviewStack[]> {
    return withWorkspace(opts, async (workspace) =>
        (await workspace.listStacks())
            .flatMap((s) => {
                const pr = reviewPr(s.name);
                return pr === undefined ? [] : [{ stack: s.name.split("/").pop() as string, pr, lastUpdate: s.lastUpdate, resourceCount: s.resourceCount, updateInProgress: s.updateInProgress }];
            })
            .sort((a, b) => a.pr.length - b.pr.length || a.pr.localeCompare(b.pr)),
    );
}

/** A review stack the sweep destroys, and why. */
export interface StaleReviewStack extends ReviewStack {
    reason: string;
}

/**
 * The review stacks to sweep: those whose pull request is not among `openPrs`, and those not
 * updated for longer than `ttlHours`; never one with an update in progress.
 */
export function staleReviewStacks(stacks: ReviewStack[], openPrs: ReadonlySet<string>, ttlHours: number, now: Date): StaleReviewStack[] {
    return stacks.flatMap((s) => {
        if (s.updateInProgress) {
            return [];
        }
        if (!openPrs.has(s.pr)) {
            return [{ ...s, reason: `pull request #${s.pr} is not open` }];
        }
        const idleHours = s.lastUpdate === undefined ? NaN : (now.getTime() - new Date(s.lastUpdate).getTime()) / 3600000;
        return idleHours > ttlHours ? [{ ...s, reason: `not updated for ${Math.floor(idleHours)} hours (TTL ${ttlHours})` }] : [];
    });
}

/** The first line of the review comment, by which the workflow finds it again to edit it. */
export const reviewMarker = "<!-- flask-fargate:review -->";

/** The pull request's review comment: where the review stack is and what it costs, or that it is gone. */
export function reviewComment(state: { up: ReviewResult } | { destroyed: ReviewDestroyResult }, ttlHours?: number): string {
    if ("destroyed" in state) {
        const d = state.destroyed;
        return [reviewMarker, d.existed ? `### Review stack \`${d.stack}\` destroyed (${d.deleted} resources) and removed.` : `### No review stack \`${d.stack}\` to destroy.`].join("\n");
    }
    const r = state.up;
    return [
        reviewMarker,
        `### Review stack \`${r.stack}\`: ${r.url ?? "(no url output)"}`,
        "",
        `Built from dev's settings at the lowest cost the program allows; monthly floor **${r.cost.monthlyUsd.toFixed(2)} USD** (${r.cost.region} list prices of ${r.cost.pricesDate}, always on, idle):`,
        "",
        "<details><summary>line by line</summary>",
        "",
        costTable(r.cost),
        "",
        "</details>",
        "",
        `Destroyed and removed when this pull request closes${ttlHours !== undefined ? `, or by the scheduled sweep once it has not been updated for ${ttlHours} hours` : ""}.`,
    ].join("\n");
}
