/** CloudWatch metric math over one metric of each of a route's target groups: queries `<id>0`, `<id>1`, ... */

/** The sum over the queries, a group without data (no targets, no requests) counting 0. */
export function filledSum(id: string, count: number): string {
    return Array.from({ length: count }, (_, i) => `FILL(${id}${i}, 0)`).join(" + ");
}

/** The largest of the queries, a group without data counting 0. */
export function filledMax(id: string, count: number): string {
    return `MAX([${Array.from({ length: count }, (_, i) => `FILL(${id}${i}, 0)`).join(", ")}])`;
}
