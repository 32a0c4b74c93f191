/**
 * Which resource types the pack guards, by which policies, and which it leaves unchecked on
 * purpose, with the reason. tests/policy/coverage.test.ts holds every type the program declares
 * (under every config the mock suite runs, and the children awsx's Vpc registers) to this table,
 * holds each guard to a corpus case of that policy on that type, and docs/guardrails.md's tables
 * to this one.
 */

/** Type (as the pack names it: aws:alb/* as aws:lb/*, S3 ...V2 as the plain name) -> the policies that judge it. */
export const guarded: Record<string, string[]> = {
    // Declared by the program
    "aws:cloudwatch/logGroup:LogGroup": ["logs-retention"],
    "aws:cloudwatch/metricAlarm:MetricAlarm": ["alarms-notify", "alarms-missing-data", "service-rollback-alarms"],
    "aws:ec2/launchTemplate:LaunchTemplate": ["ec2-imdsv2", "ec2-no-public-ip"],
    "aws:ec2/securityGroup:SecurityGroup": ["sg-no-world-ingress", "sg-descriptions", "service-tasks-only-from-alb"],
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": ["ecr-lifecycle-policy"],
    "aws:ecr/repository:Repository": ["ecr-scan-on-push", "ecr-immutable-tags", "ecr-lifecycle-policy"],
    "aws:ecs/cluster:Cluster": ["ecs-container-insights"],
    "aws:ecs/service:Service": [
        "ecs-service-no-public-ip",
        "ecs-fargate-platform-latest",
        "service-deployment-safety",
        "service-rollback-alarms",
        "service-target-group-has-listener",
        "service-tasks-only-from-alb",
    ],
    "aws:ecs/taskDefinition:TaskDefinition": ["ecs-no-privileged-containers", "ecs-readonly-nonroot", "ecs-container-logging", "ecs-no-plain-secrets", "ecs-separate-roles"],
    "aws:iam/role:Role": ["iam-role-trust", "iam-task-role-trust", "iam-no-wildcards"],
    "aws:iam/rolePolicy:RolePolicy": ["iam-no-wildcards"],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["iam-no-wildcards"],
    "aws:kms/key:Key": ["sns-kms-no-public-policy"],
    "aws:lb/listener:Listener": ["alb-http-redirects-to-https", "alb-https-tls13", "service-target-group-has-listener"],
    "aws:lb/listenerRule:ListenerRule": ["alb-http-redirects-to-https", "service-target-group-has-listener"],
    "aws:lb/loadBalancer:LoadBalancer": ["alb-drop-invalid-headers", "alb-deletion-protection", "alb-access-logs", "alb-access-log-bucket", "alb-waf"],
    "aws:lb/targetGroup:TargetGroup": ["service-target-group-has-listener"],
    "aws:s3/bucket:Bucket": ["s3-public-access-blocked", "s3-encryption", "s3-tls-only", "alb-access-log-bucket"],
    "aws:s3/bucketPolicy:BucketPolicy": ["s3-tls-only", "s3-public-access-blocked", "alb-access-log-bucket"],
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ["s3-public-access-blocked"],
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ["s3-encryption", "alb-access-log-bucket"],
    "aws:sns/topic:Topic": ["sns-topic-encrypted", "sns-kms-no-public-policy"],
    "aws:sns/topicPolicy:TopicPolicy": ["sns-kms-no-public-policy"],
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ["sg-descriptions"],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["sg-no-world-ingress", "sg-descriptions", "service-tasks-only-from-alb"],
    "aws:wafv2/webAcl:WebAcl": ["waf-web-acl-rules"],
    "aws:wafv2/webAclAssociation:WebAclAssociation": ["alb-waf"],
    // Related types that do the same job as a declared one
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": ["alarms-notify"],
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ["sg-default-group-closed", "sg-no-world-ingress", "sg-descriptions"],
    "aws:ec2/instance:Instance": ["ec2-imdsv2", "ec2-no-public-ip"],
    "aws:ec2/launchConfiguration:LaunchConfiguration": ["ec2-no-public-ip"],
    "aws:ec2/securityGroupRule:SecurityGroupRule": ["sg-no-world-ingress", "sg-descriptions", "service-tasks-only-from-alb"],
    "aws:ecr/registryPolicy:RegistryPolicy": ["ecr-no-public-policy"],
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": ["ecr-immutable-tags", "ecr-no-public-policy"],
    "aws:ecr/repositoryPolicy:RepositoryPolicy": ["ecr-no-public-policy"],
    "aws:ecrpublic/repository:Repository": ["ecr-no-public-policy"],
    "aws:ecs/taskSet:TaskSet": ["ecs-service-no-public-ip"],
    "aws:iam/accessKey:AccessKey": ["iam-no-access-keys"],
    "aws:iam/policy:Policy": ["iam-no-wildcards"],
    "aws:iam/policyAttachment:PolicyAttachment": ["iam-no-wildcards"],
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": ["iam-no-wildcards"],
    "aws:kms/keyPolicy:KeyPolicy": ["sns-kms-no-public-policy"],
    "aws:s3/bucketAcl:BucketAcl": ["s3-public-access-blocked"],
    "aws:wafv2/webAclRule:WebAclRule": ["waf-web-acl-rules"],
};

/** Type -> why the pack leaves it unchecked. */
export const unchecked: Record<string, string> = {
    // Declared by the program
    "aws:acm/certificate:Certificate": "a certificate grants nothing; the TLS the listener offers is judged (alb-https-tls13)",
    "aws:acm/certificateValidation:CertificateValidation": "waits for DNS validation; no setting",
    "aws:appautoscaling/policy:Policy": "scaling targets; the bounds are the program's settings (minCount, maxCount), refused at preview by the config",
    "aws:appautoscaling/target:Target": "scaling bounds; as above",
    "aws:autoscaling/group:Group": "its instances take their settings from the launch template (ec2-imdsv2, ec2-no-public-ip)",
    "aws:cloudwatch/dashboard:Dashboard": "a view of metrics; grants nothing",
    "aws:cloudwatch/eventRule:EventRule": "routes Spot interruption events to the stack's topic, whose policy is judged (sns-kms-no-public-policy)",
    "aws:cloudwatch/eventTarget:EventTarget": "as the event rule",
    "aws:cloudwatch/queryDefinition:QueryDefinition": "a saved Logs Insights query; grants nothing",
    "aws:ec2/networkInterface:NetworkInterface": "the NAT instance's forwarding interface: its group's rules are judged (sg-no-world-ingress), and ec2-no-public-ip reads it to recognise the NAT instance",
    "aws:ec2/route:Route": "routing of the private subnets (tested by the program's network tests); ec2-no-public-ip reads it to recognise the NAT instance",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "interface and gateway endpoints keep AWS's default endpoint policy (any action through the endpoint, still limited by each principal's own IAM policies); their security group is judged (sg-no-world-ingress)",
    "aws:ecs/capacityProvider:CapacityProvider": "links the cluster to its Auto Scaling group; no access or safety setting",
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": "which capacity the cluster uses; no access or safety setting",
    "aws:iam/instanceProfile:InstanceProfile": "hands a role to instances; the role and its policies are judged (iam-*)",
    "aws:route53/record:Record": "the load balancer's DNS name; nothing to open",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "expiry of old object versions and uploads; no access setting",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "ACLs are judged where they would grant access (s3-public-access-blocked)",
    "aws:s3/bucketVersioning:BucketVersioning": "data retention is the program's protectData setting",
    "aws:sns/topicSubscription:TopicSubscription": "delivers alarms to the addresses the config names (email, https only: refused at preview otherwise)",
    "docker-build:index:Image": "builds and pushes the image; the repository it goes to is judged (ecr-*)",
    // Registered by awsx's Vpc (awsx/ec2/vpc.ts), which the mocks do not expand
    "aws:ec2/vpc:Vpc": "the network the program lays out (tested by the network tests); no access setting",
    "aws:ec2/subnet:Subnet": "public subnets give instances public addresses by default; ec2-no-public-ip judges the instances' own setting, and only the load balancer and the NAT instance run in public subnets",
    "aws:ec2/routeTable:RouteTable": "routing, as aws:ec2/route:Route",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "routing, as aws:ec2/route:Route",
    "aws:ec2/internetGateway:InternetGateway": "the public subnets' way out; what may be reached from it is judged by the security groups",
    "aws:ec2/eip:Eip": "a NAT gateway's address",
    "aws:ec2/natGateway:NatGateway": "outbound only; nothing can reach the private subnets through it",
    // Related types
    "aws:iam/rolePolicies:RolePolicies": "names the inline policies a role keeps; each is a RolePolicy, judged (iam-no-wildcards)",
    "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive": "as aws:iam/rolePolicies:RolePolicies",
    "aws:lb/listenerCertificate:ListenerCertificate": "adds a certificate to a listener; the listener's TLS policy is judged (alb-https-tls13)",
    "aws:wafregional/webAclAssociation:WebAclAssociation": "AWS WAF Classic: alb-waf counts only WAFv2 associations, so a protected stack using Classic is reported as unprotected (no false pass)",
    "aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation": "adds a rule group to a web ACL: it can only block more; waf-web-acl-rules counts it as a rule and refuses it in count mode",
};
