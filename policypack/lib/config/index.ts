export * from "./schema";
export * from "./reconcile";
