/**
 * Issue 12, infrastructure side: API keys reach the task, the WAF web ACL in front of the load
 * balancer, autoscaling bounded per client, no credentials forwarded over plain HTTP next to HTTPS.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseConfig, parseSettings, reservedEnvironment, StackConfig } from "../lib/config";
import { estimate, readPrices, stackFootprint } from "../lib/cost";
import { maxWafRateLimit, requestTargetPerTask, targetTrackingPolicies, tasksOneClientDrives, wafRateWindowMinutes } from "../lib/scaling";
import { securityWarnings } from "../lib/warnings";
import { appDefaultMaxUploadBytes, greaterThanPattern, wafRuleCount, wafRules } from "../lib/waf";
import { committedStack, json, ProgramRun, root, runStack, runWith } from "./harness";

const keysArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-keys-AbCdEf";
const https = { domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" };
const settings = (raw: Record<string, unknown>): StackConfig => ({ region: "us-east-1", ...parseSettings(raw) });
const container = (run: ProgramRun) => json(run.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions)[0];
const envOf = (run: ProgramRun) => Object.fromEntries(container(run).environment.map((e: any) => [e.name, e.value]));

describe("API keys and public reads reach the task", () => {
    it("apiKeysSecretArn becomes the container secret API_KEY_SHA256, which the execution role reads (and nothing more)", async () => {
        const run = await runWith({ apiKeysSecretArn: `${keysArn}` });
        assert.deepStrictEqual(container(run).secrets, [{ name: "API_KEY_SHA256", valueFrom: keysArn }]);
        const grant = json(run.one("aws:iam/rolePolicy:RolePolicy", "-execution-secrets").inputs.policy);
        assert.deepStrictEqual(grant.Statement.map((s: any) => [s.Action, s.Resource]), [["secretsmanager:GetSecretValue", [keysArn]]]);
    });

    it("an SSM SecureString parameter works too, next to the secrets setting's own", async () => {
        const parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/flask-fargate/api-keys";
        const run = await runWith({ apiKeysSecretArn: parameter, secrets: [`DB_PASSWORD=${keysArn.replace("api-keys", "db")}`] });
        assert.deepStrictEqual(container(run).secrets.map((s: any) => [s.name, s.valueFrom]), [
            ["API_KEY_SHA256", parameter],
            ["DB_PASSWORD", keysArn.replace("api-keys", "db")],
        ]);
    });

    it("publicRead reaches the app as PUBLIC_READ, false by default", async () => {
        assert.strictEqual(envOf(await runWith()).PUBLIC_READ, "false");
        assert.strictEqual(envOf(await runWith({ publicRead: true })).PUBLIC_READ, "true");
    });

    it("API_KEY_SHA256 and PUBLIC_READ are the program's: neither environment nor secrets may set them", () => {
        assert.ok(reservedEnvironment.includes("API_KEY_SHA256") && reservedEnvironment.includes("PUBLIC_READ"));
        assert.throws(() => parseSettings({ environment: ["PUBLIC_READ=true"] }), /flask-fargate:environment .*PUBLIC_READ is set by the program itself/);
        assert.throws(() => parseSettings({ secrets: [`API_KEY_SHA256=${keysArn}`] }), /flask-fargate:secrets .*API_KEY_SHA256 is set by the program itself/);
        assert.throws(() => parseSettings({ apiKeysSecretArn: "my-keys" }), /flask-fargate:apiKeysSecretArn is "my-keys"; it must be a Secrets Manager secret's full ARN, ending in the 6 characters AWS adds/);
    });

    it("with natGateways none, the key secret must be in the stack's region like any secret (the tasks reach it by endpoint)", () => {
        assert.throws(() => parseConfig({ natGateways: "none", vpcEndpoints: true, apiKeysSecretArn: keysArn.replace("us-east-1", "eu-west-1") }, "us-east-1"), /flask-fargate:secrets .*use secrets in us-east-1/);
    });
});

describe("preview warnings", () => {
    it("without a key secret: the files API answers 503; without a domain: keys travel in clear text", () => {
        const [keys, clear] = securityWarnings(settings({}));
        assert.match(keys, /apiKeysSecretArn is empty.*answers 503 to every request/);
        assert.match(clear, /plain HTTP only, so API keys .* travel in clear text/);
        assert.match(securityWarnings(settings({ publicRead: true }))[0], /503 to uploads and deletes \(reads are public\)/);
    });

    it("a stack with keys and HTTPS gets none; both committed stacks get both (no real ARN or domain can be committed)", () => {
        assert.deepStrictEqual(securityWarnings(settings({ apiKeysSecretArn: keysArn, ...https })), []);
        for (const stack of ["dev", "prod"]) {
            assert.strictEqual(securityWarnings(committedStack(stack)).length, 2, stack);
        }
    });
});

describe("credentials never go over plain HTTP to a stack with HTTPS", () => {
    for (const deploymentStrategy of ["rolling", "blue-green"]) {
        it(`with a domain (${deploymentStrategy}), the HTTP listener only redirects to HTTPS: no action or rule of it forwards to a task`, async () => {
            const run = await runWith({ ...https, deploymentStrategy });
            const http = run.ofType("aws:lb/listener:Listener").filter((l) => l.inputs.protocol === "HTTP");
            assert.strictEqual(http.length, 1);
            assert.deepStrictEqual(http[0].inputs.defaultActions, [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
            const rulesOnHttp = run.ofType("aws:lb/listenerRule:ListenerRule").filter((r) => (r.propertyDependencies.listenerArn ?? []).includes(http[0].urn));
            assert.deepStrictEqual(rulesOnHttp, []);
            // No target group is reachable from the HTTP listener at all.
            assert.ok(!http[0].dependencies.some((urn) => run.byUrn(urn).type === "aws:lb/targetGroup:TargetGroup"));
        });
    }
});

describe("WAF rules (lib/waf.ts)", () => {
    it("the Content-Length pattern matches exactly the numbers above the limit, leading zeros and all", () => {
        for (const limit of [0, 9, 10, 99, 100, 1999, 2049, 8000, 10485760]) {
            const re = new RegExp(greaterThanPattern(limit));
            const around = [0, 1, limit - 10, limit - 1, limit, limit + 1, limit + 9, limit + 10, limit * 10, limit * 10 + 7].filter((n) => n >= 0);
            for (let n = 0; n <= Math.min(limit * 3 + 20, 30000); n++) around.push(n);
            for (const n of around) {
                assert.strictEqual(re.test(String(n)), n > limit, `${n} vs ${limit}`);
                assert.strictEqual(re.test(`00${n}`), n > limit, `00${n} vs ${limit}`);
            }
            for (const bad of ["", "1e9", "-5", " 1", "abc"]) {
                assert.strictEqual(re.test(bad), false, bad);
            }
        }
    });

    it("the app's default MAX_UPLOAD_BYTES is app/settings.py's", () => {
        const source = fs.readFileSync(path.join(root, "app", "settings.py"), "utf8");
        assert.match(source, /^DEFAULT_MAX_UPLOAD_BYTES = 10 \* 1024 \* 1024$/m);
        assert.strictEqual(appDefaultMaxUploadBytes, 10 * 1024 * 1024);
    });

    it("rate limit per IP (429), Content-Length limit (413), AWS's common and known-bad-inputs groups, then their content rules outside the files API", () => {
        const rules = wafRules({ rateLimit: 1000, maxUploadBytes: 2048 });
        assert.deepStrictEqual(rules.map((r) => [r.priority, r.name]), [
            [0, "rate-per-ip"],
            [1, "content-length-limit"],
            [2, "AWSManagedRulesCommonRuleSet"],
            [3, "AWSManagedRulesKnownBadInputsRuleSet"],
            [4, "content-rules-outside-files-api"],
        ]);
        const [rate, size] = rules as any[];
        assert.deepStrictEqual(rate.statement.rateBasedStatement, { aggregateKeyType: "IP", limit: 1000, evaluationWindowSec: 300 });
        assert.deepStrictEqual([rate.action.block.customResponse.responseCode, size.action.block.customResponse.responseCode], [429, 413]);
        // WAF inspects only the first 8 KB of an ALB request's body (AWS WAF developer guide): the header is what it can judge.
        assert.deepStrictEqual(size.statement.regexMatchStatement.fieldToMatch, { singleHeader: { name: "content-length" } });
        for (const r of rules) {
            assert.deepStrictEqual(r.visibilityConfig, { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: r.name });
        }
        assert.strictEqual(wafRuleCount, 5);
    });

    // In prod (waf on by default) the common rule set blocked the files API's own traffic: keys
    // such as app.log or settings.ini in the URI path, uploads whose first 8 KB hold <script> or ../.
    it("AWS's rules that judge a request's body, path or query count for the files API and block everywhere else", () => {
        const rules = wafRules({ rateLimit: 1000, maxUploadBytes: 2048 }) as any[];
        const overrides = (name: string) => rules.find((r) => r.name === name).statement.managedRuleGroupStatement.ruleActionOverrides.map((o: any) => [o.name, Object.keys(o.actionToUse)[0]]);
        const common = overrides("AWSManagedRulesCommonRuleSet");
        for (const rule of ["RestrictedExtensions_URIPATH", "CrossSiteScripting_BODY", "GenericLFI_BODY", "SizeRestrictions_BODY", "GenericLFI_URIPATH"]) {
            assert.ok(common.some(([name, action]: string[]) => name === rule && action === "count"), rule);
        }
        // Header and cookie rules keep blocking everywhere: the files API takes no cookies, and a client sends a User-Agent.
        assert.ok(!common.some(([name]: string[]) => /_HEADER$|_COOKIE$/.test(name)), common.join(" "));
        assert.deepStrictEqual(overrides("AWSManagedRulesKnownBadInputsRuleSet").map(([name]: string[]) => name), ["JavaDeserializationRCE_BODY", "Log4JRCE_BODY", "ExploitablePaths_URIPATH"]);
        const outside = rules.find((r) => r.name === "content-rules-outside-files-api");
        assert.deepStrictEqual(outside.action, { block: {} });
        const [labels, notFiles] = outside.statement.andStatement.statements;
        assert.deepStrictEqual(labels.orStatement.statements.map((s: any) => s.labelMatchStatement), [
            { scope: "NAMESPACE", key: "awswaf:managed:aws:core-rule-set:" },
            { scope: "NAMESPACE", key: "awswaf:managed:aws:known-bad-inputs:" },
        ]);
        assert.deepStrictEqual(notFiles.notStatement.statement.byteMatchStatement.searchString, "/files");
        // The app serves its files API under that path.
        assert.match(fs.readFileSync(path.join(root, "app", "files.py"), "utf8"), /"\/files"|'\/files'|\/files\//);
    });

    // WAF quotas: a regex pattern has at most 200 characters. The Content-Length pattern grows with
    // the limit's digits; MAX_UPLOAD_BYTES of 11 digits or more made the web ACL one WAF refuses.
    it("every MAX_UPLOAD_BYTES the config accepts with waf on makes a pattern WAF takes", () => {
        for (let digits = 1; digits <= 15; digits++) {
            for (const value of ["1" + "0".repeat(digits - 1), "1".repeat(digits), "8".repeat(digits), "9".repeat(digits), "123456789012345".slice(0, digits)]) {
                let config;
                try {
                    config = parseSettings({ waf: true, environment: [`MAX_UPLOAD_BYTES=${value}`] });
                } catch (err) {
                    assert.match((err as Error).message, /^flask-fargate:environment is "MAX_UPLOAD_BYTES=\d+"; with flask-fargate:waf, the web ACL's Content-Length rule for it is a \d+-character regex, and WAF takes at most 200/);
                    assert.ok(digits > 10, `${value} refused`);
                    continue;
                }
                assert.ok(greaterThanPattern(config.waf!.maxUploadBytes).length <= 200, value);
            }
        }
    });
});

describe("the WAF setting", () => {
    it("is on by default (prod) and off in dev", () => {
        assert.deepStrictEqual(committedStack("prod").waf, { rateLimit: 1000, maxUploadBytes: appDefaultMaxUploadBytes });
        assert.strictEqual(committedStack("dev").waf, undefined);
    });

    it("follows MAX_UPLOAD_BYTES from environment, and refuses a value the app would refuse", () => {
        assert.strictEqual(parseSettings({ environment: ["MAX_UPLOAD_BYTES=1048576"] }).waf?.maxUploadBytes, 1048576);
        assert.throws(() => parseSettings({ environment: ["MAX_UPLOAD_BYTES=10M"] }), /flask-fargate:environment is "MAX_UPLOAD_BYTES=10M"; MAX_UPLOAD_BYTES must be a whole number/);
    });

    it("wafRateLimit: WAF's lowest is 10, and it applies only with waf", () => {
        assert.strictEqual(parseSettings({ wafRateLimit: 10 }).waf?.rateLimit, 10);
        assert.throws(() => parseSettings({ wafRateLimit: 9 }), /flask-fargate:wafRateLimit is 9; allowed: 10 \(WAF's lowest\) to 5000/);
        assert.throws(() => parseSettings({ waf: false, wafRateLimit: 500 }), /flask-fargate:wafRateLimit is 500; it applies only when flask-fargate:waf is true/);
    });

    it("prod declares a REGIONAL web ACL associated with its load balancer; dev declares none", async () => {
        const prod = await runStack("prod");
        const acl = prod.one("aws:wafv2/webAcl:WebAcl");
        assert.deepStrictEqual([acl.inputs.scope, acl.inputs.defaultAction], ["REGIONAL", { allow: {} }]);
        assert.strictEqual(acl.inputs.visibilityConfig.cloudwatchMetricsEnabled, true);
        assert.deepStrictEqual(acl.inputs.rules.map((r: any) => r.name), wafRules({ rateLimit: 1000, maxUploadBytes: 1 }).map((r) => r.name));
        const association = prod.one("aws:wafv2/webAclAssociation:WebAclAssociation");
        const alb = prod.one("aws:lb/loadBalancer:LoadBalancer");
        assert.deepStrictEqual([association.inputs.resourceArn, association.inputs.webAclArn], [alb.state.arn, acl.state.arn]);
        assert.strictEqual(association.parent, prod.one("flask-fargate:waf:Waf").urn);
        const dev = await runStack("dev");
        assert.deepStrictEqual([dev.ofType("aws:wafv2/webAcl:WebAcl"), dev.ofType("aws:wafv2/webAclAssociation:WebAclAssociation")], [[], []]);
    });
});

describe("autoscaling cannot be bought by one client", () => {
    it("under the highest rate limit allowed, one client fills at most one task's request target", () => {
        const requests = targetTrackingPolicies("queries", { cpu: 60, memory: 75, requests: requestTargetPerTask }).find((p) => p.role === "requests")!;
        assert.strictEqual(requests.target, requestTargetPerTask);
        assert.strictEqual(maxWafRateLimit, 5000);
        // 5000 requests / 5 min = 1000 a minute = the target of one task: the average per task stays at or under it.
        assert.strictEqual(tasksOneClientDrives(maxWafRateLimit), 1);
        // prod's 1000 per 5 minutes: 200 a minute, a fifth of one task's target.
        assert.strictEqual(tasksOneClientDrives(committedStack("prod").waf!.rateLimit), 0.2);
        assert.strictEqual(wafRateWindowMinutes * 60, (wafRules({ rateLimit: 10, maxUploadBytes: 1 })[0].statement as any).rateBasedStatement.evaluationWindowSec);
    });
});

describe("WAF in the cost estimate", () => {
    it("prod's web ACL is two lines: 5 USD and 5 rules at 1 USD (the total is pinned in tests/cost.test.ts)", () => {
        const result = estimate(stackFootprint(committedStack("prod")), readPrices());
        assert.deepStrictEqual(result.lines.filter((l) => l.item.startsWith("WAF")).map((l) => [l.item, l.monthlyUsd]), [
            ["WAF web ACL", 5],
            ["WAF rules", 5],
        ]);
        assert.strictEqual(stackFootprint(committedStack("dev")).webAcl, undefined);
    });
});
