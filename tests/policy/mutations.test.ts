import * as assert from "assert";
import { policies } from "../../policy/policies";
import { guarded } from "../../policy/policies/coverage";
import { outsiderAllows } from "../../policy/policies/iamEval";
import { canonicalType, stackOf, statements } from "../../policy/policies/util";
import { runWith } from "../harness";
import { Case, corpus } from "./corpus";
import { configOf, fromRun, Input, urnOf, violations } from "./harness";
import { fieldMutations, iamMutations, inAnotherAccount, Mutation, reversed, RowContext, ruleMutations } from "./mutations";
import { fieldRows, iamOracles, outsiderDocuments, outsiderGetsIn, worldIngress } from "./oracles";

type AnyPolicy = Parameters<typeof violations>[0];
const pack = policies as AnyPolicy[];
const byName = new Map(pack.map((p) => [p.name, p]));

/** Each policy's config in a case of policy `owner`: the case's config applies to its own policy. */
const configFor = (owner: string | undefined, k: Case) => (policy: string) => configOf(byName.get(policy)!, policy === owner ? k.config : {}) as Record<string, any>;

/** The generated set of one case: every operator on a good case; only those that keep every verdict on a bad one. */
function generate(owner: string | undefined, k: Case, good: boolean): Mutation[] {
    const config = configFor(owner, k);
    const context = (input: Input, inputs: Input[]): RowContext => ({ input, inputs, stack: stackOf(urnOf(input)), config });
    const all = [...iamMutations(k.inputs), ...ruleMutations(k.inputs), ...fieldMutations(k.inputs, fieldRows, context), ...reversed(k.inputs), ...inAnotherAccount(k.inputs)];
    return good ? all : all.filter((m) => m.kind === "preserving");
}

/** Every policy's verdict (reported or not) on a case, or those of `only`; an advisory counts as a verdict of its own. */
async function verdicts(owner: string | undefined, k: Case, inputs: Input[], only?: Set<string>): Promise<Map<string, boolean | "advisory">> {
    const out = new Map<string, boolean | "advisory">();
    for (const p of pack.filter((x) => only === undefined || only.has(x.name))) {
        const found = await violations(p, inputs, p.name === owner ? k.config : {});
        out.set(p.name, found.some((v) => v.startsWith("advisory:")) ? "advisory" : found.length > 0);
    }
    return out;
}

/** What a mutation expects of policy `name`: the oracle of its kind (a policy no oracle names must keep silent). */
function expected(m: Mutation, name: string, config: Record<string, any>): boolean {
    if (m.kind === "iam") return iamOracles[name]?.(m.inputs, config) ?? false;
    if (m.kind === "sg") return name === "sg-no-world-ingress" && worldIngress(m.inputs, config);
    return (m.reports ?? []).includes(name);
}

const show = (v: boolean | "advisory" | undefined) => (v === "advisory" ? "an advisory" : v ? "a violation" : "no violation");

/**
 * The mismatches of one case's mutations: a mutation that keeps every verdict is held to every
 * policy (of `scope`); one that may flip a verdict, to the policies that passed the case, each
 * against its oracle. For a good case, the oracles must also pass the case itself.
 */
async function mismatches(owner: string | undefined, k: Case, good: boolean, mutations: Mutation[], scope?: (m: Mutation) => Set<string>): Promise<string[]> {
    const out: string[] = [];
    const config = configFor(owner, k);
    const base = await verdicts(owner, k, k.inputs);
    if (good) {
        for (const [name, oracle] of Object.entries(iamOracles)) {
            if (base.get(name) === false && oracle(k.inputs, config(name))) out.push(`${k.what}: the ${name} oracle reports the case itself`);
        }
        if (base.get("sg-no-world-ingress") === false && worldIngress(k.inputs, config("sg-no-world-ingress"))) out.push(`${k.what}: the sg oracle reports the case itself`);
    }
    for (const m of [{ inputs: k.inputs, what: "the case itself", kind: undefined }, ...mutations]) {
        // The evaluator never says "closed" where a concrete request from outside gets in.
        const target = "target" in m ? m.target : undefined;
        for (const input of m.inputs.filter((i) => target === undefined || i.name === target.name)) {
            for (const { document, anonymous } of outsiderDocuments(input)) {
                const list = statements(document);
                const witness = outsiderAllows(list, anonymous).length === 0 ? outsiderGetsIn(list, anonymous) : undefined;
                if (witness) out.push(`the evaluator on "${k.what}" with ${m.what}: ${input.name}'s policy lets nobody from outside in, but this request gets in: ${JSON.stringify(witness)}`);
            }
        }
        if (m.kind === undefined) continue;
        const held = new Set([...base].filter(([n, v]) => (m.kind === "preserving" || v === false) && (scope?.(m).has(n) ?? true)).map(([n]) => n));
        const found = await verdicts(owner, k, m.inputs, held);
        for (const name of held) {
            const want = m.kind === "preserving" ? base.get(name) : expected(m, name, config(name));
            if (found.get(name) !== want) out.push(`${name} on "${k.what}" with ${m.what}: ${show(found.get(name))}, expected ${show(want)}`);
        }
    }
    return out;
}

const generated = Object.entries(corpus).map(([owner, entry]) => ({
    owner,
    cases: [...entry.good.map((k) => ({ k, good: true, mutations: generate(owner, k, true) })), ...entry.bad.map((k) => ({ k, good: false, mutations: generate(owner, k, false) }))],
}));
const size = generated.reduce((n, g) => n + g.cases.reduce((m, c) => m + c.mutations.length, 0), 0);
const report = (found: string[]) => assert.deepStrictEqual(found, [], `${found.length} mismatches:\n${found.join("\n")}`);

describe(`generated set (issue 21): ${size} mutations of the corpus's cases, one field at a time, each policy's verdict against the evaluator's or the oracle's`, () => {
    it("names only policies of the pack in its oracles and field table", () => {
        const named = [...Object.keys(iamOracles), ...fieldRows.flatMap((r) => (Array.isArray(r.reports) ? r.reports : []))];
        assert.deepStrictEqual(
            named.filter((n) => !byName.has(n)),
            [],
        );
    });

    it("the concrete requests find a way in wherever the corpus's bad cases let someone from outside in (so finding none means something)", () => {
        const open = Object.values(corpus).flatMap((e) => e.bad.flatMap((k) => k.inputs.flatMap((i) => outsiderDocuments(i).map((d) => ({ k, list: statements(d.document), anonymous: d.anonymous })))));
        const missed = open.filter(({ list, anonymous }) => outsiderAllows(list, anonymous).length > 0 && outsiderGetsIn(list, anonymous) === undefined).map(({ k }) => k.what);
        assert.ok(open.length >= 20, `only ${open.length} documents`);
        assert.deepStrictEqual(missed, []);
    });

    for (const { owner, cases } of generated) {
        const count = cases.reduce((n, c) => n + c.mutations.length, 0);
        it(`${owner}: ${count} mutations of its ${cases.length} cases`, async () => {
            const found: string[] = [];
            for (const { k, good, mutations } of cases) found.push(...(await mismatches(owner, k, good, mutations)));
            report(found);
        });
    }
});

describe("generated set (issue 21) over the program's own stacks: each resource a policy guards mutated one field at a time", () => {
    // The policies that judge the changed resource's type (coverage.ts), and those an oracle names; every policy for a change of the whole stack.
    const scope = (m: Mutation) =>
        new Set(m.target === undefined ? pack.map((p) => p.name) : [...(guarded[canonicalType(m.target.type)] ?? []), ...(m.kind === "iam" ? Object.keys(iamOracles) : []), ...(m.kind === "sg" ? ["sg-no-world-ingress"] : []), ...(m.reports ?? [])]);
    const stacks: [string, Record<string, unknown>, string][] = [
        ["prod with HTTPS (access logs, WAF, alarms, the KMS key and topic policies)", { domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }, "prod"],
        ["EC2 capacity behind the NAT instance, secrets with a KMS key", { capacity: "ec2", natGateways: "instance", secrets: ["DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"], secretsKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k-1" }, "test"],
    ];
    for (const [what, config, stack] of stacks) {
        it(what, async () => {
            const k: Case = { what, inputs: fromRun(await runWith(config, stack)) };
            const mutations = generate(undefined, k, true);
            console.log(`      ${mutations.length} mutations of ${k.inputs.length} resources`);
            report(await mismatches(undefined, k, true, mutations, scope));
        });
    }
});
