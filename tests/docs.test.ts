/**
 * The docs: the README stays an entry page, the configuration reference is what Pulumi.yaml
 * renders to, and no relative link in the README or under docs/ leads nowhere.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { configSchema } from "../lib/configSchema";
import { anchor, referencePath, renderConfigReference } from "../scripts/config-reference";
import { root } from "./harness";

const readmePath = path.join(root, "README.md");
const docsDir = path.join(root, "docs");
const pages = [readmePath, ...fs.readdirSync(docsDir).filter((f) => f.endsWith(".md")).map((f) => path.join(docsDir, f))];
const read = (file: string) => fs.readFileSync(file, "utf8");
const relative = (file: string) => path.relative(root, file);

/** A page's text without its fenced code blocks, which hold no links or headings. */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```/gm, "");

/** The anchors of a page's headings, as GitHub makes them (a repeated heading gets -1, -2, ...). */
function anchors(text: string): Set<string> {
    const seen = new Map<string, number>();
    const result = new Set<string>();
    for (const [, heading] of prose(text).matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
        const base = anchor(heading);
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        result.add(count === 0 ? base : `${base}-${count}`);
    }
    return result;
}

/** The rows of every table in a page, each keyed by its table's header (backticks dropped). */
function tableRows(text: string): Record<string, string>[] {
    const cells = (line: string) =>
        line
            .trim()
            .replace(/^\||\|$/g, "")
            .split(/(?<!\\)\|/)
            .map((cell) => cell.trim());
    const lines = text.split("\n");
    const rows: Record<string, string>[] = [];
    for (let i = 0; i + 1 < lines.length; i++) {
        if (!lines[i].startsWith("|") || !/^\|[\s|:-]+\|$/.test(lines[i + 1].trim())) {
            continue;
        }
        const header = cells(lines[i]).map((name) => name.replace(/`/g, ""));
        for (i += 2; i < lines.length && lines[i].startsWith("|"); i++) {
            const row = cells(lines[i]);
            rows.push(Object.fromEntries(header.map((name, n) => [name, row[n] ?? ""])));
        }
    }
    return rows;
}

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

    it("the README is an entry page of at most 250 lines", () => {
        const lines = read(readmePath).split("\n").length - 1;
        assert.ok(lines <= 250, `README.md has ${lines} lines; move reference and rationale into docs/ (at most 250)`);
    });

    it("every relative link in the README and docs/ points at an existing file, and heading", () => {
        const broken: string[] = [];
        for (const page of pages) {
            const text = prose(read(page)).replace(/`[^`\n]*`/g, "");
            for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
                if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
                    continue; // https:, mailto: ...
                }
                const [file, fragment] = target.split("#");
                const linked = file === "" ? page : path.resolve(path.dirname(page), decodeURIComponent(file));
                if (!fs.existsSync(linked)) {
                    broken.push(`${relative(page)}: ${target} (no such file)`);
                } else if (fragment !== undefined && linked.endsWith(".md") && !anchors(read(linked)).has(fragment)) {
                    broken.push(`${relative(page)}: ${target} (no such heading in ${relative(linked)})`);
                }
            }
        }
        assert.deepStrictEqual(broken, []);
    });

    it("the README's main settings show the defaults and stack values the reference shows", () => {
        const reference = new Map(tableRows(read(referencePath)).map((row) => [row.key.replace(/`/g, ""), row]));
        const settings = tableRows(read(readmePath)).filter((row) => row.key !== undefined && row.key.replace(/`/g, "") in configSchema);
        assert.ok(settings.length >= 10, `the README's main settings table has ${settings.length} rows`);
        for (const row of settings) {
            const key = row.key.replace(/`/g, "");
            const expected = reference.get(key)!;
            for (const column of ["default", "dev", "prod"]) {
                assert.strictEqual(row[column], expected[column], `README.md, ${key}, ${column}`);
            }
        }
    });
});
