/** Every policy of the pack, in the order the pack reports them. */
import { Policies } from "@pulumi/policy";
import * as alb from "./alb";
import * as ecr from "./ecr";
import * as ec2 from "./ec2";
import * as ecs from "./ecs";
import * as iam from "./iam";
import * as logs from "./logs";
import * as operations from "./operations";
import * as resourcePolicies from "./resourcePolicies";
import * as s3 from "./s3";
import * as securityGroups from "./securityGroups";
import * as service from "./service";
import * as waf from "./waf";

export const policies: Policies = [
    ecs.serviceNoPublicIp,
    ecs.noPrivilegedContainers,
    ecs.readOnlyNonRoot,
    ecs.containersLog,
    ecs.noSecretsInEnvironment,
    ecs.fargatePlatformLatest,
    ecs.containerInsights,
    ecs.separateRoles,
    alb.httpRedirectsToHttps,
    alb.tls13,
    alb.dropInvalidHeaders,
    alb.deletionProtection,
    securityGroups.noWorldIngress,
    securityGroups.defaultGroupClosed,
    securityGroups.described,
    ec2.imdsv2,
    ec2.noPublicIp,
    ecr.scanOnPush,
    ecr.immutableTags,
    ecr.lifecyclePolicy,
    ecr.noPublicPolicy,
    logs.retention,
    iam.noWildcards,
    iam.taskRoleTrust,
    iam.roleTrust,
    iam.noAccessKeys,
    s3.publicAccessBlocked,
    s3.encrypted,
    s3.tlsOnly,
    resourcePolicies.noPublicResourcePolicy,
    resourcePolicies.topicEncrypted,
    service.targetGroupForwarded,
    service.tasksOnlyFromLoadBalancer,
    operations.rollbackAlarms,
    operations.alarmsNotify,
    operations.missingData,
    operations.deploymentSafety,
    operations.accessLogs,
    operations.accessLogBucket,
    waf.albWaf,
    waf.webAclRules,
];
