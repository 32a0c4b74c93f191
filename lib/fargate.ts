/**
 * Fargate task sizes: which memory values (MiB) each task CPU value (CPU units) accepts.
 * Source: "Task CPU and memory" in the Amazon ECS developer guide (Linux, platform 1.4.0+),
 * including the 8 and 16 vCPU sizes.
 */

/** Every memory value from `from` to `to` (inclusive) in steps of `step`. */
function range(from: number, to: number, step: number): number[] {
    const values: number[] = [];
    for (let v = from; v <= to; v += step) {
        values.push(v);
    }
    return values;
}

/** Task CPU units -> the memory sizes (MiB) Fargate accepts with it. */
export const fargateSizes: ReadonlyMap<number, readonly number[]> = new Map<number, readonly number[]>([
    [256, [512, 1024, 2048]],
    [512, range(1024, 4096, 1024)],
    [1024, range(2048, 8192, 1024)],
    [2048, range(4096, 16384, 1024)],
    [4096, range(8192, 30720, 1024)],
    [8192, range(16384, 61440, 4096)],
    [16384, range(32768, 122880, 8192)],
]);

/** Why `cpu` and `memory` are not a Fargate task size (naming them as `names` says), or undefined when they are one. */
export function fargateSizeProblem(cpu: number, memory: number, names = { cpu: "cpu", memory: "memory" }): string | undefined {
    const memories = fargateSizes.get(cpu);
    if (memories === undefined) {
        return `${names.cpu} is ${cpu}, which is not a Fargate task CPU value; allowed: ${[...fargateSizes.keys()].join(", ")} (CPU units, 1024 = 1 vCPU)`;
    }
    if (!memories.includes(memory)) {
        return `${names.memory} is ${memory}, which Fargate does not accept with cpu ${cpu}; allowed with cpu ${cpu}: ${describe(memories)} (MiB)`;
    }
    return undefined;
}

/** Throws an Error naming the config key when `cpu`/`memory` is not a Fargate task size. */
export function validateFargateSize(cpu: number, memory: number): void {
    const problem = fargateSizeProblem(cpu, memory, { cpu: "flask-fargate:cpu", memory: "flask-fargate:memory" });
    if (problem !== undefined) {
        throw new Error(problem);
    }
}

/** "512, 1024, 2048" or "1024 to 4096 in steps of 1024" for long lists. */
function describe(values: readonly number[]): string {
    if (values.length <= 3) {
        return values.join(", ");
    }
    return `${values[0]} to ${values[values.length - 1]} in steps of ${values[1] - values[0]}`;
}
