/**
 * EC2 capacity, as pure data: what an instance type holds, the ECS-optimized AMI parameter for an
 * architecture, and the user data that joins an instance to the cluster.
 */
import type { Architecture } from "./types";

/** vCPUs and memory (MiB) of an instance type. */
export interface InstanceSize {
    vcpus: number;
    memoryMiB: number;
}

/** Memory per vCPU (GiB) of the general (m), compute (c) and memory (r) classes. */
const gibPerVcpu: Record<string, number> = { c: 2, m: 4, r: 8 };

/** vCPUs of the sizes of the m, c and r classes (medium: Graviton's 1-vCPU size). */
const sizeVcpus: Record<string, number> = { medium: 1, large: 2, xlarge: 4 };

/** The t classes' sizes: [vCPUs, GiB]. */
const burstable: Record<string, [number, number]> = {
    nano: [2, 0.5],
    micro: [2, 1],
    small: [2, 2],
    medium: [2, 4],
    large: [2, 8],
    xlarge: [4, 16],
    "2xlarge": [8, 32],
};

/** The classes and families this program knows: t3, t3a, t4g, m5, m6i, m7g, c6g, r7i, ... */
export const instanceTypePattern = /^([tmcr])(\d+)([a-z]*)\.([0-9]*x?large|medium|small|micro|nano)$/;

/** True for a Graviton (arm64) family: its generation is followed by g (t4g, m7g, c6gn, r8g). */
export function isGraviton(instanceType: string): boolean {
    const match = instanceTypePattern.exec(instanceType);
    return match !== null && match[3].startsWith("g");
}

/** What an instance type holds, or undefined if this program does not know the type. */
export function instanceSize(instanceType: string): InstanceSize | undefined {
    const match = instanceTypePattern.exec(instanceType);
    if (match === null) {
        return undefined;
    }
    const [, cls, , , size] = match;
    if (cls === "t") {
        const known = burstable[size];
        return known && { vcpus: known[0], memoryMiB: known[1] * 1024 };
    }
    const multiple = /^(\d+)xlarge$/.exec(size);
    const vcpus = multiple ? 4 * Number(multiple[1]) : sizeVcpus[size];
    if (vcpus === undefined || (size === "medium" && !isGraviton(instanceType))) {
        return undefined;
    }
    return { vcpus, memoryMiB: vcpus * gibPerVcpu[cls] * 1024 };
}

/** Memory the OS and the ECS agent keep for themselves on an instance (an allowance, not AWS's exact figure). */
export const reservedMemoryMiB = 512;

/** Why a task of `cpu` units and `memory` MiB does not fit on `instanceType`, or undefined when it fits. */
export function taskDoesNotFit(instanceType: string, cpu: number, memory: number): string | undefined {
    const size = instanceSize(instanceType);
    if (size === undefined) {
        return `${instanceType} is not an instance type this program knows`;
    }
    if (cpu > size.vcpus * 1024) {
        return `${instanceType} has ${size.vcpus} vCPU (${size.vcpus * 1024} units), less than the task's ${cpu}`;
    }
    if (memory > size.memoryMiB - reservedMemoryMiB) {
        return `${instanceType} has ${size.memoryMiB} MiB, of which about ${size.memoryMiB - reservedMemoryMiB} MiB are left for tasks, less than the task's ${memory}`;
    }
    return undefined;
}

/** Public SSM parameter holding the current ECS-optimized Amazon Linux 2023 AMI for an architecture. */
export function ecsAmiParameter(architecture: Architecture): string {
    return architecture === "ARM64"
        ? "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
        : "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";
}

/** User data that joins the instance to `clusterName` and keeps tasks away from the instance's metadata. */
export function ecsUserData(clusterName: string): string {
    return [
        "#!/bin/bash",
        "cat >> /etc/ecs/ecs.config <<'EOF'",
        `ECS_CLUSTER=${clusterName}`,
        // awsvpc tasks cannot reach the instance metadata service, so they never get the instance role.
        "ECS_AWSVPC_BLOCK_IMDS=true",
        "ECS_ENABLE_CONTAINER_METADATA=true",
        "EOF",
        "",
    ].join("\n");
}
