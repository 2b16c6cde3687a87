/**
 * Subjects: the normalized things controls check. Each domain declares its subject kinds by
 * augmenting `SubjectModels` next to its model (see model/docker-container.ts), and provides an
 * adapter per kind (adapters/<domain>/index.ts). The adapter table in adapters/index.ts must cover
 * every kind, which the compiler checks.
 */

export interface SubjectModels {}
export type SubjectKind = keyof SubjectModels;

/** A resource as every source presents it: Pulumi type token, name, URN and cleaned properties. */
export interface ResourceInput {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** Cleaned properties (see `clean`). */
    readonly props: unknown;
    /**
     * Strings that arrived as Pulumi secrets (`clean(...).secretValues`), given only by sources that keep Pulumi's
     * secret markers (wire form, Remediate, manifests). Absent in the pack's Analyze, where @pulumi/policy
     * has already unwrapped every secret, so "was this a secret?" cannot be answered there.
     */
    readonly secretValues?: readonly string[];
}

/** One thing a control checks inside a resource, with the words that name it in a message. */
export interface Subject<K extends SubjectKind> {
    readonly model: SubjectModels[K];
    readonly label: string;
    /** Writes a fix for a model field into (a copy of) the raw props; undefined when it cannot. */
    readonly write?: (raw: unknown, fieldName: string, value: unknown) => Record<string, unknown> | undefined;
}

/** Input that could not be read well enough to check: reported, never skipped. */
export interface Problem {
    readonly label: string;
    readonly path: string;
    readonly problem: string;
}

export interface Adapted<K extends SubjectKind> {
    readonly subjects: readonly Subject<K>[];
    readonly problems: readonly Problem[];
}

export const NOTHING: Adapted<never> = Object.freeze({ subjects: [], problems: [] });

/** Adapters of a domain, one per subject kind it declares. */
export type AdapterTable<K extends SubjectKind> = { readonly [P in K]: (res: ResourceInput) => Adapted<P> };

// The domains' subject kinds, declared by augmentation beside each model. Listed here so that every
// program that sees `SubjectModels` (the pack, the CLI, tests compiled against the .d.ts) sees them all.
import type {} from "../model/docker-container";
import type {} from "../model/kubernetes-container";
import type {} from "../model/pod";
import type {} from "../model/kubernetes-rbac";
import type {} from "../model/kubernetes-namespace";
import type {} from "../model/kubernetes-service";
import type {} from "../model/kubernetes-ingress";
import type {} from "../model/kubernetes-secret";
import type {} from "../model/kubernetes-configmap";
import type {} from "../model/kubernetes-provider";
import type {} from "../model/docker-provider";
import type {} from "../model/docker-image";
import type {} from "../model/docker-network";
import type {} from "../model/docker-registry";
