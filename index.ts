import { runProgram } from "./program";

// Read and validate the stack's config, then declare every resource of the stack.
const outputs = runProgram();

// Export the stack outputs.
export const url = outputs.url;
export const clusterName = outputs.clusterName;
export const serviceName = outputs.serviceName;
export const taskDefinitionArn = outputs.taskDefinitionArn;
export const repositoryUrl = outputs.repositoryUrl;
export const image = outputs.image;
export const logGroupName = outputs.logGroupName;
export const bucketName = outputs.bucketName;
export const runTaskCommand = outputs.runTaskCommand;
export const runTaskTarget = outputs.runTaskTarget;
export const dashboardUrl = outputs.dashboardUrl;
export const alarmTopicArn = outputs.alarmTopicArn;
