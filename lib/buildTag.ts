/**
 * The image tag of a build: a hash of exactly what Docker sends as the build context (the files
 * that .dockerignore lets through, by path and content) and the target platform. A changed app
 * gets a new tag, so a new image and a new digest that rolls the service; an unchanged app keeps
 * its tag, so nothing is rebuilt or rolled. ECR tags are immutable, so a tag is never reused for
 * different content.
 */
import dockerignore from "@balena/dockerignore";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Relative paths (with /) of the files under `dir` that .dockerignore does not exclude, sorted. */
export function contextFiles(dir: string): string[] {
    const ignoreFile = path.join(dir, ".dockerignore");
    const rules = dockerignore().add(fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, "utf8").split(/\r?\n/) : []);
    const files: string[] = [];
    const walk = (rel: string) => {
        for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
            const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
            if (rules.ignores(child)) {
                continue;
            }
            if (entry.isDirectory()) {
                walk(child);
            } else if (entry.isFile()) {
                files.push(child);
            }
        }
    };
    walk("");
    return files.sort();
}

/** `build-` and the first 16 hex digits of the context's and platform's SHA-256. */
export function buildTag(dir: string, platform: string): string {
    const hash = createHash("sha256").update(`platform ${platform}\n`);
    for (const file of contextFiles(dir)) {
        hash.update(`file ${file}\n`).update(fs.readFileSync(path.join(dir, file))).update("\n");
    }
    return `build-${hash.digest("hex").slice(0, 16)}`;
}
