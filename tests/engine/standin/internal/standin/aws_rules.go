// Test stand-in, not a provider: which inputs of the AWS resources flask-fargate declares are
// autonamed, and which force a replacement, as in the real (bridged) pulumi-aws 7.x provider.
package standin

// autoname describes the property the bridged provider fills in when the program leaves it out:
// `<resource name>-<7 hex chars>`, unless the program gives prefix instead.
type autoname struct {
	prop      string // the name property
	maxLen    int    // longest name AWS takes
	prefix    string // the prefix property, if the type has one
	prefixMax int    // longest prefix the provider accepts (0: not checked)
	lower     bool   // AWS takes lower case only
}

// autonames lists the autonamed AWS types this program can declare. Lengths are AWS's limits as
// terraform-provider-aws validates them; load balancer and target group names are the tight ones
// (internal/service/elbv2/validate.go: validName/validNamePrefix, validTargetGroupName/...Prefix).
var autonames = map[string]autoname{
	"aws:ecs/cluster:Cluster":                   {prop: "name", maxLen: 255},
	"aws:ecs/service:Service":                   {prop: "name", maxLen: 255},
	"aws:ecs/capacityProvider:CapacityProvider": {prop: "name", maxLen: 255},
	"aws:s3/bucket:Bucket":                      {prop: "bucket", maxLen: 63, prefix: "bucketPrefix", lower: true},
	"aws:ecr/repository:Repository":             {prop: "name", maxLen: 256, lower: true},
	"aws:cloudwatch/logGroup:LogGroup":          {prop: "name", maxLen: 512, prefix: "namePrefix"},
	"aws:iam/role:Role":                         {prop: "name", maxLen: 64, prefix: "namePrefix"},
	"aws:iam/rolePolicy:RolePolicy":             {prop: "name", maxLen: 128, prefix: "namePrefix"},
	"aws:iam/instanceProfile:InstanceProfile":   {prop: "name", maxLen: 128, prefix: "namePrefix"},
	"aws:ec2/securityGroup:SecurityGroup":       {prop: "name", maxLen: 255, prefix: "namePrefix"},
	"aws:lb/loadBalancer:LoadBalancer":          {prop: "name", maxLen: 32, prefix: "namePrefix", prefixMax: 6},
	"aws:lb/targetGroup:TargetGroup":            {prop: "name", maxLen: 32, prefix: "namePrefix", prefixMax: 6},
	"aws:appautoscaling/policy:Policy":          {prop: "name", maxLen: 255},
	"aws:ec2/launchTemplate:LaunchTemplate":     {prop: "name", maxLen: 128, prefix: "namePrefix"},
	"aws:autoscaling/group:Group":               {prop: "name", maxLen: 255, prefix: "namePrefix"},
	// The types issues 14 and 16 added. pulumi-terraform-bridge's SetAutonaming (read) autonames
	// every string input named `name`, required or optional (a required one becomes optional),
	// unless the provider maps that field itself; pulumi-aws maps the metric alarm's alarm_name
	// (read: provider/resources.go, `"alarm_name": tfbridge.AutoName("name", 255, "-")`; required
	// and ForceNew upstream, internal/service/cloudwatch/metric_alarm.go, read). That pulumi-aws
	// calls SetAutonaming, and the rule and topic limits (64, 256), are from memory.
	"aws:cloudwatch/metricAlarm:MetricAlarm":         {prop: "name", maxLen: 255},
	"aws:cloudwatch/eventRule:EventRule":             {prop: "name", maxLen: 64, prefix: "namePrefix"},
	"aws:sns/topic:Topic":                            {prop: "name", maxLen: 256, prefix: "namePrefix"},
	"aws:cloudwatch/queryDefinition:QueryDefinition": {prop: "name", maxLen: 255},
	// Not autonamed: a dashboard's name is dashboardName; a KMS key, a network interface, a
	// listener rule, a topic policy or subscription and an event target have no name.
}

// replaceRule lists the inputs of a type whose change forces a new resource (ForceNew in
// terraform-provider-aws, or RequiresReplace for its framework resources). A key "a.b" is the
// field b of the object input a. allExcept inverts the rule: every input forces a new resource
// except these.
type replaceRule struct {
	keys      []string
	allExcept []string
	source    string // where the rule comes from, in hashicorp/terraform-provider-aws
}

// replaceRules: "read" marks schemas read for this table; the others are from the same
// repository's schemas as recalled, not re-read (check there before relying on a corner). A type
// with no entry here is updated in place whatever changes.
var replaceRules = map[string]replaceRule{
	"aws:ecs/taskDefinition:TaskDefinition": {
		allExcept: []string{"tags", "tagsAll", "skipDestroy", "trackLatest"},
		source:    "internal/service/ecs/task_definition.go (read): every argument ForceNew except tags and skip_destroy",
	},
	"aws:ecs/service:Service": {
		keys:   []string{"cluster", "name", "launchType", "iamRole", "schedulingStrategy", "deploymentController.type"},
		source: "internal/service/ecs/service.go (read): cluster, name, launch_type, iam_role, scheduling_strategy, deployment_controller.type",
	},
	"aws:lb/targetGroup:TargetGroup": {
		keys:   []string{"name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId", "ipAddressType"},
		source: "internal/service/elbv2/target_group.go (read)",
	},
	"aws:lb/loadBalancer:LoadBalancer": {
		keys:   []string{"name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool"},
		source: "internal/service/elbv2/load_balancer.go (read)",
	},
	"aws:cloudwatch/logGroup:LogGroup": {
		keys:   []string{"name", "namePrefix", "logGroupClass"},
		source: "internal/service/logs/group.go (read): kms_key_id and retention_in_days update in place",
	},
	"aws:lb/listener:Listener": {keys: []string{"loadBalancerArn"}, source: "internal/service/elbv2/listener.go"},
	"aws:ecs/cluster:Cluster":  {keys: []string{"name"}, source: "internal/service/ecs/cluster.go"},
	"aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": {
		keys: []string{"clusterName"}, source: "internal/service/ecs/cluster_capacity_providers.go",
	},
	"aws:ecs/capacityProvider:CapacityProvider": {
		keys:   []string{"name", "autoScalingGroupProvider.autoScalingGroupArn"},
		source: "internal/service/ecs/capacity_provider.go",
	},
	"aws:iam/role:Role":             {keys: []string{"name", "namePrefix", "path"}, source: "internal/service/iam/role.go"},
	"aws:iam/rolePolicy:RolePolicy": {keys: []string{"name", "namePrefix", "role"}, source: "internal/service/iam/role_policy.go"},
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
		keys: []string{"role", "policyArn"}, source: "internal/service/iam/role_policy_attachment.go",
	},
	"aws:iam/instanceProfile:InstanceProfile": {keys: []string{"name", "namePrefix", "path"}, source: "internal/service/iam/instance_profile.go"},
	"aws:ec2/securityGroup:SecurityGroup": {
		keys: []string{"name", "namePrefix", "description", "vpcId"}, source: "internal/service/ec2/vpc_security_group.go",
	},
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
		keys: []string{"securityGroupId"}, source: "internal/service/ec2/vpc_security_group_ingress_rule.go (RequiresReplace)",
	},
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
		keys: []string{"securityGroupId"}, source: "internal/service/ec2/vpc_security_group_egress_rule.go (RequiresReplace)",
	},
	"aws:s3/bucket:Bucket": {keys: []string{"bucket", "bucketPrefix", "objectLockEnabled"}, source: "internal/service/s3/bucket.go"},
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
		keys: []string{"bucket"}, source: "internal/service/s3/bucket_public_access_block.go",
	},
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
		keys: []string{"bucket"}, source: "internal/service/s3/bucket_ownership_controls.go",
	},
	"aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
		keys: []string{"bucket", "expectedBucketOwner"}, source: "internal/service/s3/bucket_server_side_encryption_configuration.go",
	},
	"aws:s3/bucketVersioning:BucketVersioning": {
		keys: []string{"bucket", "expectedBucketOwner"}, source: "internal/service/s3/bucket_versioning.go",
	},
	"aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
		keys: []string{"bucket", "expectedBucketOwner"}, source: "internal/service/s3/bucket_lifecycle_configuration.go",
	},
	"aws:s3/bucketPolicy:BucketPolicy": {keys: []string{"bucket"}, source: "internal/service/s3/bucket_policy.go"},
	"aws:ecr/repository:Repository":    {keys: []string{"name", "encryptionConfigurations"}, source: "internal/service/ecr/repository.go"},
	"aws:ecr/lifecyclePolicy:LifecyclePolicy": {
		keys: []string{"repository", "policy"}, source: "internal/service/ecr/lifecycle_policy.go (no update: both ForceNew)",
	},
	"aws:appautoscaling/target:Target": {
		keys: []string{"resourceId", "scalableDimension", "serviceNamespace"}, source: "internal/service/appautoscaling/target.go",
	},
	"aws:appautoscaling/policy:Policy": {
		keys: []string{"name", "resourceId", "scalableDimension", "serviceNamespace"}, source: "internal/service/appautoscaling/policy.go",
	},
	"aws:ec2/vpc:Vpc": {keys: []string{"cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"}, source: "internal/service/ec2/vpc_.go"},
	"aws:ec2/subnet:Subnet": {
		keys: []string{"vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "outpostArn"}, source: "internal/service/ec2/vpc_subnet.go",
	},
	"aws:ec2/routeTable:RouteTable": {keys: []string{"vpcId"}, source: "internal/service/ec2/vpc_route_table.go"},
	"aws:ec2/routeTableAssociation:RouteTableAssociation": {
		keys: []string{"subnetId", "gatewayId"}, source: "internal/service/ec2/vpc_route_table_association.go",
	},
	"aws:ec2/route:Route": {
		keys:   []string{"routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"},
		source: "internal/service/ec2/vpc_route.go",
	},
	"aws:ec2/eip:Eip": {
		keys: []string{"domain", "address", "publicIpv4Pool", "networkBorderGroup", "customerOwnedIpv4Pool"}, source: "internal/service/ec2/ec2_eip.go",
	},
	"aws:ec2/natGateway:NatGateway": {
		keys: []string{"allocationId", "subnetId", "connectivityType", "privateIp"}, source: "internal/service/ec2/vpc_nat_gateway.go",
	},
	"aws:ec2/vpcEndpoint:VpcEndpoint": {
		keys: []string{"vpcId", "serviceName", "vpcEndpointType", "serviceRegion"}, source: "internal/service/ec2/vpc_endpoint.go",
	},
	"aws:ec2/launchTemplate:LaunchTemplate": {keys: []string{"name", "namePrefix"}, source: "internal/service/ec2/ec2_launch_template.go"},
	"aws:autoscaling/group:Group":           {keys: []string{"name", "namePrefix"}, source: "internal/service/autoscaling/group.go"},
	"aws:acm/certificate:Certificate": {
		keys: []string{"domainName", "subjectAlternativeNames", "keyAlgorithm", "certificateAuthorityArn"}, source: "internal/service/acm/certificate.go",
	},
	"aws:acm/certificateValidation:CertificateValidation": {
		keys: []string{"certificateArn", "validationRecordFqdns"}, source: "internal/service/acm/certificate_validation.go",
	},
	"aws:route53/record:Record":        {keys: []string{"name", "zoneId"}, source: "internal/service/route53/record.go"},
	"aws:lb/listenerRule:ListenerRule": {keys: []string{"listenerArn"}, source: "internal/service/elbv2/listener_rule.go"},
	"aws:ec2/networkInterface:NetworkInterface": {
		keys: []string{"subnetId", "interfaceType"}, source: "internal/service/ec2/vpc_network_interface.go (security groups, IPs, source_dest_check update in place)",
	},
	"aws:kms/key:Key": {
		keys:   []string{"customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"},
		source: "internal/service/kms/key.go (policy, description, rotation, deletion window update in place)",
	},
	"aws:kms/alias:Alias": {keys: []string{"name", "namePrefix"}, source: "internal/service/kms/alias.go (target_key_id updates in place)"},
	"aws:sns/topic:Topic": {
		keys: []string{"name", "namePrefix", "fifoTopic"}, source: "internal/service/sns/topic.go (kms_master_key_id, policy, ... update in place)",
	},
	"aws:sns/topicPolicy:TopicPolicy": {keys: []string{"arn"}, source: "internal/service/sns/topic_policy.go"},
	"aws:sns/topicSubscription:TopicSubscription": {
		keys:   []string{"topic", "protocol", "endpoint", "endpointAutoConfirms", "confirmationTimeoutInMinutes"},
		source: "internal/service/sns/topic_subscription.go (topic_arn, protocol, endpoint; the confirmation settings are create-only)",
	},
	"aws:cloudwatch/metricAlarm:MetricAlarm": {keys: []string{"name"}, source: "internal/service/cloudwatch/metric_alarm.go (read): alarm_name"},
	"aws:cloudwatch/dashboard:Dashboard":     {keys: []string{"dashboardName"}, source: "internal/service/cloudwatch/dashboard.go"},
	// aws:cloudwatch/queryDefinition:QueryDefinition: none; PutQueryDefinition with the id updates it in place.
	"aws:cloudwatch/eventRule:EventRule": {
		keys: []string{"name", "namePrefix", "eventBusName"}, source: "internal/service/events/rule.go",
	},
	"aws:cloudwatch/eventTarget:EventTarget": {
		keys: []string{"rule", "targetId", "eventBusName"}, source: "internal/service/events/target.go",
	},
}

// taggable lists the types with `tags` and a computed `tagsAll` (the provider's default tags merged in).
var taggable = map[string]bool{
	"aws:ec2/vpc:Vpc": true, "aws:ec2/subnet:Subnet": true, "aws:ec2/internetGateway:InternetGateway": true,
	"aws:ec2/routeTable:RouteTable": true, "aws:ec2/eip:Eip": true, "aws:ec2/natGateway:NatGateway": true,
	"aws:ec2/vpcEndpoint:VpcEndpoint": true, "aws:ec2/securityGroup:SecurityGroup": true,
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": true, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": true,
	"aws:ecs/cluster:Cluster": true, "aws:ecs/service:Service": true, "aws:ecs/taskDefinition:TaskDefinition": true,
	"aws:ecs/capacityProvider:CapacityProvider": true, "aws:s3/bucket:Bucket": true, "aws:ecr/repository:Repository": true,
	"aws:cloudwatch/logGroup:LogGroup": true, "aws:iam/role:Role": true, "aws:iam/instanceProfile:InstanceProfile": true,
	"aws:lb/loadBalancer:LoadBalancer": true, "aws:lb/targetGroup:TargetGroup": true, "aws:lb/listener:Listener": true,
	"aws:acm/certificate:Certificate": true, "aws:ec2/launchTemplate:LaunchTemplate": true, "aws:appautoscaling/target:Target": true,
	"aws:appautoscaling/policy:Policy": false,
	"aws:lb/listenerRule:ListenerRule": true, "aws:ec2/networkInterface:NetworkInterface": true, "aws:kms/key:Key": true,
	"aws:sns/topic:Topic": true, "aws:cloudwatch/metricAlarm:MetricAlarm": true, "aws:cloudwatch/eventRule:EventRule": true,
	"aws:autoscaling/group:Group": false, // its tags are a list of {key, value, propagateAtLaunch}, no tagsAll
}
