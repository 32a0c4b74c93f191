import * as assert from "assert";
import { fargateSizes, validateFargateSize } from "../lib/fargate";

describe("Fargate task sizes", () => {
    it("accepts every size of AWS's table, including 8 and 16 vCPU", () => {
        for (const [cpu, memory] of [
            [256, 512],
            [256, 2048],
            [512, 4096],
            [1024, 8192],
            [2048, 16384],
            [4096, 30720],
            [8192, 16384],
            [8192, 61440],
            [16384, 32768],
            [16384, 122880],
        ]) {
            assert.doesNotThrow(() => validateFargateSize(cpu, memory), `${cpu}/${memory}`);
        }
    });

    it("has AWS's step sizes: 1 GiB up to 4 vCPU, 4 GiB at 8 vCPU, 8 GiB at 16 vCPU", () => {
        assert.deepStrictEqual(fargateSizes.get(512), [1024, 2048, 3072, 4096]);
        assert.strictEqual(fargateSizes.get(4096)!.length, 23);
        assert.strictEqual(fargateSizes.get(8192)!.length, 12);
        assert.strictEqual(fargateSizes.get(16384)!.length, 12);
    });

    it("names flask-fargate:cpu when the CPU value does not exist", () => {
        assert.throws(() => validateFargateSize(300, 512), /flask-fargate:cpu is 300.*allowed: 256, 512, 1024, 2048, 4096, 8192, 16384/);
    });

    it("names flask-fargate:memory and the allowed range when the pair does not exist", () => {
        assert.throws(() => validateFargateSize(256, 4096), /flask-fargate:memory is 4096.*cpu 256: 512, 1024, 2048/);
        assert.throws(() => validateFargateSize(8192, 18000), /flask-fargate:memory is 18000.*16384 to 61440 in steps of 4096/);
        assert.throws(() => validateFargateSize(1024, 1024), /flask-fargate:memory is 1024/);
    });
});
