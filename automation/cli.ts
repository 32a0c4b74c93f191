/**
 * The command line on top of the automation module:
 *
 *     npm run deploy -- preview --stack dev
 *     npm run deploy -- up --stack dev --json
 *     npm run deploy -- run-task --stack dev -- python -c "print('hi')"
 *     npm run deploy -- drift --stack prod
 *     npm run deploy -- review up --pr 123
 *
 * Exit codes: 0 success; 1 the operation failed, or there was nothing to act on (a missing stack,
 * a stack without outputs; run-task: the container's own exit code); 2 the command line is wrong;
 * 3 drift found.
 */
import * as fs from "fs";
import { parseArgs } from "util";
import { RunTaskTarget } from "../lib/runTask";
import { costTable, stackCost } from "./cost";
import { drift, DriftResult, driftIssueBody } from "./drift";
import { AutomationError, classifyError, OperationFailedError } from "./errors";
import { OneOffTaskOptions, OneOffTaskResult, runOneOffTask } from "./oneOffTask";
import { previewComment } from "./previewComment";
import { prProblem, reviewComment, reviewDestroy, reviewList, reviewUp, staleReviewStacks } from "./review";
import * as workspace from "./workspace";

export const usage = `Usage: npm run deploy -- <command> --stack <name> [options]
       npm run deploy -- review <up|destroy|list|sweep> [options]

Commands:
  preview        show what up would change, with the diff
  up             deploy the stack
  refresh        read the actual state of the stack's resources into its state
  destroy        delete the stack's resources (needs --yes)
  outputs        print the stack's outputs
  run-task       run a one-off task from the service's task definition:
                 run-task --stack dev -- <command> [args...]
  cost           the committed stack's monthly floor at list prices (needs no AWS account)
  drift          what changed in AWS outside Pulumi: a refresh in preview mode, which writes
                 nothing; exits 3 when something drifted
  review up      create or update pull request N's review stack, pr-N, from dev's settings at the
                 lowest cost the program allows, and print its URL and monthly floor (--pr N)
  review destroy destroy pr-N and remove it from the backend (--pr N, --yes); none is no error
  review list    the review stacks in the backend
  review sweep   destroy the review stacks whose pull request is not open, or not updated for
                 --ttl-hours (--open-prs, --yes)

Options:
  -s, --stack NAME     the stack to act on (required but for review); it must exist unless --create
      --create         create the stack if it does not exist
      --persist        keep the settings the operation wrote in Pulumi.<stack>.yaml (by default the
                       project's files are never changed: operations run on a temporary copy)
      --config KEY=VALUE  set a config value for this operation only, e.g.
                       --config flask-fargate:buildOnPreview=false (repeatable)
      --policy-pack DIR   run a policy pack with preview and up, e.g. policy (repeatable)
      --comment FILE   write the pull request comment (preview, review up/destroy) or the drift
                       issue's body (drift, when something drifted) to FILE, as markdown
      --json           print one JSON object on stdout; progress goes to stderr
      --inline         run the program in this process instead of as the project's Node.js program
      --pulumi PATH    the Pulumi CLI executable, at <root>/bin/pulumi (default: $PULUMI_CLI, else
                       .tools/bin/pulumi from npm run setup, else \`pulumi\` on PATH; at least
                       @pulumi/pulumi's version)
      --cwd DIR        the project directory (default: this repository)
      --yes            confirm destroy, review destroy and review sweep
      --timeout SECS   run-task: the longest wait for the task to stop (default 3600)
      --pr N           review: the pull request's number
      --branch NAME    review up: its branch, kept as the stacks' \`branch\` tag
      --base STACK     review: the stack whose committed settings review stacks start from (default dev)
      --ttl-hours H    review sweep: destroy review stacks not updated for H hours (default 72)
      --open-prs LIST  review sweep: the open pull requests' numbers, comma-separated (required)
  -h, --help           show this help

Exit codes: 0 success; 1 the operation failed, the stack does not exist or has no outputs
(run-task: the container's exit code); 2 usage error; 3 drift found.`;

const commands = ["preview", "up", "refresh", "destroy", "outputs", "run-task", "cost", "drift", "review"] as const;
const reviewActions = ["up", "destroy", "list", "sweep"] as const;

/** The exit code of a drift check that found drift. */
export const driftExitCode = 3;

/** A parsed command line. */
export interface Cli {
    command: (typeof commands)[number];
    /** The stack ("" for review, which derives it). */
    stack: string;
    json: boolean;
    inline: boolean;
    create: boolean;
    persist: boolean;
    pulumiPath?: string;
    cwd?: string;
    yes: boolean;
    timeoutSeconds: number;
    /** run-task: the command after `--`. */
    taskCommand: string[];
    /** --config values, by key. */
    config: Record<string, string>;
    policyPacks: string[];
    comment?: string;
    /** review: the action and its options. */
    review?: { action: (typeof reviewActions)[number]; pr?: string; branch?: string; base: string; ttlHours: number; openPrs?: string[] };
}

/** A wrong command line; the message says what is wrong. */
export class UsageError extends Error {}

/** A whole number above 0 from an option, or UsageError. */
function positive(name: string, value: string | undefined, fallback: number): number {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(n) || n <= 0) {
        throw new UsageError(`--${name} is ${JSON.stringify(value)}; give a whole number above 0`);
    }
    return n;
}

/** Parses the arguments after `npm run deploy --`, or throws UsageError; "help" when help is asked for. */
export function parseCli(argv: string[]): Cli | "help" {
    const dashdash = argv.indexOf("--");
    const own = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
    const taskCommand = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
    let parsed;
    try {
        parsed = parseArgs({
            args: own,
            allowPositionals: true,
            options: {
                stack: { type: "string", short: "s" },
                json: { type: "boolean", default: false },
                inline: { type: "boolean", default: false },
                create: { type: "boolean", default: false },
                persist: { type: "boolean", default: false },
                pulumi: { type: "string" },
                cwd: { type: "string" },
                yes: { type: "boolean", default: false },
                timeout: { type: "string" },
                config: { type: "string", multiple: true, default: [] },
                "policy-pack": { type: "string", multiple: true, default: [] },
                comment: { type: "string" },
                pr: { type: "string" },
                branch: { type: "string" },
                base: { type: "string", default: "dev" },
                "ttl-hours": { type: "string" },
                "open-prs": { type: "string" },
                help: { type: "boolean", short: "h", default: false },
            },
        });
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) {
        return "help";
    }
    const [command, ...extra] = positionals;
    if (command === undefined) {
        throw new UsageError("no command given");
    }
    if (!(commands as readonly string[]).includes(command)) {
        throw new UsageError(`unknown command ${JSON.stringify(command)}; commands: ${commands.join(", ")}`);
    }
    let review: Cli["review"];
    if (command === "review") {
        const action = extra.shift();
        if (!(reviewActions as readonly (string | undefined)[]).includes(action)) {
            throw new UsageError(`review needs an action: ${reviewActions.join(", ")}${action === undefined ? "" : ` (not ${JSON.stringify(action)})`}`);
        }
        if (values.stack) {
            throw new UsageError("review derives the stack from --pr (pr-<number>): leave out --stack");
        }
        const needsPr = action === "up" || action === "destroy";
        if (needsPr && values.pr === undefined) {
            throw new UsageError(`review ${action} needs --pr <pull request number>`);
        }
        const problem = values.pr === undefined ? undefined : prProblem(values.pr);
        if (problem !== undefined) {
            throw new UsageError(`--pr: ${problem}`);
        }
        if ((action === "destroy" || action === "sweep") && !values.yes) {
            throw new UsageError(`review ${action} deletes every resource of review stacks: add --yes to confirm`);
        }
        if (action === "sweep" && values["open-prs"] === undefined) {
            throw new UsageError('review sweep needs --open-prs: the open pull requests\' numbers, comma-separated ("" for none)');
        }
        const openPrs = values["open-prs"]?.split(",").map((n) => n.trim()).filter((n) => n !== "");
        const badPr = openPrs?.find((n) => prProblem(n) !== undefined);
        if (badPr !== undefined) {
            throw new UsageError(`--open-prs: ${prProblem(badPr)}`);
        }
        review = { action: action as (typeof reviewActions)[number], pr: values.pr, branch: values.branch, base: values.base ?? "dev", ttlHours: positive("ttl-hours", values["ttl-hours"], 72), openPrs };
    }
    if (extra.length > 0) {
        throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}${command === "run-task" ? " (put the task's command after --)" : ""}`);
    }
    if (!values.stack && command !== "review") {
        throw new UsageError("--stack is required");
    }
    if (command === "destroy" && !values.yes) {
        throw new UsageError("destroy deletes every resource of the stack: add --yes to confirm");
    }
    if (command === "run-task" && taskCommand.length === 0) {
        throw new UsageError("run-task needs the command to run after --, e.g. run-task --stack dev -- python manage.py migrate");
    }
    if (command !== "run-task" && taskCommand.length > 0) {
        throw new UsageError(`${command} takes no command after --`);
    }
    const config: Record<string, string> = {};
    for (const entry of values.config ?? []) {
        const eq = entry.indexOf("=");
        if (eq <= 0) {
            throw new UsageError(`--config ${JSON.stringify(entry)}: give KEY=VALUE, e.g. flask-fargate:buildOnPreview=false`);
        }
        config[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return {
        command: command as Cli["command"],
        stack: values.stack ?? "",
        json: values.json ?? false,
        inline: values.inline ?? false,
        create: values.create ?? false,
        persist: values.persist ?? false,
        pulumiPath: values.pulumi,
        cwd: values.cwd,
        yes: values.yes ?? false,
        timeoutSeconds: positive("timeout", values.timeout, 3600),
        taskCommand,
        config,
        policyPacks: values["policy-pack"] ?? [],
        comment: values.comment,
        review,
    };
}

/** Where the CLI writes. */
export interface Io {
    out: (text: string) => void;
    err: (text: string) => void;
}

/** What the CLI calls; tests replace these. */
export interface Deps {
    workspace: Pick<typeof workspace, "preview" | "up" | "refresh" | "destroy" | "outputs">;
    runOneOffTask: (opts: OneOffTaskOptions) => Promise<OneOffTaskResult>;
    drift: typeof drift;
    review: { up: typeof reviewUp; destroy: typeof reviewDestroy; list: typeof reviewList };
}

const defaultDeps: Deps = { workspace, runOneOffTask, drift, review: { up: reviewUp, destroy: reviewDestroy, list: reviewList } };

/** Checks that a stack output is a run-task target. */
export function asRunTaskTarget(value: unknown): RunTaskTarget {
    const t = value as Partial<RunTaskTarget> | undefined;
    const ok =
        t !== undefined &&
        typeof t.cluster === "string" &&
        typeof t.taskDefinition === "string" &&
        Array.isArray(t.subnets) &&
        typeof t.securityGroup === "string" &&
        Array.isArray(t.capacityProviderStrategy) &&
        typeof t.containerName === "string" &&
        typeof t.logGroup === "string" &&
        typeof t.logStreamPrefix === "string";
    if (!ok) {
        throw new OperationFailedError("The stack has no runTaskTarget output.", "Deploy it first: npm run deploy -- up --stack <stack>");
    }
    return t as RunTaskTarget;
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[], io: Io, deps: Deps = defaultDeps): Promise<number> {
    let cli: Cli | "help";
    try {
        cli = parseCli(argv);
    } catch (err) {
        if (err instanceof UsageError) {
            io.err(`error: ${err.message}\n\n${usage}\n`);
            return 2;
        }
        throw err;
    }
    if (cli === "help") {
        io.out(`${usage}\n`);
        return 0;
    }
    const progress = cli.json ? io.err : io.out;
    const opts: workspace.StackOptions = {
        stack: cli.stack,
        inline: cli.inline,
        create: cli.create,
        persist: cli.persist,
        pulumiPath: cli.pulumiPath,
        workDir: cli.cwd,
        settings: Object.keys(cli.config).length > 0 ? { extra: cli.config } : undefined,
        policyPacks: cli.policyPacks.length > 0 ? cli.policyPacks : undefined,
        onOutput: progress,
        onError: io.err,
    };
    const comment = (text: string) => cli.comment !== undefined && fs.writeFileSync(cli.comment, `${text}\n`);
    try {
        switch (cli.command) {
            case "cost": {
                const result = stackCost(cli.stack, cli.cwd);
                io.out(cli.json ? `${JSON.stringify(result)}\n` : `Monthly floor of ${cli.stack}:\n\n${costTable(result)}\n`);
                return 0;
            }
            case "outputs": {
                const values = await deps.workspace.outputs(opts);
                io.out(cli.json ? `${JSON.stringify(values, null, 2)}\n` : Object.entries(values).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}\n`).join(""));
                return 0;
            }
            case "run-task": {
                const target = asRunTaskTarget((await deps.workspace.outputs({ ...opts, onOutput: undefined })).runTaskTarget);
                const result = await deps.runOneOffTask({ target, command: cli.taskCommand, maxWaitSeconds: cli.timeoutSeconds, onLog: (line) => progress(`${line}\n`) });
                if (cli.json) {
                    io.out(`${JSON.stringify({ ok: result.exitCode === 0, ...result })}\n`);
                } else {
                    io.out(`task ${result.taskArn} exited with ${result.exitCode}\n`);
                }
                return result.exitCode;
            }
            case "drift": {
                const result = await deps.drift(opts);
                if (result.drifted.length > 0) {
                    comment(driftIssueBody(result));
                }
                io.out(cli.json ? `${JSON.stringify({ ok: true, ...result })}\n` : driftText(result));
                return result.drifted.length > 0 ? driftExitCode : 0;
            }
            case "review":
                return await runReview(cli, cli.review!, opts, io, deps, comment);
            case "preview": {
                try {
                    const result = await deps.workspace.preview(opts);
                    comment(previewComment(cli.stack, { result }));
                    io.out(cli.json ? `${JSON.stringify({ ok: true, ...result })}\n` : `preview ${cli.stack}: ${result.summary} (${(result.durationMs / 1000).toFixed(1)} s)\n`);
                    return 0;
                } catch (err) {
                    comment(previewComment(cli.stack, { error: classifyError(err, { stack: cli.stack }) }));
                    throw err;
                }
            }
            default: {
                const result = await deps.workspace[cli.command](opts);
                io.out(cli.json ? `${JSON.stringify({ ok: true, ...result })}\n` : `${cli.command} ${cli.stack}: ${result.summary} (${(result.durationMs / 1000).toFixed(1)} s)\n`);
                return 0;
            }
        }
    } catch (err) {
        const error: AutomationError = classifyError(err, { stack: cli.stack || undefined });
        io.err(`error: ${error.message}\n`);
        if (cli.json) {
            io.out(`${JSON.stringify({ ok: false, error: { type: error.name, message: error.reason, cliError: error.cliError, hint: error.hint } })}\n`);
        }
        return 1;
    }
}

/** A drift check's finding, resource by resource, as text. */
function driftText(result: DriftResult): string {
    if (result.drifted.length === 0) {
        return `drift ${result.stack}: no drift (${(result.durationMs / 1000).toFixed(1)} s)\n`;
    }
    const lines = result.drifted.map((r) => {
        const name = r.urn.split("::").slice(3).join("::");
        if (r.op === "delete") {
            return `  - ${name} (${r.type}): deleted outside Pulumi`;
        }
        return `  ~ ${name} (${r.type}): ${r.properties.map((p) => `${p.path} ${JSON.stringify(p.inState)} -> ${JSON.stringify(p.now)}`).join(", ")}`;
    });
    return `drift ${result.stack}: ${result.drifted.length} resource(s) changed outside Pulumi\n${lines.join("\n")}\n`;
}

/** `review <action>`: up, destroy, list or sweep; returns the exit code. */
async function runReview(cli: Cli, review: NonNullable<Cli["review"]>, opts: workspace.StackOptions, io: Io, deps: Deps, comment: (text: string) => void): Promise<number> {
    const reviewOpts = { ...opts, pr: review.pr ?? "", branch: review.branch, base: review.base };
    const json = (value: object) => io.out(`${JSON.stringify({ ok: true, ...value })}\n`);
    switch (review.action) {
        case "up": {
            const result = await deps.review.up(reviewOpts);
            comment(reviewComment({ up: result }, review.ttlHours));
            if (cli.json) {
                json({ stack: result.stack, pr: result.pr, url: result.url, monthlyUsd: result.cost.monthlyUsd, summary: result.result.summary });
            } else {
                io.out(`review up ${result.stack}: ${result.result.summary}\nurl: ${result.url ?? "(none)"}\nmonthly floor: ${result.cost.monthlyUsd.toFixed(2)} USD\n`);
            }
            return 0;
        }
        case "destroy": {
            const result = await deps.review.destroy(reviewOpts);
            comment(reviewComment({ destroyed: result }));
            if (cli.json) {
                json({ ...result });
            } else {
                io.out(result.existed ? `review destroy ${result.stack}: ${result.deleted} deleted, stack removed\n` : `review destroy ${result.stack}: no such stack, nothing to do\n`);
            }
            return 0;
        }
        case "list": {
            const stacks = await deps.review.list(opts);
            io.out(cli.json ? `${JSON.stringify(stacks, null, 2)}\n` : stacks.map((s) => `${s.stack}\tlast update ${s.lastUpdate ?? "never"}\t${s.resourceCount ?? 0} resources\n`).join("") || "no review stacks\n");
            return 0;
        }
        case "sweep": {
            const stale = staleReviewStacks(await deps.review.list(opts), new Set(review.openPrs), review.ttlHours, new Date());
            let failed = 0;
            for (const s of stale) {
                try {
                    const result = await deps.review.destroy({ ...reviewOpts, pr: s.pr });
                    io.out(`review sweep: ${s.stack} destroyed (${s.reason}; ${result.deleted} deleted)\n`);
                } catch (err) {
                    failed++;
                    io.err(`error: review sweep: ${s.stack} (${s.reason}) could not be destroyed: ${classifyError(err, { stack: s.stack }).message}\n`);
                }
            }
            io.out(`review sweep: ${stale.length} stale review stack(s), ${stale.length - failed} destroyed\n`);
            return failed > 0 ? 1 : 0;
        }
    }
}

if (require.main === module) {
    main(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }).then(
        (code) => process.exit(code),
        (err) => {
            process.stderr.write(`${(err as Error).stack ?? err}\n`);
            process.exit(1);
        },
    );
}
