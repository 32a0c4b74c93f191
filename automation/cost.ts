/**
 * `npm run deploy -- cost --stack dev`: a committed stack's monthly floor, from its stack file
 * (loaded as the CLI loads it) and the price table. Needs no AWS account and no Pulumi CLI.
 */
import * as fs from "fs";
import * as path from "path";
import { ownSettings, parseConfig, stackConfig } from "../lib/config";
import { projectDir, RawConfig } from "../lib/configSchema";
import { estimate, Estimate, pricesFile, readPrices, stackFootprint, usd } from "../lib/cost";
import { StackNotFoundError } from "./errors";

/**
 * The monthly floor of stack `stack` as committed in `dir` (a checkout of this project), priced
 * with that checkout's price table when it has one, else this one's.
 */
export function stackCost(stack: string, dir = projectDir): Estimate {
    if (!fs.existsSync(path.join(dir, `Pulumi.${stack}.yaml`))) {
        const stacks = fs.readdirSync(dir).flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? []);
        throw new StackNotFoundError(`There is no Pulumi.${stack}.yaml in ${dir}`, `The project's stack files: ${stacks.map((s) => `Pulumi.${s}.yaml`).join(", ")}.`);
    }
    const table = path.join(dir, path.relative(projectDir, pricesFile));
    return configCost(stackConfig(stack, dir), fs.existsSync(table) ? table : pricesFile);
}

/** The monthly floor of a stack's config as the CLI hands it over (see lib/configSchema's cliConfig), at the prices of `prices`. */
export function configCost(raw: RawConfig, prices = pricesFile): Estimate {
    return estimate(stackFootprint(parseConfig(ownSettings(raw), raw["aws:region"])), readPrices(prices));
}

/** An estimate as a markdown table, line by line, then the total. */
export function costTable(result: Estimate): string {
    return [
        "| item | how | USD / month |",
        "|---|---|---:|",
        ...result.lines.map((line) => `| ${line.item} | ${line.detail} | ${usd(line.monthlyUsd)} |`),
        `| **total** | ${result.region} list prices of ${result.pricesDate}, always on, idle | **${usd(result.monthlyUsd)}** |`,
    ].join("\n");
}
