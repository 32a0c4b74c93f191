/**
 * The pull request's preview comment for one stack: what the preview plans in words, the picture of
 * the change (./changeDiagram), and the CLI's diff folded away, within GitHub's 65,536 characters
 * per comment; or why the preview failed.
 */
import { changeDiagram, diagramMarkdown } from "./changeDiagram";
import { AutomationError } from "./errors";
import { OperationResult } from "./workspace";

/** The first line of a stack's preview comment, by which the workflow finds it again to edit it. */
export function previewMarker(stack: string): string {
    return `<!-- flask-fargate:preview:${stack} -->`;
}

/** Most characters of a comment the workflow posts: GitHub refuses bodies over 65,536. */
export const commentBudget = 60000;

/** Terminal colour codes, which the CLI may print and a comment would show as noise. */
// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g;

/** The first lines of `text` that fit in `budget` characters, with a note of how many were left out. */
export function truncateLines(text: string, budget: number, note: (left: number) => string): string {
    if (text.length <= budget) {
        return text;
    }
    const lines = text.split("\n");
    const kept: string[] = [];
    let used = 0;
    for (const line of lines) {
        if (used + line.length + 1 > budget - 200) {
            break;
        }
        kept.push(line);
        used += line.length + 1;
    }
    return [...kept, note(lines.length - kept.length)].join("\n");
}

/** The comment for a preview that ran (`result`) or failed (`error`). */
export function previewComment(stack: string, outcome: { result: OperationResult } | { error: AutomationError }): string {
    if ("error" in outcome) {
        return [previewMarker(stack), `### Preview of \`${stack}\` failed`, "", "```text", truncateLines(outcome.error.message.trimEnd(), commentBudget / 2, (n) => `... ${n} more lines`), "```"].join("\n");
    }
    const { result } = outcome;
    const head = [previewMarker(stack), `### Preview of \`${stack}\`: ${result.summary}`, "", diagramMarkdown(changeDiagram(result.steps ?? [])), ""].join("\n");
    const diff = (result.diff ?? "").replace(ansi, "").replace(/```/g, "'''").trimEnd();
    const fold = (text: string) => ["<details><summary>The diff (<code>pulumi preview --diff</code>)</summary>", "", "```diff", text, "```", "", "</details>"].join("\n");
    const room = commentBudget - head.length - fold("").length;
    return `${head}\n${fold(truncateLines(diff, room, (n) => `... and ${n} more lines: the workflow's log has the whole diff`))}`;
}
