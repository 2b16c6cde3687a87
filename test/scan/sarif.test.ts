import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { scanDocker, scanKubernetes } from "stride-guard/lib/scan/index";
import { toSarif } from "stride-guard/lib/scan/sarif";
import { Report } from "stride-guard/lib/check/report";
import { validate } from "./json-schema";
import { cli, fixture } from "./helpers";

/** The official SARIF 2.1.0 schema (sarif-2.1.0-rtm.5.json, as shipped in @microsoft/jest-sarif 1.0.0-beta.0). */
const SCHEMA = JSON.parse(fs.readFileSync(fixture("sarif-schema-2.1.0.json"), "utf8"));

describe("scan --format sarif", function () {
    let k8s: Report;
    let engine: Report;
    let log: any;
    before(async () => {
        k8s = await scanKubernetes([fixture("k8s")], { controls: CONTROLS });
        engine = await scanDocker({ inspectFiles: [fixture("inspect", "privileged.inspect.json")] }, { controls: CONTROLS });
        // an engine report without files: findings of live containers have no physical location
        const live: Report = {
            ...engine,
            findings: engine.findings.map((f) => ({ ...f, resource: { urn: f.resource.urn, type: f.resource.type, name: f.resource.name } })),
        };
        log = toSarif([k8s, live], CONTROLS);
    });

    it("validates against the SARIF 2.1.0 schema", () => {
        assert.equal(SCHEMA.title, "Static Analysis Results Format (SARIF) Version 2.1.0-rtm.5 JSON Schema");
        assert.deepEqual(validate(SCHEMA, log), []);
    });

    it("the validator rejects what the schema forbids (so the test above can fail)", () => {
        const broken = JSON.parse(JSON.stringify(log));
        delete broken.version;
        broken.runs[0].results[0].level = "fatal";
        broken.runs[0].results[0].ruleIndex = -2;
        broken.runs[0].tool.driver.rules[0].shortDescription = { markdown: "no text" };
        broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
        broken.runs[0].unexpected = true;
        const errors = validate(SCHEMA, broken);
        for (const want of [
            /missing required property version/,
            /"fatal" is not one of/,
            /ruleIndex: -2 < minimum -1/,
            /shortDescription: missing required property text/,
            /startLine: 0 < minimum 1/,
            /property unexpected is not allowed/,
        ]) {
            assert.ok(
                errors.some((e) => want.test(e)),
                `${want} not in\n${errors.join("\n")}`,
            );
        }
        assert.throws(() => validate({ not: {} }, {}), /unsupported keyword not/);
    });

    it("has one run whose driver is stride-guard with a rule per control: descriptions, help, STRIDE, CIS ids, security-severity, tags", () => {
        assert.equal(log.version, "2.1.0");
        assert.equal(log.runs.length, 1);
        const driver = log.runs[0].tool.driver;
        assert.equal(driver.name, "stride-guard");
        assert.equal(driver.rules.length, CONTROLS.length);
        const mem = driver.rules.find((r: any) => r.id === "docker-container-memory-limit");
        assert.equal(mem.name, "DockerContainerMemoryLimit");
        assert.equal(mem.shortDescription.text, "Docker containers have a memory limit");
        assert.match(mem.fullDescription.text, /^Denial of service/);
        assert.match(mem.help.text, /^1\. Set `memory`/);
        assert.match(mem.help.markdown, /\*\*Benchmarks:\*\* CIS Docker 5\.11 \(legacy 5\.10\)/);
        assert.equal(mem.defaultConfiguration.level, "error");
        assert.deepEqual(
            [
                mem.properties.stride,
                mem.properties.strideCategory,
                mem.properties["security-severity"],
                mem.properties.cisDocker,
                mem.properties.cisDockerLegacy,
            ],
            ["D", "Denial of service", "8.0", ["5.11"], ["5.10"]],
        );
        assert.ok(
            mem.properties.tags.includes("security") && mem.properties.tags.includes("stride:D") && mem.properties.tags.includes("cis-docker-1.6.0:5.11"),
        );
        const priv = driver.rules.find((r: any) => r.id === "kubernetes-no-privileged-containers");
        assert.equal(priv.properties.pss, "baseline");
        assert.ok(driver.rules.every((r: any) => /^\d+\.\d$/.test(r.properties["security-severity"])));
    });

    it("results: rule id and index, level from the finding's level, message, file and line or a logical location", () => {
        const results = log.runs[0].results;
        assert.equal(results.length, k8s.findings.length + engine.findings.length);
        const rules = log.runs[0].tool.driver.rules;
        for (const r of results) assert.equal(rules[r.ruleIndex].id, r.ruleId);
        const debug = results.find((r: any) => r.ruleId === "kubernetes-no-privileged-containers" && r.locations[0].logicalLocations[0].name === "debug");
        assert.equal(debug.level, "error");
        assert.deepEqual(debug.locations[0].physicalLocation, {
            artifactLocation: { uri: "test/fixtures/scan/k8s/workloads.yaml", uriBaseId: "SRCROOT" },
            region: { startLine: 53, startColumn: 9 }, // `privileged: true`, in the Pod that starts at line 42
        });
        assert.equal(log.runs[0].originalUriBaseIds.SRCROOT.uri, `file://${process.cwd()}/`);
        const health = results.find((r: any) => r.ruleId === "docker-container-healthcheck" && !r.locations[0].physicalLocation);
        assert.equal(health.level, "warning", "advisory → warning");
        assert.deepEqual(health.locations[0].logicalLocations, [
            { name: "sg-fixture-privileged", fullyQualifiedName: "docker:engine/container::sg-fixture-privileged", kind: "resource" },
        ]);
        assert.ok(results.every((r: any) => typeof r.partialFingerprints["strideGuardFinding/v1"] === "string"));
        assert.equal(log.runs[0].invocations[0].executionSuccessful, false, "the k8s fixtures hold broken documents");
        assert.equal(log.runs[0].invocations[0].toolExecutionNotifications.length, k8s.errors.length);
    });

    it("files outside the working directory get file:// URIs; stdin gets a logical location only", async () => {
        const r = await scanKubernetes(["-"], {
            controls: CONTROLS,
            stdin: async () =>
                "apiVersion: v1\nkind: Pod\nmetadata: {name: s}\nspec: {containers: [{name: c, image: i, securityContext: {privileged: true}}]}\n",
        });
        const s: any = toSarif([r], CONTROLS, undefined, "/somewhere/else");
        assert.ok(s.runs[0].results.every((x: any) => !x.locations[0].physicalLocation && x.locations[0].logicalLocations[0].name === "s"));
        const k: any = toSarif([k8s], CONTROLS, undefined, "/somewhere/else");
        assert.match(k.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, /^file:\/\/\/.*\/test\/fixtures\/scan\/k8s\//);
        assert.deepEqual(validate(SCHEMA, s), []);
        assert.deepEqual(validate(SCHEMA, k), []);
    });

    it("the CLI prints it, with the configured levels as the rules' defaults", async () => {
        const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "sg-sarif-"));
        const cfg = path.join(dir, "config.json");
        fs.writeFileSync(cfg, JSON.stringify({ "docker-container-memory-limit": "advisory", "docker-container-cpu-limit": "disabled" }));
        const r = await cli(["scan", "compose", fixture("compose", "insecure-v2.yml"), "--format", "sarif", "--config", cfg]);
        assert.equal(r.code, 1);
        const s = JSON.parse(r.out);
        assert.deepEqual(validate(SCHEMA, s), []);
        const rule = (id: string) => s.runs[0].tool.driver.rules.find((x: any) => x.id === id);
        assert.equal(rule("docker-container-memory-limit").defaultConfiguration.level, "warning");
        assert.equal(rule("docker-container-cpu-limit").defaultConfiguration.level, "none");
        assert.ok(s.runs[0].results.filter((x: any) => x.ruleId === "docker-container-memory-limit").every((x: any) => x.level === "warning"));
        assert.ok(!s.runs[0].results.some((x: any) => x.ruleId === "docker-container-cpu-limit"));
        assert.equal(s.runs[0].invocations[0].executionSuccessful, true);
    });
});
