export * from "./types";
export * from "./run";
export * from "./project";
