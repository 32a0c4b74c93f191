import type * as auto from "@pulumi/pulumi/automation";
import * as assert from "assert";
import { ChangeStep, changeDiagram, changeStep, defaultMaxNodes, diagramMarkdown, legend, shortType } from "../../automation/changeDiagram";

const stackUrn = "urn:pulumi:dev::flask-fargate::pulumi:pulumi:Stack::flask-fargate-dev";

/** A step as changeStep reads it from a preview's ResourcePreEvent. */
function step(op: auto.OpType, type: string, name: string, parent = stackUrn, extra: Partial<ChangeStep> = {}): ChangeStep {
    const urn = `urn:pulumi:dev::flask-fargate::${type}::${name}`;
    return { op, urn, type, parent, custom: !type.startsWith("flask-fargate:") && type !== "pulumi:pulumi:Stack", replaceKeys: [], ...extra };
}

const root = step("same", "pulumi:pulumi:Stack", "flask-fargate-dev", "");
const cluster = step("same", "flask-fargate:cluster:Cluster", "app");
const task = step("same", "flask-fargate:task:TaskDefinition", "app");
const service = step("same", "flask-fargate:service:Service", "app");

/** A capacity change with a bigger task, as the engine plans it (the replacement announced in three steps). */
const capacityChange: ChangeStep[] = [
    root,
    cluster,
    task,
    service,
    step("update", "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "app-capacity", cluster.urn),
    step("same", "aws:ecs/cluster:Cluster", "app-cluster", cluster.urn),
    step("create-replacement", "aws:ecs/taskDefinition:TaskDefinition", "app-taskdef", task.urn, { replaceKeys: ["cpu", "memory"] }),
    step("replace", "aws:ecs/taskDefinition:TaskDefinition", "app-taskdef", task.urn, { replaceKeys: ["cpu", "memory"] }),
    step("update", "aws:ecs/service:Service", "app-service", service.urn),
    step("delete", "aws:cloudwatch/eventRule:EventRule", "app-spot-interruptions"),
    step("delete-replaced", "aws:ecs/taskDefinition:TaskDefinition", "app-taskdef", task.urn, { replaceKeys: ["cpu", "memory"] }),
];

describe("automation: the picture of a change (Mermaid)", () => {
    it("reads the step, its parent and what forces a replacement from a ResourcePreEvent", () => {
        const event = {
            sequence: 1,
            timestamp: 0,
            resourcePreEvent: {
                metadata: {
                    op: "replace",
                    urn: "urn:x",
                    type: "aws:ecs/taskDefinition:TaskDefinition",
                    keys: ["cpu"],
                    provider: "",
                    old: { type: "t", urn: "urn:x", custom: true, id: "f", parent: task.urn, inputs: {}, outputs: {}, provider: "" },
                    new: { type: "t", urn: "urn:x", custom: true, id: "", parent: task.urn, inputs: {}, outputs: {}, provider: "" },
                },
            },
        } as auto.EngineEvent;
        assert.deepStrictEqual(changeStep(event), { op: "replace", urn: "urn:x", type: "aws:ecs/taskDefinition:TaskDefinition", parent: task.urn, custom: true, replaceKeys: ["cpu"] });
        assert.strictEqual(changeStep({ sequence: 2, timestamp: 0, stdoutEvent: { message: "", color: "" } } as auto.EngineEvent), undefined);
    });

    it("draws each changed resource in its component, a replacement once and marked with what forces it, nothing unchanged", () => {
        const { mermaid, detail, counts } = changeDiagram(capacityChange);
        assert.strictEqual(detail, "resources");
        assert.deepStrictEqual(counts, { update: 2, replace: 1, delete: 1 });
        assert.strictEqual(
            mermaid.split("\n").filter((line) => !line.includes("classDef")).join("\n"),
            [
                "flowchart LR",
                '    n0["- app-spot-interruptions<br/>aws:cloudwatch:EventRule"]:::delete',
                '    subgraph g0["app (Cluster)"]',
                '        n1["~ app-capacity<br/>aws:ecs:ClusterCapacityProviders"]:::update',
                "    end",
                '    subgraph g1["app (Service)"]',
                '        n2["~ app-service<br/>aws:ecs:Service"]:::update',
                "    end",
                '    subgraph g2["app (TaskDefinition)"]',
                '        n3["+- app-taskdef<br/>aws:ecs:TaskDefinition (cpu, memory)"]:::replace',
                "    end",
            ].join("\n"),
        );
        assert.match(mermaid, /classDef replace .*stroke-dasharray/);
    });

    it("nests components as their parents do, and marks a component that is created", () => {
        const network = step("same", "flask-fargate:network:Network", "net");
        const nat = step("create", "flask-fargate:nat:NatInstance", "net-nat", network.urn);
        const { mermaid } = changeDiagram([root, network, nat, step("create", "aws:ec2/instance:Instance", "net-nat-instance", nat.urn)]);
        assert.match(mermaid, /subgraph g0\["net \(Network\)"\]\n {8}subgraph g1\["\+ net-nat \(NatInstance\)"\]\n {12}n0\["\+ net-nat-instance<br\/>aws:ec2:Instance"\]:::create\n {8}end\n {4}end/);
    });

    it("keeps names from breaking the diagram: quotes, angle brackets and # are Mermaid entity codes", () => {
        const { mermaid } = changeDiagram([root, step("create", "aws:s3/bucket:Bucket", 'files"]:::x <b>#1')]);
        assert.match(mermaid, /n0\["\+ files#quot;\]:::x #lt;b#gt;#35;1<br\/>aws:s3:Bucket"\]:::create/);
    });

    it(`beyond ${defaultMaxNodes} resources, counts them per component, then per top-level component; always well under a comment's 65,536 characters`, () => {
        const many = (components: number, each: number) => [
            root,
            ...Array.from({ length: components }, (_, c) => {
                const component = step("create", "flask-fargate:x:Part", `part${c}`);
                const inner = step("create", "flask-fargate:x:Inner", `part${c}-inner`, component.urn);
                return [component, inner, ...Array.from({ length: each }, (_, r) => step(r % 2 ? "create" : "update", "aws:s3/bucket:Bucket", `b${c}-${r}`, r % 3 ? inner.urn : component.urn))];
            }).flat(),
        ];
        const perComponent = changeDiagram(many(4, 20));
        assert.strictEqual(perComponent.detail, "components");
        assert.match(perComponent.mermaid, /subgraph g0\["\+ part0 \(Part\)"\]\n {8}n0\["\+ 3 to create"\]:::create\n {8}n1\["~ 4 to update"\]:::update\n {8}subgraph g1\["\+ part0-inner \(Inner\)"\]\n {12}n2\["\+ 7 to create"\]:::create\n {12}n3\["~ 6 to update"\]:::update/);
        const perTopLevel = changeDiagram(many(20, 20));
        assert.strictEqual(perTopLevel.detail, "top-level components");
        assert.doesNotMatch(perTopLevel.mermaid, /Inner/);
        assert.match(perTopLevel.mermaid, /subgraph g0\["\+ part0 \(Part\)"\]\n {8}n0\["\+ 10 to create"\]:::create\n {8}n1\["~ 10 to update"\]:::update\n {4}end/);
        const huge = changeDiagram(many(2000, 5));
        assert.match(huge.mermaid, /more\["\.\.\. and 3950 more"\]/);
        assert.ok(diagramMarkdown(huge).length < 20000, `${diagramMarkdown(huge).length} characters`);
    });

    it("as markdown: a mermaid block and a legend; no block when nothing changes", () => {
        const markdown = diagramMarkdown(changeDiagram(capacityChange));
        assert.match(markdown, /^```mermaid\nflowchart LR\n[\s\S]*\n```\n\n`~` 2 to update, `\+-` 1 to replace, `-` 1 to delete\. Replacements/);
        assert.strictEqual(diagramMarkdown(changeDiagram([root, cluster])), "No resource changes.");
        assert.strictEqual(legend({ create: 92 }), "`+` 92 to create");
    });

    it("writes types as Pulumi's display does", () => {
        assert.strictEqual(shortType("aws:ecs/service:Service"), "aws:ecs:Service");
        assert.strictEqual(shortType("docker-build:index:Image"), "docker-build:index:Image");
        assert.strictEqual(shortType("pulumi:providers:aws"), "pulumi:providers:aws");
    });
});
