import * as assert from "assert";
import { parseSettings, StackConfig } from "../lib/config";
import { estimate, Footprint, PriceTable, priceKeys, readPrices, spotSplit, stackFootprint, templateFootprint, usd } from "../lib/cost";
import { committedStack } from "./harness";

const prices = readPrices();
/** A config from settings; without WAF unless asked (these cases compare compute and network shapes with the figures). */
const settings = (raw: Record<string, unknown>): StackConfig => ({ region: "us-east-1", ...parseSettings({ waf: false, ...raw }) });
const monthly = (config: StackConfig) => estimate(stackFootprint(config), prices).monthlyUsd;
/** Within half a cent: the figures are rounded to cents. */
const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 0.005, `${actual} is not ${expected}`);

describe("cost estimate: the price table", () => {
    it("has every price the estimate uses, each with its source, for us-east-1, dated", () => {
        assert.strictEqual(prices.region, "us-east-1");
        assert.match(prices.date, /^\d{4}-\d{2}-\d{2}$/);
        assert.strictEqual(prices.hoursPerMonth, 730, "AWS's pricing pages count 730 hours a month");
        for (const key of priceKeys) {
            assert.match(prices.prices[key].source, /^https:\/\/aws\.amazon\.com\//, key);
        }
    });
});

describe("cost estimate: hand-computed cases (730 h a month)", () => {
    it("today's dev (single NAT gateway) is the issue's 68.77 USD", () => {
        // Spot task: 730 × (0.25 × 0.012144 + 0.5 × 0.0013335)       =  2.7030
        // ALB: 730 × 0.0225 = 16.425; 1 idle LCU: 730 × 0.008        = 22.2650
        // NAT gateway: 730 × 0.045                                   = 32.8500
        // public IPv4: ALB in 2 zones + the NAT gateway's EIP: 3 × 730 × 0.005 = 10.9500
        // total                                                       = 68.7680
        close(monthly(settings({ desiredCount: 1, minCount: 1, maxCount: 2, capacity: "fargate-spot", onDemandBase: 0, onDemandWeight: 0, spotWeight: 1, natGateways: "single" })), 68.768);
    });

    it("dev with its NAT instance is 39.62 USD: below the 54.89 USD of Pulumi's template, tasks still private", () => {
        // as above without the NAT gateway and its EIP: 2.7030 + 22.2650 + 2 × 3.65 (ALB) = 32.2680
        // t4g.nano: 730 × 0.0042 = 3.0660; 8 GB gp3: 8 × 0.08 = 0.6400; its public IPv4: 3.6500
        // total                                                       = 39.6240
        const dev = committedStack("dev");
        assert.strictEqual(dev.network.vpcId === undefined && dev.network.natGateways, "instance");
        close(monthly(dev), 39.624);
        assert.ok(monthly(dev) <= 54.89);
        assert.strictEqual(stackFootprint(dev).tasks.publicIp, false);
    });

    it("Pulumi's container template shape is the issue's 54.89 USD", () => {
        // one 0.5 vCPU / 1 GB x86 task: 730 × (0.5 × 0.04048 + 1 × 0.004445) = 18.0201
        // ALB + 1 LCU = 22.2650; public IPv4: the task's and the ALB's 3 zones: 4 × 3.65 = 14.6000
        // total                                                       = 54.8851
        close(estimate(templateFootprint(), prices).monthlyUsd, 54.885);
    });

    it("prod is 188.76 USD: the issue's 175.11 plus the third zone's ALB address it left out, plus WAF", () => {
        // two 0.5 vCPU / 1 GB x86 tasks: 2 × 18.0201                 = 36.0401
        // ALB + 1 LCU                                                 = 22.2650
        // 3 NAT gateways: 3 × 32.85                                   = 98.5500
        // public IPv4: 3 ALB zones + 3 EIPs: 6 × 3.65                 = 21.9000
        // WAF (https://aws.amazon.com/waf/pricing/): web ACL 5 + 5 rules × 1 (rate, Content-Length,
        // 2 managed groups, their content rules outside the files API) = 10.0000
        // total                                                       = 188.7551 (the issue: 175.11, with 2 ALB addresses and no WAF)
        close(monthly(committedStack("prod")), 188.7551);
    });

    it("awsx's defaults (3 zones, a NAT gateway each) with one on-demand task of 0.25 vCPU / 0.5 GB: 151.73 USD", () => {
        // task: 730 × (0.25 × 0.04048 + 0.5 × 0.004445) = 9.0100; ALB + 1 LCU = 22.2650
        // NAT: 3 × 32.85 = 98.55; public IPv4: 6 × 3.65 = 21.90      = 151.7250 (the issue: 148.08, with 2 ALB addresses)
        close(monthly(settings({ availabilityZones: 3, natGateways: "one-per-az", desiredCount: 1, minCount: 1 })), 151.725);
    });

    it("VPC endpoints cost per service and zone; ARM tasks at ARM prices", () => {
        // 2 ARM tasks of 1 vCPU / 2 GB: 2 × 730 × (0.03238 + 2 × 0.00356) = 57.6700
        // ALB + 1 LCU = 22.2650; ALB addresses: 2 × 3.65 = 7.30
        // endpoints ecr.api, ecr.dkr, logs, ssmmessages in 2 zones: 8 × 730 × 0.01 = 58.40
        // total                                                       = 145.6350
        const config = settings({ cpu: 1024, memory: 2048, architecture: "ARM64", natGateways: "none", vpcEndpoints: true, enableExecuteCommand: true });
        close(monthly(config), 145.635);
    });

    it("ec2 capacity: the group's minimum of instances with their root volumes, no Fargate", () => {
        // 1 t3.medium: 730 × 0.0416 = 30.3680; 30 GB gp3: 2.40; ALB + LCU 22.2650; 4 public IPv4 (2 ALB, 2 NAT EIPs) 14.60
        // 2 NAT gateways: 65.70                                       = 135.3330
        close(monthly(settings({ capacity: "ec2" })), 135.333);
    });

    it("an existing VPC's NAT is not this stack's; the ALB is in as many zones as public subnets", () => {
        // 2 x86 tasks of 0.25 vCPU / 0.5 GB: 18.02; ALB + LCU 22.265; 2 ALB addresses 7.30 = 47.585
        const config = settings({ vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"], privateSubnetIds: ["subnet-0b0b0b0b0b0b0b0b1", "subnet-0b0b0b0b0b0b0b0b2"] });
        close(monthly(config), 47.585);
    });

    it("WAF and alarms, where a footprint has them: 5 USD a web ACL, 1 a rule, 0.10 an alarm", () => {
        const bare: Footprint = { ...templateFootprint(0), tasks: { ...templateFootprint(0).tasks, onDemand: 0 } };
        // 5 + 3 × 1 + 4 × 0.10 = 8.40
        close(estimate({ ...bare, webAcl: { rules: 3 }, alarms: 4 }, prices).monthlyUsd, 8.4);
    });

    it("a price from a refreshed table changes the estimate, and the table's date travels with it", () => {
        const table: PriceTable = structuredClone(prices);
        table.prices["natGateway.hour"].usd = 0.05;
        table.date = "2030-01-01";
        const config = settings({ natGateways: "single" });
        const result = estimate(stackFootprint(config), table);
        close(result.monthlyUsd - monthly(config), 730 * 0.005);
        assert.strictEqual(result.pricesDate, "2030-01-01");
    });
});

describe("cost estimate: the Spot split", () => {
    it("the on-demand base first, then the weights share the rest", () => {
        const spot = (onDemandBase: number, onDemandWeight: number, spotWeight: number) => ({ kind: "fargate-spot" as const, onDemandBase, onDemandWeight, spotWeight });
        assert.deepStrictEqual(spotSplit(5, spot(1, 1, 3)), { onDemand: 2, spot: 3 }); // 1 + 4 × 1/4
        assert.deepStrictEqual(spotSplit(1, spot(0, 0, 1)), { onDemand: 0, spot: 1 });
        assert.deepStrictEqual(spotSplit(1, spot(2, 1, 1)), { onDemand: 1, spot: 0 }); // the base is more than the tasks
        assert.deepStrictEqual(spotSplit(3, { kind: "fargate" }), { onDemand: 3, spot: 0 });
    });

    it("rounds to cents for display only", () => {
        assert.deepStrictEqual([usd(68.768), usd(54.885), usd(0.004)], ["68.77", "54.89", "0.00"]);
    });
});
