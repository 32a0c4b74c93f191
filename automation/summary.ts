/**
 * One line that says what an operation changes (a preview) or changed (an update), from
 * Pulumi's per-operation resource counts.
 */

/** Each counted operation, most consequential first: as planned, and as done. */
const phrases: [op: string, planned: string, done: string][] = [
    ["create", "to create", "created"],
    ["update", "to update", "updated"],
    ["replace", "to replace", "replaced"],
    ["delete", "to delete", "deleted"],
    ["import", "to import", "imported"],
    ["same", "unchanged", "unchanged"],
];

/** "2 to create, 1 to replace, 14 unchanged" (or "2 created, ..." when `done`), or "no changes". */
export function describeChanges(changes: Record<string, number | undefined>, done = false): string {
    const parts = phrases.filter(([op]) => (changes[op] ?? 0) > 0).map(([op, planned, past]) => `${changes[op]} ${done ? past : planned}`);
    return parts.length > 0 ? parts.join(", ") : "no changes";
}

/** Whether the counts change anything. */
export function hasChanges(changes: Record<string, number | undefined>): boolean {
    return Object.entries(changes).some(([op, n]) => op !== "same" && (n ?? 0) > 0);
}
