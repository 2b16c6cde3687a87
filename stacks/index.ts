/**
 * One Pulumi project, three stacks: the program is chosen by the stack name (config in stacks/Pulumi.<stack>.yaml).
 */
import * as pulumi from "@pulumi/pulumi";
import { dockerHost } from "./docker-host";
import { insecureDemo } from "./insecure-demo";
import { kubernetesCluster } from "./kubernetes-cluster";

const programs: Record<string, () => Record<string, unknown>> = {
    "docker-host": dockerHost,
    "kubernetes-cluster": kubernetesCluster,
    "insecure-demo": insecureDemo,
};

const stack = pulumi.getStack();
const program = programs[stack];
if (!program) throw new Error(`unknown stack ${JSON.stringify(stack)}: expected one of ${Object.keys(programs).join(", ")}`);

// Stack outputs (`export =` of a module-level value is how Pulumi Node programs publish outputs).
export = program();
