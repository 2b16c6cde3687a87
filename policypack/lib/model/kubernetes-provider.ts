import { V } from "../kernel/values";

/** A cluster entry of a kubeconfig, as the provider would use it. */
export interface KubeconfigCluster {
    readonly name: string;
    readonly server: V<string>;
    readonly insecureSkipTlsVerify: V<boolean>;
}

/** A user entry of a kubeconfig: which kinds of credentials it carries (never their values). */
export interface KubeconfigUser {
    readonly name: string;
    /** username/password: HTTP basic auth, removed from Kubernetes in 1.19. */
    readonly basicAuth: boolean;
    /** Credentials embedded in the file: token, client-key-data, password. */
    readonly embeddedCredentials: readonly string[];
}

/** The kubeconfig of a Kubernetes provider, parsed once; entries are those the provider would use. */
export interface KubeconfigView {
    /** Clusters in use: the selected context's (or `cluster` input's) cluster; every cluster when none can be selected. */
    readonly clusters: readonly KubeconfigCluster[];
    /** Users in use, by the same rule. */
    readonly users: readonly KubeconfigUser[];
    /** Every user entry of the file (all of them land in Pulumi state with the kubeconfig). */
    readonly allUsers: readonly KubeconfigUser[];
}

/** A `pulumi:providers:kubernetes` resource (explicit or default provider). */
export interface KubernetesProviderModel {
    readonly name: string;
    /**
     * The parsed kubeconfig. undefined when there is none to read here: no `kubeconfig` input (the provider
     * falls back to $KUBECONFIG or ~/.kube/config on the machine running Pulumi) or a file path.
     */
    readonly kubeconfig: V<KubeconfigView>;
    /**
     * Whether the kubeconfig arrived as a Pulumi secret: true/false where the source keeps secret markers,
     * "undecidable" where nobody recorded them (the pack records them before @pulumi/policy unwraps them).
     */
    readonly kubeconfigIsSecret: boolean | "undecidable";
    readonly paths: { readonly kubeconfig: string };
}

declare module "../contract/subject" {
    interface SubjectModels {
        /** Kubernetes providers (`pulumi:providers:kubernetes`). */
        readonly kubernetesProvider: KubernetesProviderModel;
    }
}
