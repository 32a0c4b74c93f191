import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { readPrices } from "../lib/cost";
import { GetProducts, ProductQuery, refreshTable } from "../scripts/refresh-prices";

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures/pricing/get-products.json"), "utf8"));

/** GetProducts over the fixture: TERM_MATCH on every filter (productFamily is the product's own field). */
function fakeGetProducts(queries: ProductQuery[]): GetProducts {
    return async (query) => {
        queries.push(query);
        return fixture.products
            .filter((p: any) => p.serviceCode === query.serviceCode)
            .filter((p: any) => Object.entries(query.filters).every(([field, value]) => (field === "productFamily" ? p.product.productFamily : p.product.attributes[field]) === value))
            .map((p: any) => JSON.stringify(p));
    };
}

describe("scripts/refresh-prices.ts against a Price List fixture", () => {
    it("reads each price of the table's region, reports what changed and dates the new table", async () => {
        const queries: ProductQuery[] = [];
        const table = readPrices();
        const refresh = await refreshTable(table, fakeGetProducts(queries), "2027-01-15");
        assert.deepStrictEqual(refresh.changed, [{ key: "alb.hour", from: table.prices["alb.hour"].usd, to: 0.0252 }]);
        assert.strictEqual(refresh.table.prices["alb.hour"].usd, 0.0252);
        assert.strictEqual(refresh.table.prices["alb.hour"].source, table.prices["alb.hour"].source);
        assert.strictEqual(refresh.table.date, "2027-01-15");
        assert.ok(queries.every((q) => q.filters.regionCode === "us-east-1"));
        assert.strictEqual(table.prices["alb.hour"].usd, 0.0225, "the table read from disk is not changed");
    });

    it("keeps, and reports, what the Price List does not give: Fargate Spot and services missing from the answer", async () => {
        const refresh = await refreshTable(readPrices(), fakeGetProducts([]), "2027-01-15");
        assert.deepStrictEqual(refresh.kept.map((k) => k.key), [
            "fargateSpot.X86_64.vcpuHour",
            "fargateSpot.X86_64.gbHour",
            "fargateSpot.ARM64.vcpuHour",
            "fargateSpot.ARM64.gbHour",
            "waf.webAclMonth",
            "waf.ruleMonth",
        ]);
        assert.strictEqual(refresh.table.prices["waf.webAclMonth"].usd, 5);
    });

    it("asks once per service and filter set", async () => {
        const queries: ProductQuery[] = [];
        await refreshTable(readPrices(), fakeGetProducts(queries), "2027-01-15");
        const ids = queries.map((q) => JSON.stringify(q));
        assert.strictEqual(new Set(ids).size, ids.length);
    });
});
