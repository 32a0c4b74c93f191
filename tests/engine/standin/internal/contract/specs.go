package contract

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// APIVersions is the botocore API version of each service the contract reads: the newest one
// botocore ships, which the provider's AWS SDK for Go v2 clients speak.
var APIVersions = map[string]string{
	"acm": "2015-12-08", "application-autoscaling": "2016-02-06", "autoscaling": "2011-01-01",
	"cloudwatch": "2010-08-01", "ec2": "2016-11-15", "ecr": "2015-09-21", "ecs": "2014-11-13",
	"elbv2": "2015-12-01", "events": "2015-10-07", "iam": "2010-05-08", "kms": "2014-11-01",
	"logs": "2014-03-28", "route53": "2013-04-01", "s3": "2006-03-01", "sns": "2010-03-31",
	"wafv2": "2019-07-29",
}

// same maps inputs to the members of the same name (the walker matches names ignoring case).
func same(keys ...string) []Pair {
	out := make([]Pair, len(keys))
	for i, k := range keys {
		out[i] = Pair{k, k}
	}
	return out
}

func pairs(groups ...[]Pair) []Pair {
	var out []Pair
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// fromJSON decodes a JSON string input (a policy, container definitions); unknown stays unknown.
func fromJSON(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	var out any
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return fmt.Sprintf("<invalid JSON: %v>", err)
	}
	return out
}

// nameValues turns a map input ({"LoadBalancer": "app/…"}) into the API's [{Name, Value}] list.
func nameValues(v any, name, value string) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := []any{}
	for _, k := range keys {
		out = append(out, map[string]any{name: k, value: m[k]})
	}
	return out
}

// attributes builds an ELB attribute list ([{Key, Value}]) from inputs, by attribute key.
func attributes(c *Context, keys [][2]string) []any {
	var out []any
	for _, kv := range keys {
		if v := lookup(c.Inputs, kv[0]); v != nil {
			out = append(out, map[string]any{"Key": kv[1], "Value": v})
		}
	}
	return out
}

// lbAttributes: internal/service/elbv2/load_balancer.go, loadBalancerAttributes (read).
var lbAttributes = [][2]string{
	{"accessLogs.bucket", "access_logs.s3.bucket"}, {"accessLogs.enabled", "access_logs.s3.enabled"},
	{"accessLogs.prefix", "access_logs.s3.prefix"}, {"connectionLogs.bucket", "connection_logs.s3.bucket"},
	{"connectionLogs.enabled", "connection_logs.s3.enabled"}, {"connectionLogs.prefix", "connection_logs.s3.prefix"},
	{"idleTimeout", "idle_timeout.timeout_seconds"}, {"enableDeletionProtection", "deletion_protection.enabled"},
	{"dropInvalidHeaderFields", "routing.http.drop_invalid_header_fields.enabled"}, {"enableHttp2", "routing.http2.enabled"},
	{"desyncMitigationMode", "routing.http.desync_mitigation_mode"}, {"clientKeepAlive", "client_keep_alive.seconds"},
	{"preserveHostHeader", "routing.http.preserve_host_header.enabled"}, {"enableWafFailOpen", "waf.fail_open.enabled"},
	{"xffHeaderProcessingMode", "routing.http.xff_header_processing.mode"}, {"enableXffClientPort", "routing.http.xff_client_port.enabled"},
	{"enableTlsVersionAndCipherSuiteHeaders", "routing.http.x_amzn_tls_version_and_cipher_suite.enabled"},
	{"enableCrossZoneLoadBalancing", "load_balancing.cross_zone.enabled"}, {"enableZonalShift", "zonal_shift.config.enabled"},
}

// attributeInputs lists the top-level inputs an attribute table reads.
func attributeInputs(table [][2]string) []string {
	var out []string
	for _, kv := range table {
		top, _, _ := strings.Cut(kv[0], ".")
		if !containsString(out, top) {
			out = append(out, top)
		}
	}
	return out
}

// tgAttributes: internal/service/elbv2/target_group.go, targetGroupAttributes (read).
var tgAttributes = [][2]string{
	{"deregistrationDelay", "deregistration_delay.timeout_seconds"}, {"slowStart", "slow_start.duration_seconds"},
	{"loadBalancingAlgorithmType", "load_balancing.algorithm.type"}, {"loadBalancingAnomalyMitigation", "load_balancing.algorithm.anomaly_mitigation"},
	{"loadBalancingCrossZoneEnabled", "load_balancing.cross_zone.enabled"}, {"stickiness.enabled", "stickiness.enabled"},
	{"stickiness.type", "stickiness.type"}, {"stickiness.cookieDuration", "stickiness.lb_cookie.duration_seconds"},
	{"preserveClientIp", "preserve_client_ip.enabled"}, {"proxyProtocolV2", "proxy_protocol_v2.enabled"},
	{"connectionTermination", "deregistration_delay.connection_termination.enabled"},
}

// healthCheck: the target group's health_check block, flattened into CreateTargetGroup's members.
var healthCheck = []Pair{
	{"healthCheck.enabled", "HealthCheckEnabled"}, {"healthCheck.path", "HealthCheckPath"},
	{"healthCheck.port", "HealthCheckPort"}, {"healthCheck.protocol", "HealthCheckProtocol"},
	{"healthCheck.interval", "HealthCheckIntervalSeconds"}, {"healthCheck.timeout", "HealthCheckTimeoutSeconds"},
	{"healthCheck.healthyThreshold", "HealthyThresholdCount"}, {"healthCheck.unhealthyThreshold", "UnhealthyThresholdCount"},
	{"healthCheck.matcher", "Matcher.HttpCode"},
}

// sgRule builds IpPermissions from an aws.vpc.SecurityGroup{Ingress,Egress}Rule:
// internal/service/ec2/vpc_security_group_ingress_rule.go, expandIPPermission (read): one
// permission, its source in the one list its kind names, the description beside it.
func sgRule(c *Context, req map[string]any) {
	perm := map[string]any{"IpProtocol": c.Inputs["ipProtocol"]}
	if p := c.Inputs["ipProtocol"]; p != "-1" && p != "all" {
		perm["FromPort"], perm["ToPort"] = c.Inputs["fromPort"], c.Inputs["toPort"]
	}
	with := func(list, key string, value any) {
		entry := map[string]any{key: value}
		if d := c.Inputs["description"]; d != nil {
			entry["Description"] = d
		}
		perm[list] = []any{entry}
	}
	switch {
	case c.Inputs["cidrIpv4"] != nil:
		with("IpRanges", "CidrIp", c.Inputs["cidrIpv4"])
	case c.Inputs["cidrIpv6"] != nil:
		with("Ipv6Ranges", "CidrIpv6", c.Inputs["cidrIpv6"])
	case c.Inputs["prefixListId"] != nil:
		with("PrefixListIds", "PrefixListId", c.Inputs["prefixListId"])
	case c.Inputs["referencedSecurityGroupId"] != nil:
		with("UserIdGroupPairs", "GroupId", c.Inputs["referencedSecurityGroupId"])
	}
	req["IpPermissions"] = []any{perm}
}

var sgRuleInputs = []string{"ipProtocol", "fromPort", "toPort", "cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId", "description"}

// sgRuleUpdate: the same rule through ModifySecurityGroupRules (vpc_security_group_ingress_rule.go, Update).
var sgRuleUpdate = Request{API: "ec2:ModifySecurityGroupRules", On: OnUpdate, Map: pairs(
	[]Pair{{"securityGroupId", "GroupId"}, {"@id", "SecurityGroupRules[0].SecurityGroupRuleId"},
		{"ipProtocol", "SecurityGroupRules[0].SecurityGroupRule.IpProtocol"}, {"fromPort", "SecurityGroupRules[0].SecurityGroupRule.FromPort"},
		{"toPort", "SecurityGroupRules[0].SecurityGroupRule.ToPort"}, {"cidrIpv4", "SecurityGroupRules[0].SecurityGroupRule.CidrIpv4"},
		{"cidrIpv6", "SecurityGroupRules[0].SecurityGroupRule.CidrIpv6"}, {"prefixListId", "SecurityGroupRules[0].SecurityGroupRule.PrefixListId"},
		{"referencedSecurityGroupId", "SecurityGroupRules[0].SecurityGroupRule.ReferencedGroupId"},
		{"description", "SecurityGroupRules[0].SecurityGroupRule.Description"}})}

// serviceBody: aws.ecs.Service's inputs as CreateService/UpdateService members
// (internal/service/ecs/service.go, resourceServiceCreate/Update, read).
func serviceBody(c *Context, req map[string]any) {
	if nc, ok := c.Inputs["networkConfiguration"].(map[string]any); ok {
		vpc := map[string]any{"subnets": nc["subnets"], "securityGroups": nc["securityGroups"]}
		switch nc["assignPublicIp"] {
		case true:
			vpc["assignPublicIp"] = "ENABLED"
		case false:
			vpc["assignPublicIp"] = "DISABLED"
		}
		req["networkConfiguration"] = map[string]any{"awsvpcConfiguration": vpc}
	}
}

var serviceShared = pairs(same("cluster", "taskDefinition", "desiredCount", "platformVersion", "loadBalancers", "serviceRegistries",
	"healthCheckGracePeriodSeconds", "enableExecuteCommand", "enableEcsManagedTags", "propagateTags", "placementConstraints",
	"availabilityZoneRebalancing", "serviceConnectConfiguration", "vpcLatticeConfigurations", "deploymentController"),
	[]Pair{{"capacityProviderStrategies", "capacityProviderStrategy"}, {"orderedPlacementStrategies", "placementStrategy"},
		{"deploymentConfiguration", "deploymentConfiguration"},
		{"deploymentMaximumPercent", "deploymentConfiguration.maximumPercent"},
		{"deploymentMinimumHealthyPercent", "deploymentConfiguration.minimumHealthyPercent"},
		{"deploymentCircuitBreaker", "deploymentConfiguration.deploymentCircuitBreaker"},
		{"alarms", "deploymentConfiguration.alarms"},
		{"volumeConfiguration", "volumeConfigurations"}})

// listenerActions are shared by listeners' default actions and rules' actions (elbv2/listener.go, expandLbListenerActions).
var listenerAliases = map[string]string{
	"Action.forward": "ForwardConfig", "Action.redirect": "RedirectConfig", "Action.fixedResponse": "FixedResponseConfig",
	"Action.authenticateOidc": "AuthenticateOidcConfig", "Action.authenticateCognito": "AuthenticateCognitoConfig",
	"TargetGroupTuple.arn": "TargetGroupArn", "ForwardActionConfig.stickiness": "TargetGroupStickinessConfig",
	"TargetGroupStickinessConfig.duration": "DurationSeconds",
}

// ruleConditions: elbv2/listener_rule.go, expandRuleConditions (read): each condition block
// names its field.
func ruleConditions(c *Context, req map[string]any) {
	conds, ok := c.Inputs["conditions"].([]any)
	if !ok {
		return
	}
	fields := []struct{ input, field, config string }{
		{"hostHeader", "host-header", "HostHeaderConfig"}, {"pathPattern", "path-pattern", "PathPatternConfig"},
		{"httpHeader", "http-header", "HttpHeaderConfig"}, {"httpRequestMethod", "http-request-method", "HttpRequestMethodConfig"},
		{"sourceIp", "source-ip", "SourceIpConfig"},
	}
	var out []any
	for _, raw := range conds {
		cond, ok := raw.(map[string]any)
		if !ok {
			out = append(out, raw)
			continue
		}
		rc := map[string]any{}
		for _, f := range fields {
			if v := cond[f.input]; v != nil {
				rc["Field"], rc[f.config] = f.field, v
			}
		}
		if qs := cond["queryStrings"]; qs != nil {
			rc["Field"], rc["QueryStringConfig"] = "query-string", map[string]any{"Values": qs}
		}
		out = append(out, rc)
	}
	req["Conditions"] = out
}

// metricQueries: cloudwatch/metric_alarm.go, expandMetricAlarmMetrics (read).
func metricAlarm(c *Context, req map[string]any) {
	if d := c.Inputs["dimensions"]; d != nil {
		req["Dimensions"] = nameValues(d, "Name", "Value")
	}
	qs, ok := c.Inputs["metricQueries"].([]any)
	if !ok {
		return
	}
	var out []any
	for _, raw := range qs {
		q, ok := raw.(map[string]any)
		if !ok {
			out = append(out, raw)
			continue
		}
		m := map[string]any{}
		for _, k := range []string{"id", "expression", "label", "returnData", "period", "accountId"} {
			if q[k] != nil {
				m[k] = q[k]
			}
		}
		if mt, ok := q["metric"].(map[string]any); ok {
			metric := map[string]any{"Namespace": mt["namespace"], "MetricName": mt["metricName"]}
			if mt["dimensions"] != nil {
				metric["Dimensions"] = nameValues(mt["dimensions"], "Name", "Value")
			}
			m["MetricStat"] = map[string]any{"Metric": metric, "Period": mt["period"], "Stat": mt["stat"], "Unit": mt["unit"]}
		}
		out = append(out, m)
	}
	req["Metrics"] = out
}

// topicAttributes: sns/topic.go, topicAttributeMap (read): inputs that CreateTopic sends as Attributes.
var topicAttributes = map[string]string{
	"kmsMasterKeyId": "KmsMasterKeyId", "displayName": "DisplayName", "policy": "Policy", "deliveryPolicy": "DeliveryPolicy",
	"fifoTopic": "FifoTopic", "contentBasedDeduplication": "ContentBasedDeduplication", "signatureVersion": "SignatureVersion",
	"tracingConfig": "TracingConfig", "archivePolicy": "ArchivePolicy", "fifoThroughputScope": "FifoThroughputScope",
}

func topicAttributeInputs() []string {
	var out []string
	for k := range topicAttributes {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func topicCreate(c *Context, req map[string]any) {
	attrs := map[string]any{}
	for in, name := range topicAttributes {
		if v := c.Inputs[in]; v != nil {
			attrs[name] = v
		}
	}
	if len(attrs) > 0 {
		req["Attributes"] = attrs
	}
}

// recordChange: route53/record.go, expandResourceRecordSet (read): one change, UPSERT when
// allow_overwrite, records as {Value}, the alias as AliasTarget.
func recordChange(c *Context, req map[string]any) {
	action := "CREATE"
	if c.Inputs["allowOverwrite"] == true || c.Update {
		action = "UPSERT"
	}
	set := map[string]any{"Name": c.Inputs["name"], "Type": c.Inputs["type"], "TTL": c.Inputs["ttl"], "SetIdentifier": c.Inputs["setIdentifier"]}
	for k, member := range map[string]string{"records": "ResourceRecords", "aliases": "AliasTarget"} {
		if _, unknown := c.Inputs[k].(Unknown); unknown {
			set[member] = Unknown{}
		}
	}
	if rs, ok := c.Inputs["records"].([]any); ok {
		var values []any
		for _, r := range rs {
			values = append(values, map[string]any{"Value": r})
		}
		set["ResourceRecords"] = values
	}
	if as, ok := c.Inputs["aliases"].([]any); ok && len(as) > 0 {
		if a, ok := as[0].(map[string]any); ok {
			set["AliasTarget"] = map[string]any{"DNSName": a["name"], "HostedZoneId": a["zoneId"], "EvaluateTargetHealth": a["evaluateTargetHealth"]}
		}
	}
	req["ChangeBatch"] = map[string]any{"Changes": []any{map[string]any{"Action": action, "ResourceRecordSet": set}}}
}

// launchTemplateData: ec2/ec2_launch_template.go, expandRequestLaunchTemplateData (read).
var launchTemplateData = func() []Pair {
	var out []Pair
	for _, k := range []string{"blockDeviceMappings", "creditSpecification", "iamInstanceProfile", "imageId", "instanceType",
		"metadataOptions", "monitoring", "networkInterfaces", "userData", "keyName", "ebsOptimized", "cpuOptions",
		"instanceMarketOptions", "placement", "instanceRequirements", "privateDnsNameOptions", "maintenanceOptions",
		"disableApiStop", "disableApiTermination", "instanceInitiatedShutdownBehavior", "tagSpecifications"} {
		out = append(out, Pair{k, "LaunchTemplateData." + k})
	}
	return append(out, Pair{"vpcSecurityGroupIds", "LaunchTemplateData.SecurityGroupIds"}, Pair{"securityGroupNames", "LaunchTemplateData.SecurityGroups"})
}()

var asgShared = pairs([]Pair{{"@name", "AutoScalingGroupName"}, {"minSize", "MinSize"}, {"maxSize", "MaxSize"},
	{"desiredCapacity", "DesiredCapacity"}, {"defaultCooldown", "DefaultCooldown"}, {"healthCheckType", "HealthCheckType"},
	{"healthCheckGracePeriod", "HealthCheckGracePeriod"}, {"launchTemplate", "LaunchTemplate"}, {"mixedInstancesPolicy", "MixedInstancesPolicy"},
	{"protectFromScaleIn", "NewInstancesProtectedFromScaleIn"}, {"capacityRebalance", "CapacityRebalance"},
	{"defaultInstanceWarmup", "DefaultInstanceWarmup"}, {"maxInstanceLifetime", "MaxInstanceLifetime"},
	{"terminationPolicies", "TerminationPolicies"}, {"serviceLinkedRoleArn", "ServiceLinkedRoleARN"},
	{"instanceMaintenancePolicy", "InstanceMaintenancePolicy"}, {"availabilityZones", "AvailabilityZones"}})

func asgZones(c *Context, req map[string]any) {
	if zs, ok := c.Inputs["vpcZoneIdentifiers"].([]any); ok {
		var ids []string
		for _, z := range zs {
			s, ok := z.(string)
			if !ok {
				req["VPCZoneIdentifier"] = Unknown{}
				return
			}
			ids = append(ids, s)
		}
		req["VPCZoneIdentifier"] = strings.Join(ids, ",") // autoscaling/group.go: strings.Join(…, ",")
	}
}

// Specs is the contract of every AWS type the program declares under any config, and of the
// children the awsx Vpc stand-in registers.
var Specs = map[string]Spec{
	// EC2 (and VPC): internal/service/ec2/*.go.
	"aws:ec2/securityGroup:SecurityGroup": {
		Name: "name", Prefix: "namePrefix", Source: "internal/service/ec2/vpc_security_group.go",
		Requests: []Request{{API: "ec2:CreateSecurityGroup", On: OnCreate,
			Map: []Pair{{"@name", "GroupName"}, {"description", "Description"}, {"vpcId", "VpcId"}}}},
		Provider: map[string]string{"revokeRulesOnDelete": "the provider revokes the rules before deleting the group"},
	},
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
		Source: "internal/service/ec2/vpc_security_group_ingress_rule.go",
		Requests: []Request{
			{API: "ec2:AuthorizeSecurityGroupIngress", On: OnCreate, Map: []Pair{{"securityGroupId", "GroupId"}}, Build: sgRule, Uses: sgRuleInputs},
			sgRuleUpdate,
		},
	},
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
		Source: "internal/service/ec2/vpc_security_group_egress_rule.go",
		Requests: []Request{
			{API: "ec2:AuthorizeSecurityGroupEgress", On: OnCreate, Map: []Pair{{"securityGroupId", "GroupId"}}, Build: sgRule, Uses: sgRuleInputs},
			sgRuleUpdate,
		},
	},
	"aws:ec2/networkInterface:NetworkInterface": {
		Source: "internal/service/ec2/vpc_network_interface.go",
		Requests: []Request{
			{API: "ec2:CreateNetworkInterface", On: OnCreate, Map: pairs(same("subnetId", "description", "interfaceType", "ipv6AddressCount"),
				[]Pair{{"securityGroups", "Groups"}, {"privateIp", "PrivateIpAddress"}, {"privateIpsCount", "SecondaryPrivateIpAddressCount"}})},
			{API: "ec2:ModifyNetworkInterfaceAttribute", If: "sourceDestCheck", Map: []Pair{{"@id", "NetworkInterfaceId"}, {"sourceDestCheck", "SourceDestCheck.Value"}}},
			{API: "ec2:ModifyNetworkInterfaceAttribute", On: OnUpdate, Map: []Pair{{"@id", "NetworkInterfaceId"}, {"description", "Description.Value"}}},
			{API: "ec2:ModifyNetworkInterfaceAttribute", On: OnUpdate, Map: []Pair{{"@id", "NetworkInterfaceId"}, {"securityGroups", "Groups"}}},
		},
	},
	"aws:ec2/launchTemplate:LaunchTemplate": {
		Name: "name", Prefix: "namePrefix", Source: "internal/service/ec2/ec2_launch_template.go",
		Aliases: map[string]string{"LaunchTemplateInstanceNetworkInterfaceSpecificationRequest.securityGroups": "Groups"},
		Requests: []Request{
			{API: "ec2:CreateLaunchTemplate", On: OnCreate, Map: pairs([]Pair{{"@name", "LaunchTemplateName"}, {"description", "VersionDescription"}}, launchTemplateData)},
			{API: "ec2:CreateLaunchTemplateVersion", On: OnUpdate, Map: pairs([]Pair{{"@id", "LaunchTemplateId"}, {"description", "VersionDescription"}}, launchTemplateData)},
		},
		Provider: map[string]string{"updateDefaultVersion": "ModifyLaunchTemplate with the new version number", "defaultVersion": "ModifyLaunchTemplate DefaultVersion (a number)"},
	},
	"aws:ec2/route:Route": {
		Source: "internal/service/ec2/vpc_route.go",
		Requests: []Request{
			{API: "ec2:CreateRoute", On: OnCreate, Map: routeTargets},
			{API: "ec2:ReplaceRoute", On: OnUpdate, Map: routeTargets},
		},
	},
	"aws:ec2/vpcEndpoint:VpcEndpoint": {
		Source: "internal/service/ec2/vpc_endpoint.go",
		Requests: []Request{
			{API: "ec2:CreateVpcEndpoint", On: OnCreate, Map: pairs(same("vpcId", "serviceName", "vpcEndpointType", "subnetIds",
				"securityGroupIds", "privateDnsEnabled", "routeTableIds", "ipAddressType", "serviceRegion", "dnsOptions"), []Pair{{"policy", "PolicyDocument"}})},
			{API: "ec2:ModifyVpcEndpoint", On: OnUpdate, Map: pairs([]Pair{{"@id", "VpcEndpointId"}, {"policy", "PolicyDocument"},
				{"subnetIds", "AddSubnetIds"}, {"securityGroupIds", "AddSecurityGroupIds"}, {"routeTableIds", "AddRouteTableIds"}}, same("privateDnsEnabled", "ipAddressType", "dnsOptions"))},
		},
		Provider: map[string]string{"autoAccept": "AcceptVpcEndpointConnections, for endpoints of this account's own services"},
	},
	// The awsx Vpc stand-in's children (tests/engine/standin/internal/standin/awsx.go).
	"aws:ec2/vpc:Vpc": {
		Source: "internal/service/ec2/vpc_.go",
		Requests: []Request{
			{API: "ec2:CreateVpc", On: OnCreate, Map: same("cidrBlock", "instanceTenancy", "ipv4IpamPoolId", "ipv4NetmaskLength")},
			// ModifyVpcAttribute takes one attribute per call.
			{API: "ec2:ModifyVpcAttribute", If: "enableDnsSupport", Map: []Pair{{"@id", "VpcId"}, {"enableDnsSupport", "EnableDnsSupport.Value"}}},
			{API: "ec2:ModifyVpcAttribute", If: "enableDnsHostnames", Map: []Pair{{"@id", "VpcId"}, {"enableDnsHostnames", "EnableDnsHostnames.Value"}}},
		},
	},
	"aws:ec2/internetGateway:InternetGateway": {
		Source: "internal/service/ec2/vpc_internet_gateway.go",
		Requests: []Request{
			{API: "ec2:CreateInternetGateway", On: OnCreate},
			{API: "ec2:AttachInternetGateway", If: "vpcId", Map: []Pair{{"@id", "InternetGatewayId"}, {"vpcId", "VpcId"}}},
		},
	},
	"aws:ec2/subnet:Subnet": {
		Source: "internal/service/ec2/vpc_subnet.go",
		Requests: []Request{
			{API: "ec2:CreateSubnet", On: OnCreate, Map: same("vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "ipv6CidrBlock")},
			{API: "ec2:ModifySubnetAttribute", If: "mapPublicIpOnLaunch", Map: []Pair{{"@id", "SubnetId"}, {"mapPublicIpOnLaunch", "MapPublicIpOnLaunch.Value"}}},
		},
	},
	"aws:ec2/routeTable:RouteTable": {
		Source:   "internal/service/ec2/vpc_route_table.go",
		Requests: []Request{{API: "ec2:CreateRouteTable", On: OnCreate, Map: same("vpcId")}},
	},
	"aws:ec2/routeTableAssociation:RouteTableAssociation": {
		Source: "internal/service/ec2/vpc_route_table_association.go",
		Requests: []Request{
			{API: "ec2:AssociateRouteTable", On: OnCreate, Map: same("routeTableId", "subnetId", "gatewayId")},
			{API: "ec2:ReplaceRouteTableAssociation", On: OnUpdate, Map: []Pair{{"@id", "AssociationId"}, {"routeTableId", "RouteTableId"}}},
		},
	},
	"aws:ec2/eip:Eip": {
		Source:   "internal/service/ec2/ec2_eip.go",
		Requests: []Request{{API: "ec2:AllocateAddress", On: OnCreate, Map: same("domain", "address", "publicIpv4Pool", "networkBorderGroup", "customerOwnedIpv4Pool", "ipamPoolId")}},
	},
	"aws:ec2/natGateway:NatGateway": {
		Source: "internal/service/ec2/vpc_nat_gateway.go",
		Requests: []Request{{API: "ec2:CreateNatGateway", On: OnCreate, Map: pairs(same("subnetId", "allocationId", "connectivityType", "secondaryAllocationIds"),
			[]Pair{{"privateIp", "PrivateIpAddress"}})}},
	},

	// ECS: internal/service/ecs/*.go.
	"aws:ecs/cluster:Cluster": {
		Name: "name", Source: "internal/service/ecs/cluster.go",
		Requests: []Request{
			{API: "ecs:CreateCluster", On: OnCreate, Map: pairs([]Pair{{"@name", "clusterName"}}, same("settings", "configuration", "serviceConnectDefaults"))},
			{API: "ecs:UpdateCluster", On: OnUpdate, Map: pairs([]Pair{{"@name", "cluster"}}, same("settings", "configuration", "serviceConnectDefaults"))},
		},
	},
	"aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": {
		Source: "internal/service/ecs/cluster_capacity_providers.go",
		Requests: []Request{{API: "ecs:PutClusterCapacityProviders", Map: []Pair{{"clusterName", "cluster"}, {"capacityProviders", "capacityProviders"},
			{"defaultCapacityProviderStrategies", "defaultCapacityProviderStrategy"}}, Build: func(c *Context, req map[string]any) {
			// The API requires both lists; the provider sends empty ones when the inputs are left out.
			for _, k := range []string{"capacityProviders", "defaultCapacityProviderStrategy"} {
				if req[k] == nil {
					req[k] = []any{}
				}
			}
		}}},
	},
	"aws:ecs/capacityProvider:CapacityProvider": {
		Name: "name", Source: "internal/service/ecs/capacity_provider.go",
		Requests: []Request{
			{API: "ecs:CreateCapacityProvider", On: OnCreate, Map: pairs([]Pair{{"@name", "name"}}, same("autoScalingGroupProvider", "cluster", "managedInstancesProvider"))},
			{API: "ecs:UpdateCapacityProvider", On: OnUpdate, Map: []Pair{{"@name", "name"}}, Uses: []string{"autoScalingGroupProvider"},
				Build: func(c *Context, req map[string]any) {
					// AutoScalingGroupProviderUpdate has no autoScalingGroupArn (ForceNew).
					if p, ok := c.Inputs["autoScalingGroupProvider"].(map[string]any); ok {
						update := map[string]any{}
						for k, v := range p {
							if k != "autoScalingGroupArn" {
								update[k] = v
							}
						}
						req["autoScalingGroupProvider"] = update
					}
				}},
		},
	},
	"aws:ecs/taskDefinition:TaskDefinition": {
		Source: "internal/service/ecs/task_definition.go",
		Requests: []Request{{API: "ecs:RegisterTaskDefinition", On: OnCreate,
			Map: pairs(same("family", "taskRoleArn", "executionRoleArn", "networkMode", "requiresCompatibilities", "cpu", "memory",
				"runtimePlatform", "volumes", "ephemeralStorage", "pidMode", "ipcMode", "placementConstraints", "proxyConfiguration",
				"inferenceAccelerators", "enableFaultInjection")),
			Uses: []string{"containerDefinitions"},
			Build: func(c *Context, req map[string]any) {
				// container_definitions is a JSON string the provider decodes into the API's list.
				req["containerDefinitions"] = fromJSON(c.Inputs["containerDefinitions"])
			}}},
		Provider: map[string]string{"skipDestroy": "keeps the revision on delete", "trackLatest": "reads the latest revision"},
	},
	"aws:ecs/service:Service": {
		Name: "name", Source: "internal/service/ecs/service.go",
		Requests: []Request{
			{API: "ecs:CreateService", On: OnCreate, Map: pairs([]Pair{{"@name", "serviceName"}, {"iamRole", "role"}},
				serviceShared, same("launchType", "schedulingStrategy")), Build: serviceBody, Uses: []string{"networkConfiguration"}},
			{API: "ecs:UpdateService", On: OnUpdate, Map: pairs([]Pair{{"@name", "service"}}, serviceShared, same("forceNewDeployment")),
				Build: serviceBody, Uses: []string{"networkConfiguration"}},
		},
		Aliases: map[string]string{"LoadBalancer.elbName": "loadBalancerName"},
		Provider: map[string]string{
			"waitForSteadyState": "the provider waits for the service to be stable (rule ecs-steady-state-timeout)",
			"forceNewDeployment": "sent with UpdateService only", "triggers": "forces an update", "forceDelete": "DeleteService force",
			"sigintRollback": "the provider's own rollback on interrupt",
		},
	},

	// Elastic Load Balancing v2: internal/service/elbv2/*.go.
	"aws:lb/loadBalancer:LoadBalancer": {
		Name: "name", Prefix: "namePrefix", Source: "internal/service/elbv2/load_balancer.go",
		Requests: []Request{
			{API: "elbv2:CreateLoadBalancer", On: OnCreate, Map: pairs([]Pair{{"@name", "Name"}, {"loadBalancerType", "Type"}},
				same("subnets", "securityGroups", "ipAddressType", "subnetMappings", "customerOwnedIpv4Pool")),
				Uses: []string{"internal"}, Build: func(c *Context, req map[string]any) {
					switch c.Inputs["internal"] {
					case true:
						req["Scheme"] = "internal"
					case false:
						req["Scheme"] = "internet-facing"
					}
				}},
			{API: "elbv2:ModifyLoadBalancerAttributes", Map: []Pair{{"@id", "LoadBalancerArn"}}, Uses: attributeInputs(lbAttributes),
				Build: func(c *Context, req map[string]any) { req["Attributes"] = attributes(c, lbAttributes) }},
			{API: "elbv2:SetSecurityGroups", On: OnUpdate, Map: []Pair{{"@id", "LoadBalancerArn"}, {"securityGroups", "SecurityGroups"}}},
			{API: "elbv2:SetSubnets", On: OnUpdate, Map: []Pair{{"@id", "LoadBalancerArn"}, {"subnets", "Subnets"}}},
		},
	},
	"aws:lb/targetGroup:TargetGroup": {
		Name: "name", Prefix: "namePrefix", Source: "internal/service/elbv2/target_group.go",
		Requests: []Request{
			{API: "elbv2:CreateTargetGroup", On: OnCreate, Map: pairs([]Pair{{"@name", "Name"}},
				same("protocol", "protocolVersion", "port", "vpcId", "targetType", "ipAddressType"), healthCheck)},
			{API: "elbv2:ModifyTargetGroup", On: OnUpdate, Map: pairs([]Pair{{"@id", "TargetGroupArn"}}, healthCheck)},
			{API: "elbv2:ModifyTargetGroupAttributes", Map: []Pair{{"@id", "TargetGroupArn"}}, Uses: attributeInputs(tgAttributes),
				Build: func(c *Context, req map[string]any) { req["Attributes"] = attributes(c, tgAttributes) }},
		},
	},
	"aws:lb/listener:Listener": {
		Source: "internal/service/elbv2/listener.go", Aliases: listenerAliases,
		Requests: []Request{
			{API: "elbv2:CreateListener", On: OnCreate, Map: pairs(same("loadBalancerArn", "port", "protocol", "sslPolicy", "defaultActions"),
				[]Pair{{"certificateArn", "Certificates[0].CertificateArn"}, {"alpnPolicy", "AlpnPolicy[0]"}})},
			{API: "elbv2:ModifyListener", On: OnUpdate, Map: pairs([]Pair{{"@id", "ListenerArn"}}, same("port", "protocol", "sslPolicy", "defaultActions"),
				[]Pair{{"certificateArn", "Certificates[0].CertificateArn"}, {"alpnPolicy", "AlpnPolicy[0]"}})},
		},
	},
	"aws:lb/listenerRule:ListenerRule": {
		Source: "internal/service/elbv2/listener_rule.go", Aliases: listenerAliases,
		Requests: []Request{
			{API: "elbv2:CreateRule", On: OnCreate, Map: same("listenerArn", "priority", "actions"), Build: ruleConditions, Uses: []string{"conditions"}},
			{API: "elbv2:ModifyRule", On: OnUpdate, Map: pairs([]Pair{{"@id", "RuleArn"}}, same("actions")), Build: ruleConditions, Uses: []string{"conditions"}},
			{API: "elbv2:SetRulePriorities", On: OnUpdate, Map: []Pair{{"@id", "RulePriorities[0].RuleArn"}, {"priority", "RulePriorities[0].Priority"}}},
		},
	},

	// IAM: internal/service/iam/*.go.
	"aws:iam/role:Role": {
		Name: "name", Prefix: "namePrefix", Source: "internal/service/iam/role.go",
		Requests: []Request{
			{API: "iam:CreateRole", On: OnCreate, Map: pairs([]Pair{{"@name", "RoleName"}, {"assumeRolePolicy", "AssumeRolePolicyDocument"}},
				same("path", "description", "maxSessionDuration", "permissionsBoundary"))},
			{API: "iam:UpdateRole", On: OnUpdate, Map: pairs([]Pair{{"@name", "RoleName"}}, same("description", "maxSessionDuration"))},
			{API: "iam:UpdateAssumeRolePolicy", On: OnUpdate, Map: []Pair{{"@name", "RoleName"}, {"assumeRolePolicy", "PolicyDocument"}}},
		},
		Provider: map[string]string{"forceDetachPolicies": "detaches policies before deleting the role"},
	},
	"aws:iam/rolePolicy:RolePolicy": {
		Name: "name", Prefix: "namePrefix", Source: "internal/service/iam/role_policy.go",
		Requests: []Request{{API: "iam:PutRolePolicy", Map: []Pair{{"role", "RoleName"}, {"@name", "PolicyName"}, {"policy", "PolicyDocument"}}}},
	},
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
		Source:   "internal/service/iam/role_policy_attachment.go",
		Requests: []Request{{API: "iam:AttachRolePolicy", On: OnCreate, Map: []Pair{{"role", "RoleName"}, {"policyArn", "PolicyArn"}}}},
	},
	"aws:iam/instanceProfile:InstanceProfile": {
		Name: "name", Prefix: "namePrefix", Source: "internal/service/iam/instance_profile.go",
		Requests: []Request{
			{API: "iam:CreateInstanceProfile", On: OnCreate, Map: []Pair{{"@name", "InstanceProfileName"}, {"path", "Path"}}},
			{API: "iam:AddRoleToInstanceProfile", If: "role", Map: []Pair{{"@name", "InstanceProfileName"}, {"role", "RoleName"}}},
		},
	},

	// S3: internal/service/s3/*.go.
	"aws:s3/bucket:Bucket": {
		Name: "bucket", Prefix: "bucketPrefix", Lower: true, Source: "internal/service/s3/bucket.go",
		Requests: []Request{{API: "s3:CreateBucket", On: OnCreate, Map: []Pair{{"@name", "Bucket"}, {"objectLockEnabled", "ObjectLockEnabledForBucket"}}}},
		Provider: map[string]string{"forceDestroy": "the provider empties the bucket before deleting it"},
	},
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
		Source: "internal/service/s3/bucket_public_access_block.go",
		Requests: []Request{{API: "s3:PutPublicAccessBlock", Map: pairs([]Pair{{"bucket", "Bucket"}},
			[]Pair{{"blockPublicAcls", "PublicAccessBlockConfiguration.BlockPublicAcls"}, {"blockPublicPolicy", "PublicAccessBlockConfiguration.BlockPublicPolicy"},
				{"ignorePublicAcls", "PublicAccessBlockConfiguration.IgnorePublicAcls"}, {"restrictPublicBuckets", "PublicAccessBlockConfiguration.RestrictPublicBuckets"}})}},
		Provider: map[string]string{"skipDestroy": "leaves the block on delete"},
	},
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
		Source:   "internal/service/s3/bucket_ownership_controls.go",
		Requests: []Request{{API: "s3:PutBucketOwnershipControls", Map: []Pair{{"bucket", "Bucket"}, {"rule", "OwnershipControls.Rules[0]"}}}},
	},
	"aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
		Source: "internal/service/s3/bucket_server_side_encryption_configuration.go",
		Requests: []Request{{API: "s3:PutBucketEncryption", Map: []Pair{{"bucket", "Bucket"}, {"expectedBucketOwner", "ExpectedBucketOwner"},
			{"rules", "ServerSideEncryptionConfiguration.Rules"}}}},
	},
	"aws:s3/bucketVersioning:BucketVersioning": {
		Source: "internal/service/s3/bucket_versioning.go",
		Requests: []Request{{API: "s3:PutBucketVersioning", Map: []Pair{{"bucket", "Bucket"}, {"expectedBucketOwner", "ExpectedBucketOwner"},
			{"mfa", "MFA"}, {"versioningConfiguration", "VersioningConfiguration"}}}},
	},
	"aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
		Source: "internal/service/s3/bucket_lifecycle_configuration.go",
		Requests: []Request{{API: "s3:PutBucketLifecycleConfiguration", Map: []Pair{{"bucket", "Bucket"}, {"expectedBucketOwner", "ExpectedBucketOwner"},
			{"rules", "LifecycleConfiguration.Rules"}, {"transitionDefaultMinimumObjectSize", "TransitionDefaultMinimumObjectSize"}}}},
		Provider: map[string]string{"timeouts": "how long the provider waits for the configuration to propagate"},
	},
	"aws:s3/bucketPolicy:BucketPolicy": {
		Source:   "internal/service/s3/bucket_policy.go",
		Requests: []Request{{API: "s3:PutBucketPolicy", Map: []Pair{{"bucket", "Bucket"}, {"policy", "Policy"}}}},
	},

	// ECR: internal/service/ecr/*.go.
	"aws:ecr/repository:Repository": {
		Name: "name", Lower: true, Source: "internal/service/ecr/repository.go",
		Requests: []Request{
			{API: "ecr:CreateRepository", On: OnCreate, Map: pairs([]Pair{{"@name", "repositoryName"}, {"encryptionConfigurations", "encryptionConfiguration"}},
				same("imageTagMutability", "imageTagMutabilityExclusionFilters", "imageScanningConfiguration"))},
			{API: "ecr:PutImageTagMutability", On: OnUpdate, Map: pairs([]Pair{{"@name", "repositoryName"}}, same("imageTagMutability", "imageTagMutabilityExclusionFilters"))},
			{API: "ecr:PutImageScanningConfiguration", On: OnUpdate, If: "imageScanningConfiguration", Map: pairs([]Pair{{"@name", "repositoryName"}}, same("imageScanningConfiguration"))},
		},
		Provider: map[string]string{"forceDelete": "deletes the images with the repository"},
	},
	"aws:ecr/lifecyclePolicy:LifecyclePolicy": {
		Source:   "internal/service/ecr/lifecycle_policy.go",
		Requests: []Request{{API: "ecr:PutLifecyclePolicy", Map: []Pair{{"repository", "repositoryName"}, {"policy", "lifecyclePolicyText"}}}},
	},

	// CloudWatch Logs: internal/service/logs/*.go.
	"aws:cloudwatch/logGroup:LogGroup": {
		Name: "name", Prefix: "namePrefix", Source: "internal/service/logs/group.go",
		Requests: []Request{
			{API: "logs:CreateLogGroup", On: OnCreate, Map: pairs([]Pair{{"@name", "logGroupName"}}, same("kmsKeyId", "logGroupClass"))},
			{API: "logs:PutRetentionPolicy", If: "retentionInDays", Map: []Pair{{"@name", "logGroupName"}, {"retentionInDays", "retentionInDays"}},
				Build: func(c *Context, req map[string]any) {
					if n, ok := c.Inputs["retentionInDays"].(float64); ok && n == 0 {
						// 0 means never expire: the provider calls DeleteRetentionPolicy instead.
						delete(req, "retentionInDays")
						req["retentionInDays"] = Unknown{}
					}
				}},
			{API: "logs:AssociateKmsKey", On: OnUpdate, If: "kmsKeyId", Map: []Pair{{"@name", "logGroupName"}, {"kmsKeyId", "kmsKeyId"}}},
		},
		Provider: map[string]string{"skipDestroy": "keeps the log group on delete"},
	},
	"aws:cloudwatch/queryDefinition:QueryDefinition": {
		Source: "internal/service/logs/query_definition.go",
		Requests: []Request{{API: "logs:PutQueryDefinition", Map: same("name", "queryString", "logGroupNames"),
			Build: func(c *Context, req map[string]any) {
				if c.Update {
					req["queryDefinitionId"] = c.id()
				}
			}}},
	},

	// CloudWatch: internal/service/cloudwatch/*.go.
	"aws:cloudwatch/metricAlarm:MetricAlarm": {
		Name: "name", Source: "internal/service/cloudwatch/metric_alarm.go",
		Requests: []Request{{API: "cloudwatch:PutMetricAlarm",
			Map: pairs([]Pair{{"@name", "AlarmName"}, {"okActions", "OKActions"}}, []Pair{{"evaluateLowSampleCountPercentiles", "EvaluateLowSampleCountPercentile"}}, same("alarmDescription", "actionsEnabled", "alarmActions",
				"insufficientDataActions", "comparisonOperator", "evaluationPeriods", "datapointsToAlarm", "threshold", "thresholdMetricId",
				"treatMissingData", "metricName", "namespace", "period", "statistic", "extendedStatistic", "unit")),
			Uses: []string{"dimensions", "metricQueries"}, Build: metricAlarm}},
	},
	"aws:cloudwatch/dashboard:Dashboard": {
		Source:   "internal/service/cloudwatch/dashboard.go",
		Requests: []Request{{API: "cloudwatch:PutDashboard", Map: same("dashboardName", "dashboardBody")}},
	},

	// EventBridge: internal/service/events/*.go.
	"aws:cloudwatch/eventRule:EventRule": {
		Name: "name", Prefix: "namePrefix", Source: "internal/service/events/rule.go",
		Requests: []Request{{API: "events:PutRule", Map: pairs([]Pair{{"@name", "Name"}},
			same("eventPattern", "scheduleExpression", "description", "state", "roleArn", "eventBusName"))}},
		Provider: map[string]string{"isEnabled": "deprecated: becomes State", "forceDestroy": "removes managed rules' targets"},
	},
	"aws:cloudwatch/eventTarget:EventTarget": {
		Source:  "internal/service/events/target.go",
		Aliases: map[string]string{"InputTransformer.inputPaths": "InputPathsMap"},
		Requests: []Request{{API: "events:PutTargets", Map: pairs([]Pair{{"rule", "Rule"}, {"eventBusName", "EventBusName"}},
			[]Pair{{"arn", "Targets[0].Arn"}, {"roleArn", "Targets[0].RoleArn"}, {"input", "Targets[0].Input"}, {"inputPath", "Targets[0].InputPath"},
				{"inputTransformer", "Targets[0].InputTransformer"}, {"deadLetterConfig", "Targets[0].DeadLetterConfig"}, {"retryPolicy", "Targets[0].RetryPolicy"}}),
			Uses: []string{"targetId"}, Build: func(c *Context, req map[string]any) {
				id := c.Inputs["targetId"]
				if id == nil {
					id = "terraform-" + strings.Repeat("0", 26) // id.UniqueId()
				}
				setPath(req, "Targets[0].Id", id)
			}}},
		Provider: map[string]string{"forceDestroy": "removes targets of managed rules"},
	},

	// SNS: internal/service/sns/*.go.
	"aws:sns/topic:Topic": {
		Name: "name", Prefix: "namePrefix", Source: "internal/service/sns/topic.go",
		Requests: []Request{
			{API: "sns:CreateTopic", On: OnCreate, Map: []Pair{{"@name", "Name"}}, Build: topicCreate, Uses: topicAttributeInputs()},
			{API: "sns:SetTopicAttributes", On: OnUpdate, If: "kmsMasterKeyId", Map: []Pair{{"@id", "TopicArn"}, {"kmsMasterKeyId", "AttributeValue"}},
				Set: map[string]any{"AttributeName": "KmsMasterKeyId"}},
			{API: "sns:SetTopicAttributes", On: OnUpdate, If: "policy", Map: []Pair{{"@id", "TopicArn"}, {"policy", "AttributeValue"}},
				Set: map[string]any{"AttributeName": "Policy"}},
		},
	},
	"aws:sns/topicPolicy:TopicPolicy": {
		Source: "internal/service/sns/topic_policy.go",
		Requests: []Request{{API: "sns:SetTopicAttributes", Map: []Pair{{"arn", "TopicArn"}, {"policy", "AttributeValue"}},
			Set: map[string]any{"AttributeName": "Policy"}}},
	},
	"aws:sns/topicSubscription:TopicSubscription": {
		Source: "internal/service/sns/topic_subscription.go",
		Requests: []Request{{API: "sns:Subscribe", On: OnCreate, Map: pairs([]Pair{{"topic", "TopicArn"}}, same("protocol", "endpoint"),
			[]Pair{{"filterPolicy", "Attributes.FilterPolicy"}, {"filterPolicyScope", "Attributes.FilterPolicyScope"},
				{"rawMessageDelivery", "Attributes.RawMessageDelivery"}, {"redrivePolicy", "Attributes.RedrivePolicy"},
				{"deliveryPolicy", "Attributes.DeliveryPolicy"}, {"subscriptionRoleArn", "Attributes.SubscriptionRoleArn"}}),
			Set: map[string]any{"ReturnSubscriptionArn": true}}},
		Provider: map[string]string{"endpointAutoConfirms": "how the provider waits for confirmation", "confirmationTimeoutInMinutes": "how long it waits"},
	},

	// KMS: internal/service/kms/key.go.
	"aws:kms/key:Key": {
		Source: "internal/service/kms/key.go",
		Requests: []Request{
			{API: "kms:CreateKey", On: OnCreate, Map: pairs([]Pair{{"customerMasterKeySpec", "KeySpec"}},
				same("description", "keyUsage", "policy", "bypassPolicyLockoutSafetyCheck", "multiRegion", "customKeyStoreId", "xksKeyId"))},
			{API: "kms:EnableKeyRotation", If: "enableKeyRotation", Map: []Pair{{"@id", "KeyId"}, {"rotationPeriodInDays", "RotationPeriodInDays"}}},
			{API: "kms:UpdateKeyDescription", On: OnUpdate, If: "description", Map: []Pair{{"@id", "KeyId"}, {"description", "Description"}}},
			{API: "kms:PutKeyPolicy", On: OnUpdate, If: "policy", Map: []Pair{{"@id", "KeyId"}, {"policy", "Policy"}, {"bypassPolicyLockoutSafetyCheck", "BypassPolicyLockoutSafetyCheck"}}},
			// Sent when the key is destroyed; its value is fixed at create, so it is checked then.
			{API: "kms:ScheduleKeyDeletion", If: "deletionWindowInDays", Map: []Pair{{"@id", "KeyId"}, {"deletionWindowInDays", "PendingWindowInDays"}}},
		},
		Provider: map[string]string{"isEnabled": "EnableKey/DisableKey, which take only the key id"},
	},

	// Application Auto Scaling and EC2 Auto Scaling.
	"aws:appautoscaling/target:Target": {
		Source: "internal/service/appautoscaling/target.go",
		Requests: []Request{{API: "application-autoscaling:RegisterScalableTarget", Map: pairs(same("serviceNamespace", "resourceId",
			"scalableDimension", "minCapacity", "maxCapacity", "suspendedState"), []Pair{{"roleArn", "RoleARN"}})}},
	},
	"aws:appautoscaling/policy:Policy": {
		Name: "name", Source: "internal/service/appautoscaling/policy.go",
		Requests: []Request{{API: "application-autoscaling:PutScalingPolicy", Map: pairs([]Pair{{"@name", "PolicyName"}},
			same("serviceNamespace", "resourceId", "scalableDimension", "policyType", "targetTrackingScalingPolicyConfiguration",
				"stepScalingPolicyConfiguration", "predictiveScalingPolicyConfiguration"))}},
	},
	"aws:autoscaling/group:Group": {
		Name: "name", Prefix: "namePrefix", Source: "internal/service/autoscaling/group.go",
		Aliases: map[string]string{"LaunchTemplateSpecification.id": "LaunchTemplateId", "LaunchTemplateSpecification.name": "LaunchTemplateName"},
		Requests: []Request{
			{API: "autoscaling:CreateAutoScalingGroup", On: OnCreate, Map: pairs(asgShared, same("tags")), Build: asgZones, Uses: []string{"vpcZoneIdentifiers"}},
			{API: "autoscaling:UpdateAutoScalingGroup", On: OnUpdate, Map: asgShared, Build: asgZones, Uses: []string{"vpcZoneIdentifiers"}},
			{API: "autoscaling:StartInstanceRefresh", On: OnUpdate, If: "instanceRefresh", Map: []Pair{{"@name", "AutoScalingGroupName"},
				{"instanceRefresh.strategy", "Strategy"}, {"instanceRefresh.preferences", "Preferences"}}},
		},
		Provider: map[string]string{
			"forceDelete": "deletes the instances with the group", "waitForCapacityTimeout": "how long the provider waits for instances",
			"minElbCapacity": "what it waits for", "waitForElbCapacity": "what it waits for", "ignoreFailedScalingActivities": "how it waits",
			"forceDeleteWarmPool": "warm pool deletion",
		},
	},

	// ACM and Route 53.
	"aws:acm/certificate:Certificate": {
		Source: "internal/service/acm/certificate.go",
		Requests: []Request{{API: "acm:RequestCertificate", On: OnCreate, Map: pairs(same("domainName", "validationMethod",
			"subjectAlternativeNames", "keyAlgorithm", "certificateAuthorityArn", "options"))}},
	},
	"aws:acm/certificateValidation:CertificateValidation": {
		// No request changes anything: the provider waits (DescribeCertificate) for ISSUED.
		Source:   "internal/service/acm/certificate_validation.go",
		Requests: []Request{{API: "acm:DescribeCertificate", Map: []Pair{{"certificateArn", "CertificateArn"}}}},
		Provider: map[string]string{"validationRecordFqdns": "the provider checks them against the certificate's validation records"},
	},
	"aws:route53/record:Record": {
		Source: "internal/service/route53/record.go",
		Requests: []Request{{API: "route53:ChangeResourceRecordSets", Map: []Pair{{"zoneId", "HostedZoneId"}}, Build: recordChange,
			Uses: []string{"name", "type", "ttl", "records", "aliases", "allowOverwrite", "setIdentifier"}}},
	},

	// WAF: internal/service/wafv2/web_acl*.go.
	"aws:wafv2/webAcl:WebAcl": {
		Name: "name", Prefix: "namePrefix", Source: "internal/service/wafv2/web_acl.go",
		Requests: []Request{
			{API: "wafv2:CreateWebACL", On: OnCreate, Map: pairs([]Pair{{"@name", "Name"}}, webACLShared), Build: webACLRules, Uses: []string{"ruleJson"}},
			{API: "wafv2:UpdateWebACL", On: OnUpdate, Map: pairs([]Pair{{"@name", "Name"}, {"@id", "Id"}}, webACLShared),
				Set: map[string]any{"LockToken": Unknown{}}, Build: webACLRules, Uses: []string{"ruleJson"}},
		},
	},
	"aws:wafv2/webAclAssociation:WebAclAssociation": {
		Source:   "internal/service/wafv2/web_acl_association.go",
		Requests: []Request{{API: "wafv2:AssociateWebACL", On: OnCreate, Map: []Pair{{"webAclArn", "WebACLArn"}, {"resourceArn", "ResourceArn"}}}},
	},
}

var routeTargets = pairs(same("routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId", "gatewayId",
	"natGatewayId", "networkInterfaceId", "transitGatewayId", "vpcEndpointId", "vpcPeeringConnectionId",
	"carrierGatewayId", "localGatewayId", "coreNetworkArn"), []Pair{{"egressOnlyGatewayId", "EgressOnlyInternetGatewayId"}})

var webACLShared = same("scope", "defaultAction", "description", "rules", "visibilityConfig", "captchaConfig", "challengeConfig",
	"tokenDomains", "associationConfig", "dataProtectionConfig")

// webACLRules: rule_json is the Rules list as a JSON string (wafv2/web_acl.go, read).
func webACLRules(c *Context, req map[string]any) {
	if j := c.Inputs["ruleJson"]; j != nil {
		req["Rules"] = fromJSON(j)
	}
}
