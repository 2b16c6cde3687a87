export * from "./process";
export * from "./engine";
export * from "./marshal";
export * from "./client";
export * from "./preview";
