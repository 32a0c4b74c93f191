/**
 * The command line on top of the automation module:
 *
 *     npm run deploy -- preview --stack dev
 *     npm run deploy -- up --stack dev --json
 *     npm run deploy -- run-task --stack dev -- python -c "print('hi')"
 *
 * Exit codes: 0 success; 1 the operation failed, or there was nothing to act on (a missing stack,
 * a stack without outputs; run-task: the container's own exit code); 2 the command line is wrong.
 */
import { parseArgs } from "util";
import { RunTaskTarget } from "../lib/runTask";
import { costTable, stackCost } from "./cost";
import { AutomationError, classifyError, OperationFailedError } from "./errors";
import { OneOffTaskOptions, OneOffTaskResult, runOneOffTask } from "./oneOffTask";
import * as workspace from "./workspace";

export const usage = `Usage: npm run deploy -- <command> --stack <name> [options]

Commands:
  preview        show what up would change, with the diff
  up             deploy the stack
  refresh        read the actual state of the stack's resources into its state
  destroy        delete the stack's resources (needs --yes)
  outputs        print the stack's outputs
  run-task       run a one-off task from the service's task definition:
                 run-task --stack dev -- <command> [args...]
  cost           the committed stack's monthly floor at list prices (needs no AWS account)

Options:
  -s, --stack NAME     the stack to act on (required); it must exist unless --create is given
      --create         create the stack if it does not exist
      --persist        keep the settings the operation wrote in Pulumi.<stack>.yaml (by default the
                       project's files are never changed: operations run on a temporary copy)
      --json           print one JSON object on stdout; progress goes to stderr
      --inline         run the program in this process instead of as the project's Node.js program
      --pulumi PATH    the Pulumi CLI executable, at <root>/bin/pulumi (default: $PULUMI_CLI, else
                       .tools/bin/pulumi from npm run setup, else \`pulumi\` on PATH; at least
                       @pulumi/pulumi's version)
      --cwd DIR        the project directory (default: this repository)
      --yes            confirm destroy
      --timeout SECS   run-task: the longest wait for the task to stop (default 3600)
  -h, --help           show this help

Exit codes: 0 success; 1 the operation failed, the stack does not exist or has no outputs
(run-task: the container's exit code); 2 usage error.`;

const commands = ["preview", "up", "refresh", "destroy", "outputs", "run-task", "cost"] as const;

/** A parsed command line. */
export interface Cli {
    command: (typeof commands)[number];
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
}

/** A wrong command line; the message says what is wrong. */
export class UsageError extends Error {}

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
    if (extra.length > 0) {
        throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}${command === "run-task" ? " (put the task's command after --)" : ""}`);
    }
    if (!values.stack) {
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
    const timeoutSeconds = values.timeout === undefined ? 3600 : Number(values.timeout);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) {
        throw new UsageError(`--timeout is ${JSON.stringify(values.timeout)}; give a whole number of seconds`);
    }
    return {
        command: command as Cli["command"],
        stack: values.stack,
        json: values.json ?? false,
        inline: values.inline ?? false,
        create: values.create ?? false,
        persist: values.persist ?? false,
        pulumiPath: values.pulumi,
        cwd: values.cwd,
        yes: values.yes ?? false,
        timeoutSeconds,
        taskCommand,
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
}

const defaultDeps: Deps = { workspace, runOneOffTask };

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
        onOutput: progress,
        onError: io.err,
    };
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
            default: {
                const result = await deps.workspace[cli.command](opts);
                io.out(cli.json ? `${JSON.stringify({ ok: true, ...result })}\n` : `${cli.command} ${cli.stack}: ${result.summary} (${(result.durationMs / 1000).toFixed(1)} s)\n`);
                return 0;
            }
        }
    } catch (err) {
        const error: AutomationError = classifyError(err, { stack: cli.stack });
        io.err(`error: ${error.message}\n`);
        if (cli.json) {
            io.out(`${JSON.stringify({ ok: false, error: { type: error.name, message: error.reason, cliError: error.cliError, hint: error.hint } })}\n`);
        }
        return 1;
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
