/**
 * The docs: the configuration reference is what Pulumi.yaml renders to.
 */
import * as assert from "assert";
import * as fs from "fs";
import { configSchema } from "../lib/configSchema";
import { referencePath, renderConfigReference } from "../scripts/config-reference";

const read = (file: string) => fs.readFileSync(file, "utf8");

describe("docs", () => {
    it("docs/configuration.md is what `npm run docs:config` renders from Pulumi.yaml and the stack files", () => {
        const committed = fs.existsSync(referencePath) ? read(referencePath) : "";
        assert.ok(committed === renderConfigReference(), "docs/configuration.md is out of date: run `npm run docs:config` and commit the page");
    });

    it("the configuration reference documents every key with its default", () => {
        const reference = read(referencePath);
        for (const [key, spec] of Object.entries(configSchema)) {
            const shown = Array.isArray(spec.default) ? JSON.stringify(spec.default) : spec.default === "" ? '""' : String(spec.default);
            assert.ok(reference.includes(`| \`${key}\` | \`${shown}\` |`), `docs/configuration.md row for ${key} with default ${shown}`);
        }
    });
});
