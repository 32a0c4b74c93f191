/**
 * A stack's monthly floor: what it costs always on and idle (the tasks it keeps running, the load
 * balancer, NAT, VPC endpoints, public IPv4 addresses, WAF, alarms), at the list prices of
 * lib/prices.json. Usage (requests, data processed, logs, storage) comes on top.
 *
 * Two steps, both pure: `stackFootprint(config)` says what the config keeps running, and
 * `estimate(footprint, prices)` prices it. A new kind of resource is a field of `Footprint`, a
 * line in `estimate` and a price key in lib/prices.json.
 */
import * as fs from "fs";
import * as path from "path";
import { interfaceServices, requiredServices } from "./endpoints";
import type { Architecture, StackConfig } from "./config";
import { natInstanceType, natInstanceVolumeGiB } from "./natInstance";
import { wafRuleCount } from "./waf";

/** Every price the estimate uses, as keyed in lib/prices.json. */
export const priceKeys = [
    "fargate.X86_64.vcpuHour",
    "fargate.X86_64.gbHour",
    "fargate.ARM64.vcpuHour",
    "fargate.ARM64.gbHour",
    "fargateSpot.X86_64.vcpuHour",
    "fargateSpot.X86_64.gbHour",
    "fargateSpot.ARM64.vcpuHour",
    "fargateSpot.ARM64.gbHour",
    "alb.hour",
    "alb.lcuHour",
    "natGateway.hour",
    "publicIpv4.hour",
    "interfaceEndpoint.zoneHour",
    "ec2.t4g.nano.hour",
    "ec2.t3.medium.hour",
    "ebs.gp3.gbMonth",
    "waf.webAclMonth",
    "waf.ruleMonth",
    "cloudwatch.alarmMonth",
] as const;

/** A key of the price table. */
export type PriceKey = (typeof priceKeys)[number];

/** One list price, with where it comes from. */
export interface Price {
    usd: number;
    unit: string;
    source: string;
}

/** The price table (lib/prices.json): its date, region and prices. */
export interface PriceTable {
    region: string;
    currency: "USD";
    /** The day the prices were read (YYYY-MM-DD). */
    date: string;
    /** Hours in a billing month: AWS's pricing pages use 730. */
    hoursPerMonth: number;
    note: string;
    prices: Record<PriceKey, Price>;
}

/** The committed price table's path. */
export const pricesFile = path.join(__dirname, "prices.json");

/** Reads a price table, refusing one that lacks a price the estimate needs. */
export function readPrices(file = pricesFile): PriceTable {
    const table = JSON.parse(fs.readFileSync(file, "utf8")) as PriceTable;
    const missing = priceKeys.filter((key) => typeof table.prices?.[key]?.usd !== "number");
    if (missing.length > 0) {
        throw new Error(`${file} lacks prices for: ${missing.join(", ")}`);
    }
    return table;
}

/** Root volume of each EC2 capacity instance, GiB (components/ec2Capacity.ts). */
export const ec2CapacityVolumeGiB = 30;
/**
 * LCUs an idle load balancer is counted for: an allowance for health checks and light traffic,
 * the floor's assumption (an ALB bills the LCUs it actually uses, at least the hourly charge).
 */
export const idleLcus = 1;

/** Fargate tasks kept running. */
export interface FargateTasks {
    /** Tasks on on-demand FARGATE (may be a fraction: the expected share of a weighted split). */
    onDemand: number;
    /** Tasks on FARGATE_SPOT. */
    spot: number;
    vcpu: number;
    memoryGiB: number;
    architecture: Architecture;
    /** Each task has a public IPv4 address (Pulumi's template; never this program's tasks). */
    publicIp: boolean;
}

/** What a stack keeps running, whatever its traffic. */
export interface Footprint {
    tasks: FargateTasks;
    /** EC2 instances of the `ec2` capacity kept running (its minimum size), by type. */
    instances: { type: string; count: number; volumeGiB: number }[];
    /** Zones of the internet-facing ALB: one node, and one public IPv4 address, in each. */
    loadBalancerZones: number;
    /** NAT gateways, each with its Elastic IP. */
    natGateways: number;
    /** NAT instances, each with its root volume and public IPv4 address. */
    natInstances: number;
    /** Interface VPC endpoints (services), each in `endpointZones` zones. */
    interfaceEndpoints: number;
    endpointZones: number;
    /** A WAF web ACL and its rules, if any (the `waf` setting). */
    webAcl?: { rules: number };
    /** CloudWatch alarms the stack declares (no setting creates one yet). */
    alarms: number;
}

/** Splits running tasks between on-demand and Spot as ECS does: the base first, then by weight. */
export function spotSplit(tasks: number, capacity: StackConfig["capacity"]): { onDemand: number; spot: number } {
    if (capacity.kind !== "fargate-spot") {
        return { onDemand: capacity.kind === "fargate" ? tasks : 0, spot: 0 };
    }
    const base = Math.min(capacity.onDemandBase, tasks);
    const rest = tasks - base;
    const onDemandShare = capacity.onDemandWeight / (capacity.onDemandWeight + capacity.spotWeight);
    return { onDemand: base + rest * onDemandShare, spot: rest * (1 - onDemandShare) };
}

/** What a validated stack config keeps running at its desired task count. */
export function stackFootprint(config: StackConfig): Footprint {
    const network = config.network;
    const zones = network.vpcId === undefined ? network.availabilityZones : network.publicSubnetIds.length;
    const newVpc = network.vpcId === undefined ? network : undefined;
    const capacity = config.capacity;
    return {
        tasks: {
            ...spotSplit(config.desiredCount, capacity),
            vcpu: config.cpu / 1024,
            memoryGiB: config.memory / 1024,
            architecture: config.architecture,
            publicIp: false,
        },
        instances: capacity.kind === "ec2" ? [{ type: capacity.instanceTypes[0], count: capacity.minSize, volumeGiB: ec2CapacityVolumeGiB }] : [],
        loadBalancerZones: zones,
        // An existing VPC's NAT and endpoints are paid by whoever owns that VPC.
        natGateways: newVpc?.natGateways === "one-per-az" ? zones : newVpc?.natGateways === "single" ? 1 : 0,
        natInstances: newVpc?.natGateways === "instance" ? 1 : 0,
        interfaceEndpoints: newVpc?.vpcEndpoints ? interfaceServices(requiredServices(config)).length : 0,
        endpointZones: zones,
        webAcl: config.waf !== undefined ? { rules: wafRuleCount } : undefined,
        alarms: 0,
    };
}

/** One line of an estimate. */
export interface CostLine {
    item: string;
    /** How the amount was reached, e.g. "1 × 730 h × 0.0225 USD". */
    detail: string;
    monthlyUsd: number;
}

/** A priced footprint. */
export interface Estimate {
    lines: CostLine[];
    /** The sum of the lines, unrounded. */
    monthlyUsd: number;
    /** The price table's date and region. */
    pricesDate: string;
    region: string;
}

/** A number as the detail column shows it: no trailing zeros, at most 4 decimals. */
function n(value: number): string {
    return String(Math.round(value * 10000) / 10000);
}

/** Prices a footprint. Lines with nothing to pay are left out. */
export function estimate(footprint: Footprint, table: PriceTable): Estimate {
    const hours = table.hoursPerMonth;
    const p = (key: PriceKey) => table.prices[key].usd;
    const lines: CostLine[] = [];
    const hourly = (item: string, count: number, key: PriceKey) => {
        if (count > 0) {
            lines.push({ item, detail: `${n(count)} × ${hours} h × ${p(key)} USD`, monthlyUsd: count * hours * p(key) });
        }
    };
    const monthly = (item: string, count: number, key: PriceKey) => {
        if (count > 0) {
            lines.push({ item, detail: `${n(count)} × ${p(key)} USD`, monthlyUsd: count * p(key) });
        }
    };

    const t = footprint.tasks;
    for (const [kind, count] of [["fargate", t.onDemand], ["fargateSpot", t.spot]] as const) {
        if (count > 0) {
            const vcpu = p(`${kind}.${t.architecture}.vcpuHour`);
            const gb = p(`${kind}.${t.architecture}.gbHour`);
            lines.push({
                item: `Fargate${kind === "fargateSpot" ? " Spot" : ""} tasks (${t.architecture}, ${n(t.vcpu)} vCPU, ${n(t.memoryGiB)} GB)`,
                detail: `${n(count)} × ${hours} h × (${n(t.vcpu)} × ${vcpu} + ${n(t.memoryGiB)} × ${gb}) USD`,
                monthlyUsd: count * hours * (t.vcpu * vcpu + t.memoryGiB * gb),
            });
        }
    }
    for (const instance of footprint.instances) {
        const key = `ec2.${instance.type}.hour`;
        if (!(priceKeys as readonly string[]).includes(key)) {
            throw new Error(`no price for EC2 instance type ${instance.type} in the price table (known: ${priceKeys.filter((k) => k.startsWith("ec2.")).join(", ")})`);
        }
        hourly(`EC2 instances (${instance.type})`, instance.count, key as PriceKey);
        monthly(`EC2 root volumes (gp3, ${instance.volumeGiB} GB)`, instance.count * instance.volumeGiB, "ebs.gp3.gbMonth");
    }
    if (footprint.loadBalancerZones > 0) {
        hourly("Application Load Balancer", 1, "alb.hour");
        hourly("ALB capacity units (idle allowance)", idleLcus, "alb.lcuHour");
    }
    hourly("NAT gateways", footprint.natGateways, "natGateway.hour");
    hourly(`NAT instance (${natInstanceType})`, footprint.natInstances, `ec2.${natInstanceType}.hour`);
    monthly(`NAT instance root volume (gp3, ${natInstanceVolumeGiB} GB)`, footprint.natInstances * natInstanceVolumeGiB, "ebs.gp3.gbMonth");
    hourly(`Interface VPC endpoints (${footprint.interfaceEndpoints} × ${footprint.endpointZones} zones)`, footprint.interfaceEndpoints * footprint.endpointZones, "interfaceEndpoint.zoneHour");
    const addresses = footprint.loadBalancerZones + footprint.natGateways + footprint.natInstances + (t.publicIp ? t.onDemand + t.spot : 0);
    hourly("Public IPv4 addresses (ALB per zone, NAT, tasks)", addresses, "publicIpv4.hour");
    if (footprint.webAcl !== undefined) {
        monthly("WAF web ACL", 1, "waf.webAclMonth");
        monthly("WAF rules", footprint.webAcl.rules, "waf.ruleMonth");
    }
    monthly("CloudWatch alarms", footprint.alarms, "cloudwatch.alarmMonth");

    return { lines, monthlyUsd: lines.reduce((sum, line) => sum + line.monthlyUsd, 0), pricesDate: table.date, region: table.region };
}

/** A dollar amount rounded to cents, as the tables show it. */
export function usd(amount: number): string {
    return (Math.round(amount * 100) / 100).toFixed(2);
}

/**
 * The shape of Pulumi's own container template (container-aws-typescript): one task of the
 * container's 512 CPU units and 128 MiB, which awsx sizes to a 0.5 vCPU / 1 GB task, with a public
 * IP in the default VPC, behind an ALB; no NAT. `loadBalancerZones` is the default VPC's subnets
 * the ALB uses (the figure counts 3).
 */
export function templateFootprint(loadBalancerZones = 3): Footprint {
    return {
        tasks: { onDemand: 1, spot: 0, vcpu: 0.5, memoryGiB: 1, architecture: "X86_64", publicIp: true },
        instances: [],
        loadBalancerZones,
        natGateways: 0,
        natInstances: 0,
        interfaceEndpoints: 0,
        endpointZones: 0,
        alarms: 0,
    };
}
