/**
 * Stack `kubernetes-cluster`: a hardened kubeadm control plane (HardenedControlPlane) and, through its API,
 * a hardened namespace with a sample web workload.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { HardenedControlPlane } from "./components/HardenedControlPlane";
import { HardenedDeployment } from "./components/HardenedDeployment";
import { HardenedNamespace } from "./components/HardenedNamespace";
import { sshFromConfig } from "./config";

export function kubernetesCluster() {
    const config = new pulumi.Config();
    const ssh = sshFromConfig(config);
    const cluster = new HardenedControlPlane("control-plane", {
        ssh,
        nodeName: config.get("nodeName") ?? "cp-1",
        advertiseAddress: config.get("advertiseAddress"),
        certSANs: config.getObject<string[]>("certSANs"),
        kubernetesVersion: config.require("kubernetesVersion"),
        podSubnet: config.get("podSubnet"),
        serviceSubnet: config.get("serviceSubnet"),
        cniManifest: config.get("cniManifest"),
    });
    const provider = cluster.provider;
    const ns = new HardenedNamespace("shop", { provider });
    const appConfig = new k8s.core.v1.ConfigMap(
        "web-config",
        { metadata: { name: "web-config", namespace: ns.name }, data: { greeting: "hello from a hardened cluster" } },
        { provider, dependsOn: [ns] },
    );
    const web = new HardenedDeployment(
        "web",
        { provider, namespace: ns.name, image: config.require("appImage"), port: 8080, readsConfigMaps: ["web-config"], writablePaths: ["/tmp"] },
        { dependsOn: [ns, appConfig] },
    );
    return {
        apiServer: cluster.server,
        clusterCaCert: cluster.caCertPem,
        kubeconfig: cluster.kubeconfig,
        namespace: ns.name,
        service: web.service.metadata.name,
    };
}
