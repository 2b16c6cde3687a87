/**
 * Every model that declares a subject kind (augmenting `SubjectModels`) or a part of the stack model
 * (augmenting `StackModel`). Imported by the adapter table and the library, so that every program that
 * sees those interfaces (the pack, the CLI, users compiling against the .d.ts) sees every kind.
 */
import "./docker-container";
import "./kubernetes-container";
import "./pod";
import "./kubernetes-rbac";
import "./kubernetes-namespace";
import "./kubernetes-service";
import "./kubernetes-ingress";
import "./kubernetes-secret";
import "./kubernetes-configmap";
import "./kubernetes-provider";
import "./docker-provider";
import "./docker-image";
import "./docker-network";
import "./docker-registry";
import "./control-plane";
import "./docker-daemon";
import "./docker-logging";
import "./kubernetes-cluster";
