/**
 * A picture of a change for the pull request's preview comment: a Mermaid flowchart (which GitHub
 * renders) of the resources a preview creates, updates, replaces and deletes, each inside the
 * component it belongs to (its parent URN chain), replacements marked with what forces them.
 * Built from the engine's preview events (ResourcePreEvent), as the preview streams them.
 *
 * A comment must stay well under GitHub's 65,536 characters, and a picture of a hundred boxes
 * says nothing: beyond `maxNodes` resources the picture counts them by component and operation
 * instead, then by top-level component.
 */
import type * as auto from "@pulumi/pulumi/automation";

/** What the picture needs of one step the engine planned. */
export interface ChangeStep {
    op: auto.OpType;
    urn: string;
    type: string;
    /** The parent's URN ("" for the stack itself). */
    parent: string;
    /** A provider's resource (true), or a component or the stack (false). */
    custom: boolean;
    /** The properties that force a replacement. */
    replaceKeys: string[];
}

/** The step a ResourcePreEvent announces, or undefined for any other event. */
export function changeStep(event: auto.EngineEvent): ChangeStep | undefined {
    const meta = event.resourcePreEvent?.metadata;
    if (meta === undefined) {
        return undefined;
    }
    const state = meta.new ?? meta.old;
    // The engine leaves `custom` out for components (Go's omitempty).
    return { op: meta.op, urn: meta.urn, type: meta.type, parent: state?.parent ?? "", custom: state?.custom === true, replaceKeys: meta.keys ?? [] };
}

/** The changes the picture shows, most consequential last; other steps (same, read, the halves of a replacement...) are not drawn. */
export const drawnOps = ["create", "update", "replace", "delete", "import"] as const;
export type DrawnOp = (typeof drawnOps)[number];

/** Each drawn operation: Pulumi's sign for it, its words, and its colours (GitHub's own greens, yellows and reds). */
const look: Record<DrawnOp, { sign: string; planned: string; style: string }> = {
    create: { sign: "+", planned: "to create", style: "fill:#dafbe1,stroke:#1a7f37,color:#116329" },
    update: { sign: "~", planned: "to update", style: "fill:#fff8c5,stroke:#9a6700,color:#7d4e00" },
    replace: { sign: "+-", planned: "to replace", style: "fill:#ffebe9,stroke:#cf222e,color:#a40e26,stroke-width:3px,stroke-dasharray:6 3" },
    delete: { sign: "-", planned: "to delete", style: "fill:#ffebe9,stroke:#cf222e,color:#a40e26" },
    import: { sign: "=", planned: "to import", style: "fill:#ddf4ff,stroke:#0969da,color:#0550ae" },
};

/** Most resources drawn one by one; beyond, they are counted. */
export const defaultMaxNodes = 50;

/** The resource's name: what follows its type in the URN (urn:pulumi:<stack>::<project>::<type>::<name>). */
function nameOf(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

/** A type as Pulumi's display writes it: "aws:ecs/service:Service" -> "aws:ecs:Service". */
export function shortType(type: string): string {
    const [pkg, mod, name] = type.split(":");
    return name === undefined ? type : `${pkg}:${mod.split("/")[0]}:${name}`;
}

/** Text made safe inside a quoted Mermaid label (its entity codes; no markup, no quote ends it). */
function label(text: string): string {
    return text.replace(/[#"<>&]/g, (c) => ({ "#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;" })[c] as string);
}

/** A box of the picture: one resource, or a count of them; its lines of text. */
interface Node {
    lines: string[];
    op: DrawnOp;
}

/** A component with its boxes and the components under it. */
interface Group {
    urn: string;
    text: string;
    nodes: Node[];
    children: Group[];
}

/** The boxes of a group and of the groups under it. */
function size(group: Group): number {
    return group.nodes.length + group.children.reduce((sum, child) => sum + size(child), 0);
}

/** A picture with how it was drawn. */
export interface ChangeDiagram {
    /** The Mermaid source (flowchart), or "" when nothing changes. */
    mermaid: string;
    /** How the resources were drawn: one by one, counted per component, or counted per top-level component. */
    detail: "resources" | "components" | "top-level components" | "none";
    /** Drawn changes by operation, e.g. { create: 3, replace: 1 }. */
    counts: Partial<Record<DrawnOp, number>>;
}

/**
 * The picture of the planned `steps` (from changeStep), at most `maxNodes` boxes: each changed
 * resource in its component, else counts per component, else counts per top-level component.
 */
export function changeDiagram(steps: ChangeStep[], maxNodes = defaultMaxNodes): ChangeDiagram {
    const byUrn = new Map(steps.map((step) => [step.urn, step]));
    const isComponent = (step: ChangeStep | undefined) => step !== undefined && !step.custom && step.type !== "pulumi:pulumi:Stack";
    const changed = steps.filter((step) => (drawnOps as readonly string[]).includes(step.op) && step.custom);
    const counts: Partial<Record<DrawnOp, number>> = {};
    for (const step of changed) {
        counts[step.op as DrawnOp] = (counts[step.op as DrawnOp] ?? 0) + 1;
    }
    if (changed.length === 0) {
        return { mermaid: "", detail: "none", counts };
    }
    /** The components a resource is in, outermost first. */
    const chain = (step: ChangeStep): ChangeStep[] => {
        const components: ChangeStep[] = [];
        const seen = new Set<string>();
        for (let parent = byUrn.get(step.parent); isComponent(parent) && !seen.has(parent!.urn); parent = byUrn.get(parent!.parent)) {
            seen.add(parent!.urn);
            components.unshift(parent!);
        }
        return components;
    };
    const groupText = (component: ChangeStep) => {
        const sign = (drawnOps as readonly string[]).includes(component.op) ? `${look[component.op as DrawnOp].sign} ` : "";
        return `${sign}${nameOf(component.urn)} (${component.type.split(":").pop()})`;
    };
    const draw = (depth: number, perResource: boolean): Group => {
        const root: Group = { urn: "", text: "", nodes: [], children: [] };
        const groups = new Map<string, Group>([["", root]]);
        const tally = new Map<Group, Map<DrawnOp, number>>();
        for (const step of changed) {
            let group = root;
            for (const component of chain(step).slice(0, depth)) {
                let child = groups.get(component.urn);
                if (child === undefined) {
                    child = { urn: component.urn, text: groupText(component), nodes: [], children: [] };
                    groups.set(component.urn, child);
                    group.children.push(child);
                }
                group = child;
            }
            const op = step.op as DrawnOp;
            if (perResource) {
                const keys = op === "replace" && step.replaceKeys.length > 0 ? ` (${step.replaceKeys.slice(0, 3).join(", ")}${step.replaceKeys.length > 3 ? ", ..." : ""})` : "";
                group.nodes.push({ op, lines: [`${look[op].sign} ${nameOf(step.urn)}`, `${shortType(step.type)}${keys}`] });
            } else {
                const ops = tally.get(group) ?? new Map<DrawnOp, number>();
                tally.set(group, ops.set(op, (ops.get(op) ?? 0) + 1));
            }
        }
        for (const [group, ops] of tally) {
            group.nodes = drawnOps.filter((op) => ops.has(op)).map((op) => ({ op, lines: [`${look[op].sign} ${ops.get(op)} ${look[op].planned}`] }));
        }
        return root;
    };
    const attempts = [
        { detail: "resources", group: () => draw(Infinity, true) },
        { detail: "components", group: () => draw(Infinity, false) },
        { detail: "top-level components", group: () => draw(1, false) },
    ] as const;
    let chosen: { detail: ChangeDiagram["detail"]; group: Group } | undefined;
    for (const attempt of attempts) {
        const group = attempt.group();
        chosen = { detail: attempt.detail, group };
        if (size(group) <= maxNodes) {
            break;
        }
    }
    return { mermaid: render(chosen!.group, maxNodes), detail: chosen!.detail, counts };
}

/** Mermaid flowchart source of a tree of groups, at most `maxNodes` boxes (then a note of how many more). */
function render(root: Group, maxNodes: number): string {
    const lines = ["flowchart LR"];
    let nodes = 0;
    let groups = 0;
    let left = 0;
    const sortTree = (group: Group) => {
        group.children.sort((a, b) => a.urn.localeCompare(b.urn));
        group.nodes.sort((a, b) => drawnOps.indexOf(a.op) - drawnOps.indexOf(b.op) || a.lines[0].localeCompare(b.lines[0]));
        group.children.forEach(sortTree);
    };
    const emit = (group: Group, indent: string) => {
        for (const node of group.nodes) {
            if (nodes >= maxNodes) {
                left++;
                continue;
            }
            lines.push(`${indent}n${nodes++}["${node.lines.map(label).join("<br/>")}"]:::${node.op}`);
        }
        for (const child of group.children) {
            if (nodes >= maxNodes) {
                left += size(child);
                continue;
            }
            lines.push(`${indent}subgraph g${groups++}["${label(child.text)}"]`);
            emit(child, `${indent}    `);
            lines.push(`${indent}end`);
        }
    };
    sortTree(root);
    emit(root, "    ");
    if (left > 0) {
        lines.push(`    more["... and ${left} more"]`);
    }
    lines.push(...drawnOps.map((op) => `    classDef ${op} ${look[op].style}`));
    return lines.join("\n");
}

/** "+ 3 to create, ~ 1 to update, +- 1 to replace": the legend under the picture. */
export function legend(counts: Partial<Record<DrawnOp, number>>): string {
    return drawnOps
        .filter((op) => (counts[op] ?? 0) > 0)
        .map((op) => `\`${look[op].sign}\` ${counts[op]} ${look[op].planned}`)
        .join(", ");
}

/** The picture as markdown: a mermaid code block and its legend, or a line saying nothing changes. */
export function diagramMarkdown(diagram: ChangeDiagram): string {
    if (diagram.detail === "none") {
        return "No resource changes.";
    }
    const how = { resources: "", components: " (counted per component: too many to draw one by one)", "top-level components": " (counted per top-level component: too many to draw one by one)" }[diagram.detail];
    return ["```mermaid", diagram.mermaid, "```", "", `${legend(diagram.counts)}${how}. Replacements (dashed red) name the properties that force them.`].join("\n");
}
