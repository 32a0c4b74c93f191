/**
 * The pull request's cost comment: each stack's monthly floor on the pull request's checkout and
 * on its base branch's (a `git worktree`), and the change, as markdown:
 *
 *     npx ts-node --transpile-only scripts/cost-comment.ts --base ../base --head . [--stacks dev,prod]
 *
 * Both checkouts are priced by this checkout's estimate (lib/cost.ts), each with its own price
 * table when it has one; so the change is what the pull request's stack files and prices do.
 */
import { parseArgs } from "util";
import { costTable, stackCost } from "../automation/cost";
import { committedStacks } from "../lib/configSchema";
import { Estimate, usd } from "../lib/cost";

/** First line of the comment, by which the workflow finds it again to edit it. */
export const commentMarker = "<!-- flask-fargate:cost -->";

/** One stack's estimate on each side; an Error when a side cannot be estimated, undefined when its stack file is absent. */
export interface StackComparison {
    stack: string;
    base: Estimate | Error | undefined;
    head: Estimate | Error;
}

/** Estimates each stack on both checkouts. */
export function compareStacks(stacks: string[], baseDir: string, headDir: string): StackComparison[] {
    const attempt = (stack: string, dir: string) => {
        try {
            return stackCost(stack, dir);
        } catch (err) {
            return err as Error;
        }
    };
    return stacks.map((stack) => ({
        stack,
        base: committedStacks(baseDir).includes(stack) ? attempt(stack, baseDir) : undefined,
        head: attempt(stack, headDir),
    }));
}

/** A side of the table: the amount, or why there is none. */
function cell(side: Estimate | Error | undefined): string {
    if (side === undefined) return "(no stack)";
    if (side instanceof Error) return `n/a: ${side.message.split("\n")[0]}`;
    return `${usd(side.monthlyUsd)} USD`;
}

/** The change from base to head, in USD and percent. */
function change(base: Estimate | Error | undefined, head: Estimate | Error): string {
    if (base === undefined || base instanceof Error || head instanceof Error) return "";
    const delta = Math.round((head.monthlyUsd - base.monthlyUsd) * 100) / 100;
    if (delta === 0) return "no change";
    const percent = base.monthlyUsd > 0 ? ` (${delta > 0 ? "+" : ""}${((delta / base.monthlyUsd) * 100).toFixed(1)} %)` : "";
    return `${delta > 0 ? "+" : ""}${usd(delta)} USD${percent}`;
}

/** The comment's markdown: a summary table, then each stack's lines folded away. */
export function costComment(comparisons: StackComparison[], baseName: string): string {
    const priced = comparisons.map((c) => c.head).find((h): h is Estimate => !(h instanceof Error));
    const heading = priced ? `${priced.region} list prices of ${priced.pricesDate}, always on, idle` : "list prices";
    return [
        commentMarker,
        `### Monthly floor of each stack (${heading})`,
        "",
        `| stack | ${baseName} | this pull request | change |`,
        "|---|---:|---:|---:|",
        ...comparisons.map((c) => `| ${c.stack} | ${cell(c.base)} | ${cell(c.head)} | ${change(c.base, c.head)} |`),
        "",
        ...comparisons.flatMap((c) =>
            c.head instanceof Error ? [] : [`<details><summary>${c.stack}: line by line</summary>`, "", costTable(c.head), "", "</details>", ""],
        ),
        "Usage (requests, data processed, logs, storage) comes on top. `npm run deploy -- cost --stack <stack>` prints the same.",
    ].join("\n");
}

if (require.main === module) {
    const { values } = parseArgs({ options: { base: { type: "string" }, head: { type: "string", default: "." }, stacks: { type: "string" }, "base-name": { type: "string", default: "main" } } });
    if (!values.base) {
        console.error("usage: cost-comment.ts --base DIR [--head DIR] [--stacks dev,prod] [--base-name main]");
        process.exit(2);
    }
    const head = values.head ?? ".";
    const stacks = values.stacks ? values.stacks.split(",") : committedStacks(head);
    process.stdout.write(`${costComment(compareStacks(stacks, values.base, head), values["base-name"] ?? "main")}\n`);
}
