/**
 * Refreshes lib/prices.json from the AWS Price List Query API (GetProducts), where AWS credentials
 * and network exist:
 *
 *     npx ts-node --transpile-only scripts/refresh-prices.ts [--dry-run]
 *
 * Needs @aws-sdk/client-pricing (not a dependency of the project: `npm install --no-save
 * @aws-sdk/client-pricing@3.1164.0`) and any credentials (the Price List API is free and reads no
 * account data). Each price is the on-demand price of the one product that the filters and usage
 * type select; a price the API does not give (Fargate Spot's, which moves with spare capacity) keeps
 * its table value and is reported. The pure part, `refreshTable`, is tested against a recorded-shape
 * fixture (tests/fixtures/pricing/).
 */
import * as fs from "fs";
import { PriceKey, priceKeys, pricesFile, PriceTable, readPrices } from "../lib/cost";

/** A GetProducts request: a service and exact-match attribute filters. */
export interface ProductQuery {
    serviceCode: string;
    filters: Record<string, string>;
}

/** GetProducts, all pages: the PriceList entries (JSON strings), as the API returns them. */
export type GetProducts = (query: ProductQuery) => Promise<string[]>;

/** Where each price is in the Price List: its query and the usage type that picks the product. */
export interface PriceSpec extends ProductQuery {
    usageType: RegExp;
}

const ec2Instance = (type: string): PriceSpec => ({
    serviceCode: "AmazonEC2",
    filters: { instanceType: type, operatingSystem: "Linux", tenancy: "Shared", preInstalledSw: "NA", capacitystatus: "Used" },
    usageType: new RegExp(`BoxUsage:${type.replace(".", "\\.")}$`),
});

/** Each price key's place in the Price List (us-east-1 usage types carry a USE1- prefix or none). */
export const priceSpecs: Record<PriceKey, PriceSpec | { notInPriceList: string }> = {
    "fargate.X86_64.vcpuHour": { serviceCode: "AmazonECS", filters: {}, usageType: /(^|-)Fargate-vCPU-Hours:perCPU$/ },
    "fargate.X86_64.gbHour": { serviceCode: "AmazonECS", filters: {}, usageType: /(^|-)Fargate-GB-Hours$/ },
    "fargate.ARM64.vcpuHour": { serviceCode: "AmazonECS", filters: {}, usageType: /(^|-)Fargate-ARM-vCPU-Hours:perCPU$/ },
    "fargate.ARM64.gbHour": { serviceCode: "AmazonECS", filters: {}, usageType: /(^|-)Fargate-ARM-GB-Hours$/ },
    "fargateSpot.X86_64.vcpuHour": { notInPriceList: "Fargate Spot prices move with spare capacity; read them from https://aws.amazon.com/fargate/pricing/" },
    "fargateSpot.X86_64.gbHour": { notInPriceList: "Fargate Spot prices move with spare capacity" },
    "fargateSpot.ARM64.vcpuHour": { notInPriceList: "Fargate Spot prices move with spare capacity" },
    "fargateSpot.ARM64.gbHour": { notInPriceList: "Fargate Spot prices move with spare capacity" },
    "alb.hour": { serviceCode: "AWSELB", filters: { productFamily: "Load Balancer-Application" }, usageType: /(^|-)LoadBalancerUsage$/ },
    "alb.lcuHour": { serviceCode: "AWSELB", filters: { productFamily: "Load Balancer-Application" }, usageType: /(^|-)LCUUsage$/ },
    "natGateway.hour": { serviceCode: "AmazonEC2", filters: { productFamily: "NAT Gateway" }, usageType: /(^|-)NatGateway-Hours$/ },
    "publicIpv4.hour": { serviceCode: "AmazonVPC", filters: {}, usageType: /(^|-)PublicIPv4:InUseAddress$/ },
    "interfaceEndpoint.zoneHour": { serviceCode: "AmazonVPC", filters: { productFamily: "VpcEndpoint" }, usageType: /(^|-)VpcEndpoint-Hours$/ },
    "ec2.t4g.nano.hour": ec2Instance("t4g.nano"),
    "ec2.t3.medium.hour": ec2Instance("t3.medium"),
    "ebs.gp3.gbMonth": { serviceCode: "AmazonEC2", filters: { volumeApiName: "gp3", productFamily: "Storage" }, usageType: /(^|-)EBS:VolumeUsage\.gp3$/ },
    "waf.webAclMonth": { serviceCode: "awswaf", filters: {}, usageType: /(^|-)WebACL$/ },
    "waf.ruleMonth": { serviceCode: "awswaf", filters: {}, usageType: /(^|-)Rule$/ },
    "cloudwatch.alarmMonth": { serviceCode: "AmazonCloudWatch", filters: {}, usageType: /(^|-)CW:AlarmMonitorUsage$/ },
};

/** One Price List entry, as much of it as this script reads. */
interface PriceListEntry {
    product: { attributes: { usagetype?: string } };
    terms: { OnDemand?: Record<string, { priceDimensions: Record<string, { beginRange?: string; pricePerUnit: { USD?: string } }> }> };
}

/** The first-tier on-demand USD price of an entry, or undefined. */
function onDemandUsd(entry: PriceListEntry): number | undefined {
    const dimensions = Object.values(entry.terms.OnDemand ?? {}).flatMap((term) => Object.values(term.priceDimensions));
    const first = dimensions.find((d) => (d.beginRange ?? "0") === "0");
    const usd = first?.pricePerUnit.USD;
    return usd === undefined ? undefined : Number(usd);
}

/** What a refresh found: the new table, the prices that changed, and those it could not read. */
export interface Refresh {
    table: PriceTable;
    changed: { key: PriceKey; from: number; to: number }[];
    kept: { key: PriceKey; reason: string }[];
}

/** Reads every price of `table` from the Price List; the new table is dated `today`. */
export async function refreshTable(table: PriceTable, getProducts: GetProducts, today: string): Promise<Refresh> {
    const pages = new Map<string, Promise<PriceListEntry[]>>();
    const fetch = (spec: PriceSpec) => {
        const filters = { regionCode: table.region, ...spec.filters };
        const id = JSON.stringify([spec.serviceCode, filters]);
        if (!pages.has(id)) {
            pages.set(id, getProducts({ serviceCode: spec.serviceCode, filters }).then((list) => list.map((text) => JSON.parse(text) as PriceListEntry)));
        }
        return pages.get(id)!;
    };
    const result: Refresh = { table: { ...table, date: today, prices: { ...table.prices } }, changed: [], kept: [] };
    for (const key of priceKeys) {
        const spec = priceSpecs[key];
        if ("notInPriceList" in spec) {
            result.kept.push({ key, reason: spec.notInPriceList });
            continue;
        }
        const matches = (await fetch(spec)).filter((entry) => spec.usageType.test(entry.product.attributes.usagetype ?? ""));
        const prices = [...new Set(matches.map(onDemandUsd).filter((p): p is number => p !== undefined && p > 0))];
        if (prices.length !== 1) {
            result.kept.push({ key, reason: `${prices.length} prices for ${spec.serviceCode} ${spec.usageType} (${matches.length} products)` });
            continue;
        }
        const from = table.prices[key].usd;
        if (prices[0] !== from) {
            result.changed.push({ key, from, to: prices[0] });
            result.table.prices[key] = { ...table.prices[key], usd: prices[0] };
        }
    }
    return result;
}

/** GetProducts through @aws-sdk/client-pricing (the Price List API's endpoint is in us-east-1). */
async function sdkGetProducts(): Promise<GetProducts> {
    const moduleName: string = "@aws-sdk/client-pricing";
    let sdk: { PricingClient: new (config: object) => { send(command: unknown): Promise<{ PriceList?: string[]; NextToken?: string }> }; GetProductsCommand: new (input: object) => unknown };
    try {
        sdk = await import(moduleName);
    } catch {
        throw new Error(`${moduleName} is not installed: npm install --no-save ${moduleName}@3.1164.0`);
    }
    const client = new sdk.PricingClient({ region: "us-east-1" });
    return async ({ serviceCode, filters }) => {
        const list: string[] = [];
        let token: string | undefined;
        do {
            const page = await client.send(
                new sdk.GetProductsCommand({
                    ServiceCode: serviceCode,
                    Filters: Object.entries(filters).map(([Field, Value]) => ({ Type: "TERM_MATCH", Field, Value })),
                    FormatVersion: "aws_v1",
                    NextToken: token,
                }),
            );
            list.push(...(page.PriceList ?? []));
            token = page.NextToken;
        } while (token);
        return list;
    };
}

async function main(argv: string[]): Promise<void> {
    const refresh = await refreshTable(readPrices(), await sdkGetProducts(), new Date().toISOString().slice(0, 10));
    for (const { key, from, to } of refresh.changed) {
        console.log(`${key}: ${from} -> ${to}`);
    }
    for (const { key, reason } of refresh.kept) {
        console.log(`${key}: kept (${reason})`);
    }
    if (!argv.includes("--dry-run")) {
        fs.writeFileSync(pricesFile, `${JSON.stringify(refresh.table, null, 4)}\n`);
        console.log(`wrote ${pricesFile} (${refresh.changed.length} changed)`);
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((err) => {
        console.error((err as Error).message);
        process.exit(1);
    });
}
