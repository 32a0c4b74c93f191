/**
 * The components, for a program of your own (package.json's `main`): importing them declares
 * nothing; the program of this repository is index.ts.
 */
export * from "./alarms";
export * from "./bucket";
export * from "./cluster";
export * from "./dashboard";
export * from "./ec2Capacity";
export * from "./image";
export * from "./loadBalancer";
export * from "./natInstance";
export * from "./network";
export * from "./notifications";
export * from "./service";
export * from "./taskDefinition";
export * from "./waf";
