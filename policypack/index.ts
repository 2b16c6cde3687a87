// The stride-guard policy pack, as `pulumi preview --policy-pack` loads it. Everything else is a library.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policyPackArgs } from "./lib/pack";

new PolicyPack(PACK_NAME, policyPackArgs());
