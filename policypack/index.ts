// The stride-guard policy pack, as `pulumi preview --policy-pack` loads it. Everything else is a library.
import { PolicyPack } from "@pulumi/policy";
import { shareDeserialization } from "./lib/kernel/policy-internals";
import { PACK_NAME, policyPackArgs } from "./lib/pack";

// Every policy here reads the properties without modifying them, so one deserialization per request serves all.
shareDeserialization("parsed");
new PolicyPack(PACK_NAME, policyPackArgs());
