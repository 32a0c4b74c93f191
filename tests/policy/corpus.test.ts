import * as assert from "assert";
import { policies } from "../../policy/policies";
import { canonicalType } from "../../policy/policies/util";
import { Case, corpus } from "./corpus";
import { Input, unknown, violations } from "./harness";

type AnyPolicy = Parameters<typeof violations>[0];
const byName = new Map(policies.map((p) => [p.name, p as AnyPolicy]));
const run = (name: string, k: Case, inputs: Input[] = k.inputs) => violations(byName.get(name)!, inputs, k.config);
const advisory = (found: string[]) => found.filter((v) => v.startsWith("advisory:"));

/** Values a leaf may take in place of an unknown: every leaf value of the good cases, the whole top-level properties, and a few plain ones. */
function valuePool(cases: Case[]): unknown[] {
    const values: unknown[] = [undefined, "", 0, 443, true, false, "*", "Deny", "required", "IMMUTABLE"];
    const walk = (v: unknown) => {
        values.push(v);
        if (typeof v === "string" && v.includes("/")) values.push(...v.split("/"));
        if (Array.isArray(v)) v.forEach(walk);
        else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
        else if (typeof v === "string" && (v.startsWith("[") || v.startsWith("{"))) {
            try {
                walk(JSON.parse(v));
            } catch {
                /* not JSON */
            }
        }
    };
    cases.forEach((k) => k.inputs.forEach((i) => Object.values(i.props).forEach(walk)));
    cases.forEach((k) => k.inputs.forEach((i) => values.push({ type: i.type, props: i.props })));
    const seen = new Set<string>();
    return values.filter((v) => {
        const key = JSON.stringify(v) ?? "undefined";
        return !seen.has(key) && (seen.add(key), true);
    });
}

/** A case with one value made unknown (as a preview may have it), and the case with that value replaced by each of a pool of values. */
interface Variant {
    variant: Input[];
    completions: (pool: unknown[]) => Input[][];
}

/** Every leaf of every input's props made unknown in turn, one at a time; then every top-level property at once. */
function withUnknownLeaves(inputs: Input[]): Variant[] {
    const variants: Variant[] = [];
    const walk = (value: any, replace: (v: any) => Input[]) => {
        variants.push({ variant: replace(unknown), completions: (pool) => pool.map(replace) });
        if (Array.isArray(value)) value.forEach((v, i) => walk(v, (u) => replace(value.map((x, j) => (j === i ? u : x)))));
        else if (value !== null && typeof value === "object") for (const k of Object.keys(value)) walk(value[k], (u) => replace({ ...value, [k]: u }));
        else if (typeof value === "string" && (value.startsWith("[") || value.startsWith("{"))) {
            // A JSON property (a policy document, container definitions): its leaves too.
            try {
                const parsed = JSON.parse(value);
                walk(parsed, (u) => replace(JSON.stringify(u)));
            } catch {
                /* not JSON */
            }
        }
    };
    inputs.forEach((input, i) => {
        for (const key of Object.keys(input.props)) {
            walk(input.props[key], (u) => inputs.map((x, j) => (j === i ? { ...x, props: { ...x.props, [key]: u } } : x)));
        }
        const all = (u: unknown) => inputs.map((x, j) => (j === i ? { ...x, props: Object.fromEntries(Object.keys(x.props).map((k) => [k, u])) } : x));
        // Every property unknown at once: a completion is the props of each good case's resource of the same type.
        const props = (p: unknown) => inputs.map((x, j) => (j === i ? { ...x, props: p as Record<string, any> } : x));
        variants.push({ variant: all(unknown), completions: (pool) => [...pool.filter((p): p is { type: string; props: unknown } => canonicalType((p as any)?.type ?? "") === canonicalType(input.type)).map((p) => props(p.props)), props({}), ...pool.map(all)] });
    });
    return variants;
}

describe("policy corpus (issue 13): each policy reports its bad inputs and passes its good ones", () => {
    it("covers every policy of the pack with at least three bad inputs and two good ones", () => {
        const thin = policies.map((p) => p.name).filter((n) => (corpus[n]?.bad.length ?? 0) < 3 || (corpus[n]?.good.length ?? 0) < 2);
        assert.deepStrictEqual(thin, []);
        assert.deepStrictEqual(Object.keys(corpus).filter((n) => !byName.has(n)), []);
    });

    for (const [name, entry] of Object.entries(corpus)) {
        describe(name, () => {
            const pool = valuePool(entry.good);
            for (const k of entry.bad) {
                it(`reports: ${k.what}${k.kind ? ` [${k.kind}]` : ""}`, async () => {
                    const found = await run(name, k);
                    assert.ok(found.length > 0 && advisory(found).length === 0, `not reported: ${JSON.stringify(k.inputs.map((i) => i.props))}`);
                });
            }
            for (const k of entry.good) {
                it(`passes: ${k.what}`, async () => {
                    assert.deepStrictEqual(await run(name, k), []);
                });
            }
            it("decides whichever value is unknown, never the wrong way: no advisory; a good case stays passed; a bad case passes only if some value in place of the unknown makes it good", async () => {
                for (const k of [...entry.bad, ...entry.good]) {
                    const bad = entry.bad.includes(k);
                    const values = [...pool, ...valuePool([k])];
                    for (const { variant, completions } of withUnknownLeaves(k.inputs)) {
                        const found = await run(name, k, variant);
                        assert.deepStrictEqual(advisory(found), [], `${k.what}: ${JSON.stringify(variant.map((i) => i.props))}`);
                        if (!bad) {
                            assert.deepStrictEqual(found, [], `a false refusal at preview: ${k.what}, with ${JSON.stringify(variant.map((i) => i.props))}`);
                        } else if (found.length === 0) {
                            let good = false;
                            for (const candidate of completions(values)) if (!good) good = (await run(name, k, candidate)).length === 0;
                            assert.ok(good, `a false pass at preview: ${k.what} passes with ${JSON.stringify(variant.map((i) => i.props))}, though no value tried in place of the unknown makes it good`);
                        }
                    }
                    if (bad) {
                        // Outputs a preview does not know (ARN, id) do not hide a bad input.
                        const preview = k.inputs.map((i) => ({ ...i, props: { ...i.props, arn: unknown, id: unknown } }));
                        assert.ok((await run(name, k, preview)).length > 0, `not reported at preview: ${k.what}`);
                    }
                }
            });
        });
    }
});
