import * as assert from "assert";
import { policies } from "../../policy/policies";
import { Case, corpus } from "./corpus";
import { Input, unknown, violations } from "./harness";

type AnyPolicy = Parameters<typeof violations>[0];
const byName = new Map(policies.map((p) => [p.name, p as AnyPolicy]));
const run = (name: string, k: Case, inputs: Input[] = k.inputs) => violations(byName.get(name)!, inputs, k.config);
const advisory = (found: string[]) => found.filter((v) => v.startsWith("advisory:"));

/** Every leaf of every input's props made unknown in turn (as a preview may have it), one at a time; then every top-level property at once. */
function withUnknownLeaves(inputs: Input[]): Input[][] {
    const variants: Input[][] = [];
    const walk = (value: any, replace: (v: any) => Input[]) => {
        variants.push(replace(unknown));
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
        variants.push(inputs.map((x, j) => (j === i ? { ...x, props: Object.fromEntries(Object.keys(x.props).map((k) => [k, unknown])) } : x)));
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
            it("decides whichever value is unknown (never advisory at preview), and still reports what is bad in the known part", async () => {
                for (const k of [...entry.bad, ...entry.good]) {
                    for (const variant of withUnknownLeaves(k.inputs)) {
                        const found = await run(name, k, variant);
                        assert.deepStrictEqual(advisory(found), [], `${k.what}: ${JSON.stringify(variant.map((i) => i.props))}`);
                    }
                    if (entry.bad.includes(k)) {
                        // Outputs a preview does not know (ARN, id) do not hide a bad input.
                        const preview = k.inputs.map((i) => ({ ...i, props: { ...i.props, arn: unknown, id: unknown } }));
                        assert.ok((await run(name, k, preview)).length > 0, `not reported at preview: ${k.what}`);
                    }
                }
            });
        });
    }
});
