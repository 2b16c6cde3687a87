/**
 * Kubernetes manifests (YAML or JSON, multi-document, `List` kinds, Helm-rendered output) → resources
 * with the Pulumi type token of their kind, `kubernetes:<group|core>/<version>:<Kind>`, so that the
 * Kubernetes adapters read them as they read Pulumi inputs (which have the manifest's shape).
 *
 * Objects of the built-in API groups are analyzed; CustomResourceDefinitions, custom resources and
 * documents that are not Kubernetes objects at all are ignored and counted by kind.
 */
import type { Node } from "yaml";
import type { DockerLogConfigModel } from "../model/docker-logging";
import { AnalyzedResource } from "../engine/analyze";
import { SourceText } from "./sources";
import { childNode, helmSource, itemLines, parseYamlFile } from "./yaml";
import { Counter, sensitiveValuesOf } from "./secrets";
import { DocumentPositions } from "./positions";

export interface ReadResult {
    readonly resources: AnalyzedResource[];
    readonly errors: string[];
    /** Documents not analyzed, by what they are ("CustomResourceDefinition", "cert-manager.io Certificate", "not a Kubernetes object"). */
    readonly ignored: Counter;
    /** Values that must never appear in output (env values, Secret data), by resource URN. */
    readonly sensitive: Map<string, string[]>;
    /** Log settings of Docker containers and Compose services, for the logging control. */
    readonly logConfigs?: DockerLogConfigModel[];
}

/** API groups served by Kubernetes itself (any `*.k8s.io` group counts too, except CRDs' apiextensions). */
const BUILTIN_GROUPS = new Set(["core", "apps", "batch", "autoscaling", "policy", "extensions"]);

export function isBuiltinGroup(group: string): boolean {
    return BUILTIN_GROUPS.has(group) || (group.endsWith(".k8s.io") && group !== "apiextensions.k8s.io" && !isComponentConfig(group));
}

/**
 * Component configuration files (KubeletConfiguration, kubeadm ClusterConfiguration, EncryptionConfiguration,
 * audit Policy) are not API objects: the control-plane controls read them as files on hosts, so here they
 * are ignored (and counted) rather than reported as checked.
 */
export function isComponentConfig(group: string): boolean {
    return group.endsWith(".config.k8s.io") || group === "kubeadm.k8s.io" || group === "audit.k8s.io";
}

/** `apps/v1` + `Deployment` → `kubernetes:apps/v1:Deployment`; `v1` → `kubernetes:core/v1:…`. */
export function typeToken(apiVersion: string, kind: string): { type: string; group: string } | undefined {
    const m = /^(?:([a-z0-9.-]+)\/)?(v\w+)$/.exec(apiVersion.trim());
    if (!m || !/^\w+$/.test(kind)) return undefined;
    const group = m[1] ?? "core";
    return { type: `kubernetes:${group}/${m[2]}:${kind}`, group };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Reads Kubernetes objects from parsed sources. */
export function readKubernetes(sources: readonly SourceText[]): ReadResult {
    const out: ReadResult = { resources: [], errors: [], ignored: new Counter(), sensitive: new Map() };
    for (const src of sources) {
        const parsed = parseYamlFile(src.name, src.text, { version: "1.1" });
        out.errors.push(...parsed.errors);
        let index = 0;
        let positions: DocumentPositions | undefined;
        const add = (value: unknown, node: Node | null | undefined, line: number, source: string | undefined, where: string): void => {
            if (value === null || value === undefined) return; // an empty document
            if (!isRecord(value)) {
                out.ignored.add("not a Kubernetes object");
                return;
            }
            const apiVersion = value["apiVersion"];
            const kind = value["kind"];
            if (typeof apiVersion !== "string" || typeof kind !== "string") {
                // A Compose file handed to `scan k8s` would otherwise pass as "nothing to check" (exit 0).
                if (apiVersion === undefined && kind === undefined && Object.prototype.hasOwnProperty.call(value, "services") && isRecord(value["services"])) {
                    out.errors.push(`${src.name}:${line}: a Docker Compose file, not Kubernetes manifests: scan it with \`stride-guard scan compose\``);
                    return;
                }
                out.ignored.add("not a Kubernetes object");
                return;
            }
            const items = value["items"];
            if (kind.endsWith("List") && (items === undefined || items === null)) {
                out.ignored.add(`empty ${kind}`);
                return;
            }
            if (kind.endsWith("List") && Array.isArray(items)) {
                const lines = itemLines(childNode(node, "items") ?? undefined, parsed.lines);
                items.forEach((item, i) => add(item, itemNode(childNode(node, "items"), i), lines[i] ?? line, source, `${where}.items[${i}]`));
                return;
            }
            const token = typeToken(apiVersion, kind);
            if (!token) {
                out.errors.push(`${src.name}:${line}: apiVersion or kind is malformed (${where}); the object is skipped`);
                return;
            }
            if (token.group === "apiextensions.k8s.io") {
                out.ignored.add(kind);
                return;
            }
            if (isComponentConfig(token.group)) {
                out.ignored.add(`${kind} (component configuration)`);
                return;
            }
            if (!isBuiltinGroup(token.group)) {
                out.ignored.add(`${token.group} ${kind}`);
                return;
            }
            const meta = isRecord(value["metadata"]) ? value["metadata"] : {};
            const name =
                typeof meta["name"] === "string" && meta["name"] !== ""
                    ? meta["name"]
                    : typeof meta["generateName"] === "string"
                      ? `${meta["generateName"]}*`
                      : `(unnamed ${kind})`;
            const ns = typeof meta["namespace"] === "string" ? meta["namespace"] : "";
            index++;
            const urn = `urn:stride-guard:k8s::${src.name}#${index}::${token.type}::${ns ? `${ns}/` : ""}${name}${source ? `::${source}` : ""}`;
            const sensitive = sensitiveValuesOf(value, kind);
            if (sensitive.length > 0) out.sensitive.set(urn, sensitive);
            const docPositions = positions;
            const start = (node?.range ? docPositions?.positionAt(node.range[0]) : undefined) ?? { line, column: 1 };
            out.resources.push({
                type: token.type,
                name,
                urn,
                props: value,
                file: src.name,
                line,
                ...(docPositions ? { locate: docPositions.locator(node, start) } : {}),
            });
        };
        for (const doc of parsed.documents) {
            positions = new DocumentPositions(doc.node, parsed.lines);
            add(doc.value, doc.node, doc.line, helmSource(doc.comment), `document at line ${doc.line}`);
        }
    }
    return out;
}

function itemNode(seq: Node | undefined, i: number): Node | undefined {
    const items = (seq as { items?: unknown[] } | undefined)?.items;
    return Array.isArray(items) ? (items[i] as Node | undefined) : undefined;
}
