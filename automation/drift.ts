/**
 * Drift detection: what changed in AWS outside Pulumi. A refresh in preview mode (`pulumi refresh
 * --preview-only`, the Automation API's `previewRefresh`) reads every resource back through its
 * provider without writing the state; for each resource that differs, the engine reports the
 * refresh's result (ResourceOutputsEvent, op "update", or "delete" for one gone) with the property
 * paths that differ and the state before and after. This module turns those events into a report,
 * and the report into the body of the drift issue the scheduled workflow keeps, one per stack
 * (scripts/drift-issue.sh opens, updates and closes it).
 */
import type * as auto from "@pulumi/pulumi/automation";
import { shortType } from "./changeDiagram";
import { StackOptions, withStack } from "./workspace";

/** One property that differs. */
export interface DriftedProperty {
    /** Its property path, e.g. "retentionInDays" or "tags.owner". */
    path: string;
    /** Its value in Pulumi's state (undefined: not there). */
    inState?: unknown;
    /** Its value as the provider read it now (undefined: not there). */
    now?: unknown;
}

/** One resource that changed outside Pulumi. */
export interface DriftedResource {
    urn: string;
    type: string;
    /** "update": changed; "delete": gone. */
    op: "update" | "delete";
    properties: DriftedProperty[];
}

/** What a drift check found. */
export interface DriftResult {
    stack: string;
    drifted: DriftedResource[];
    /** When the check ran (ISO 8601). */
    checkedAt: string;
    durationMs: number;
}

/** The parts of a property path: "a.b[0][\"c.d\"]" -> ["a", "b", 0, "c.d"]. */
export function pathParts(path: string): (string | number)[] {
    const parts: (string | number)[] = [];
    const token = /([^.[\]"]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
    for (let match = token.exec(path); match !== null; match = token.exec(path)) {
        parts.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : match[3].replace(/\\(.)/g, "$1")));
    }
    return parts;
}

/** The value at a property path, or undefined. */
function at(value: unknown, path: string): unknown {
    return pathParts(path).reduce<unknown>((v, part) => (v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[part] : undefined), value);
}

/** The drifted resource a refresh's ResourceOutputsEvent reports, or undefined when it reports none. */
export function driftedResource(event: auto.EngineEvent): DriftedResource | undefined {
    const meta = event.resOutputsEvent?.metadata;
    if (meta === undefined || (meta.op !== "update" && meta.op !== "delete")) {
        return undefined;
    }
    const paths = Object.keys(meta.detailedDiff ?? {});
    const properties = (paths.length > 0 ? paths : (meta.diffs ?? [])).sort().map((path) => {
        const value = (state: auto.StepEventStateMetadata | undefined) => at(state?.inputs, path) ?? at(state?.outputs, path);
        return { path, inState: value(meta.old), now: value(meta.new) };
    });
    return { urn: meta.urn, type: meta.type, op: meta.op, properties };
}

/**
 * Refreshes the stack in preview mode (the state is not written) and returns what changed outside
 * Pulumi; `drifted` is empty when nothing did.
 */
export function drift(opts: StackOptions): Promise<DriftResult> {
    const started = Date.now();
    return withStack(opts, async (stack, streams) => {
        const drifted: DriftedResource[] = [];
        await stack.previewRefresh({
            ...streams,
            onEvent: (event) => {
                const resource = driftedResource(event);
                if (resource !== undefined) {
                    drifted.push(resource);
                }
                streams.onEvent?.(event);
            },
        });
        drifted.sort((a, b) => a.urn.localeCompare(b.urn));
        return { stack: opts.stack, drifted, checkedAt: new Date(started).toISOString(), durationMs: Date.now() - started };
    });
}

/** The first line of the drift issue's body, by which the workflow finds the stack's issue again. */
export function driftMarker(stack: string): string {
    return `<!-- flask-fargate:drift:${stack} -->`;
}

/** A value for a table cell: JSON, at most 120 characters, pipes escaped, in code. */
function cell(value: unknown): string {
    if (value === undefined) {
        return "(none)";
    }
    const json = JSON.stringify(value) ?? String(value);
    const short = json.length > 120 ? `${json.slice(0, 117)}...` : json;
    return `\`${short.replace(/\|/g, "\\|").replace(/`/g, "'")}\``;
}

/** "app-logs" from the URN. */
function nameOf(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

/** Most properties listed per resource in the issue; the rest are counted. */
const maxRowsPerResource = 20;

/** The drift issue's body: the marker, what drifted, resource by resource and property by property, and what to do. */
export function driftIssueBody(result: DriftResult, runUrl?: string): string {
    const rows = result.drifted.flatMap((resource) => {
        const name = nameOf(resource.urn).replace(/\|/g, "\\|");
        const type = shortType(resource.type);
        if (resource.op === "delete") {
            return [`| ${name} | ${type} | deleted outside Pulumi | exists | (gone) |`];
        }
        const shown = resource.properties.slice(0, maxRowsPerResource).map((p) => `| ${name} | ${type} | \`${p.path.replace(/\|/g, "\\|")}\` | ${cell(p.inState)} | ${cell(p.now)} |`);
        const more = resource.properties.length - shown.length;
        return more > 0 ? [...shown, `| ${name} | ${type} | ... and ${more} more properties | | |`] : shown;
    });
    const count = result.drifted.length;
    return [
        driftMarker(result.stack),
        `Stack **${result.stack}** has drifted: ${count} resource${count === 1 ? "" : "s"} changed outside Pulumi, found by a refresh in preview mode (\`pulumi refresh --preview-only\`) at ${result.checkedAt}${runUrl ? ` ([run](${runUrl}))` : ""}.`,
        "",
        "| resource | type | what changed | in Pulumi's state | in AWS now |",
        "|---|---|---|---|---|",
        ...rows,
        "",
        `To put AWS back as the program declares it: \`npm run deploy -- up --stack ${result.stack}\`. To keep the change instead, put it in the program or the stack's settings, then run \`npm run deploy -- refresh --stack ${result.stack}\`.`,
        "",
        "This issue is updated by each scheduled drift check and closed by the first one that finds the stack back in line.",
    ].join("\n");
}
