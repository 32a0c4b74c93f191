/**
 * The AWS request contract (tests/engine/standin/internal/contract, docs/aws-contract.md) for the
 * mock tier: resources recorded under mocks are checked, in one process per call, by
 * .tools/standin/aws-contract, the same Go code the aws stand-in runs on every Create and Update
 * of the engine tier. The botocore models come from .venv (npm run setup installs them).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Recorded, root } from "./harness";

/** The command npm run setup builds beside the stand-in plugins. */
export const contractCommand = path.join(root, ".tools", "standin", "aws-contract");

/** One resource as its provider would get it: the contract checks the request(s) sent for it. */
export interface ContractResource {
    type: string;
    /** Its URN: the contract autonames from it as the provider would. */
    urn?: string;
    inputs: Record<string, any>;
    /** The state before an update: the update request(s) are checked instead of the create ones. */
    olds?: Record<string, any>;
    /** customTimeouts, in seconds. */
    timeouts?: { create?: number; update?: number };
    /** The stack (config) it belongs to: rules across resources (a role's policies, a listener's priorities) stay within a group. */
    group?: string;
}

/** Something AWS would refuse: the API operation, the member path in its request, the rule and where AWS states it. */
export interface Violation {
    type: string;
    urn?: string;
    group?: string;
    api: string;
    member: string;
    rule: string;
    source: string;
    /** The prose rule's id (docs/aws-contract.md), or contract-coverage; none for a botocore model rule. */
    id?: string;
}

/** Whether a recorded resource is one the aws provider creates (components and other packages are not). */
function isAws(r: Recorded | ContractResource): boolean {
    return r.type.startsWith("aws:") && (!("custom" in r) || r.custom);
}

/** Seconds of a Go duration as customTimeouts take it ("1h30m", "45s"); undefined when empty. */
export function durationSeconds(duration: string): number | undefined {
    if (duration === "") {
        return undefined;
    }
    const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
    const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
    if (parts.map((p) => p[0]).join("") !== duration) {
        throw new Error(`not a duration: ${duration}`);
    }
    return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0);
}

/** A resource's customTimeouts in seconds, as the contract takes them. */
function timeouts(r: Recorded | ContractResource): ContractResource["timeouts"] {
    if ("customTimeouts" in r) {
        return { create: durationSeconds(r.customTimeouts.create), update: durationSeconds(r.customTimeouts.update) };
    }
    return (r as ContractResource).timeouts;
}

/** Checks the AWS resources among `resources` against the contract, in one run of the command. */
export function checkContract(resources: Array<Recorded | ContractResource>, group?: string): Violation[] {
    if (!fs.existsSync(contractCommand)) {
        throw new Error(`the AWS request contract needs ${contractCommand}: run npm run setup`);
    }
    const input = resources
        .filter(isAws)
        .map((r) => {
            const c = r as ContractResource;
            return JSON.stringify({ type: r.type, urn: r.urn, inputs: r.inputs, olds: c.olds, timeouts: timeouts(r), group: c.group ?? group });
        })
        .join("\n");
    const run = spawnSync(contractCommand, [], { input, encoding: "utf8", cwd: root, maxBuffer: 256 * 1024 * 1024 });
    if (run.error !== undefined || run.status !== 0) {
        throw new Error(`${contractCommand} failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr}`);
    }
    return JSON.parse(run.stdout).violations;
}

/** Violations one per line, as the stand-in reports them: "group type urn-name: api: member: rule (source)". */
export function formatViolations(violations: Violation[]): string[] {
    return violations.map((v) => `${v.group ? `${v.group} ` : ""}${v.type}::${v.urn?.split("::").pop() ?? ""}: ${v.api}: ${v.member}: ${v.rule} (${v.source})`);
}
