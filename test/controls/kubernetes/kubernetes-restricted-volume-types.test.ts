import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-restricted-volume-types";
import hostpathControl from "stride-guard/lib/controls/kubernetes/kubernetes-no-hostpath-volumes";
import { assertMalformedReported, assertOne, assertPasses, assertSecretHidden, assertUnknown, deploy } from "../../support/kubernetes-fixtures";
import { messages, UNKNOWN_STRING } from "../../support/run-control";

const vols = (...volumes: unknown[]) => deploy({ pod: { volumes } });

describe("kubernetes-restricted-volume-types", () => {
    it("passes the restricted volume types, and a volume with no source (the API's emptyDir)", () => {
        assertPasses(
            control,
            vols(
                { name: "a", configMap: { name: "c" } },
                { name: "b", secret: { secretName: "s" } },
                { name: "c", emptyDir: {} },
                { name: "d", projected: { sources: [] } },
                { name: "e", persistentVolumeClaim: { claimName: "p" } },
                { name: "f", downwardAPI: {} },
                { name: "g", csi: { driver: "x" } },
                { name: "h", ephemeral: {} },
                { name: "i", image: { reference: "r" } },
                { name: "j" },
            ),
        );
    });

    it("flags other types, each at its path", () => {
        assertOne(control, vols({ name: "share", nfs: { server: "n", path: "/" } }), [
            'Deployment "shop/api"',
            "spec.template.spec.volumes[0].nfs",
            '"nfs"',
            "PSS restricted",
        ]);
        assert.equal(messages(control, vols({ name: "a", flexVolume: { driver: "d" } }, { name: "b", gitRepo: { repository: "r" } })).length, 2);
    });

    it("leaves hostPath to kubernetes-no-hostpath-volumes, so a host path is one finding", () => {
        const hostPath = vols({ name: "logs", hostPath: { path: "/var/log" } }, { name: "share", nfs: { server: "n", path: "/" } });
        const msgs = messages(control, hostPath);
        assert.equal(msgs.length, 1, msgs.join("\n"));
        assert.match(msgs[0], /volumes\[1\]\.nfs/);
        assert.equal(messages(hostpathControl, hostPath).length, 1);
    });

    it("is restricted-only, and its allow-list is configurable", () => {
        const nfs = vols({ name: "share", nfs: { server: "n", path: "/" } });
        assertPasses(control, nfs, { level: "baseline" });
        assertPasses(control, nfs, { allowedVolumeTypes: ["nfs"] });
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, deploy({ pod: { volumes: UNKNOWN_STRING } }), "spec.template.spec.volumes");
        assertSecretHidden(control, vols({ name: "share", nfs: { server: "n", path: "/" } }));
        assertMalformedReported(control);
        assertOne(control, vols("tmp"), ["spec.template.spec.volumes", "malformed: expected an object at spec.template.spec.volumes[0], got a string"]);
    });
});
