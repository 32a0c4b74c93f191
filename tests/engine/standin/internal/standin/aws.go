// Test stand-in, not a provider: pass-through resources for `aws` (pulumi-aws 7.48.0). Create
// returns the inputs plus outputs shaped like AWS's (ids, ARNs in AWS's formats, account
// 123456789012), derived from the URN and inputs so reruns agree. Nothing is created anywhere.
package standin

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Account is the AWS account every stand-in ARN names.
const Account = "123456789012"

// AmiID is what the SSM parameters of the ECS-optimized AMIs hold in the stand-in.
const AmiID = "ami-0123456789abcdef0"

// AWS is the stand-in for the aws package.
type AWS struct{}

var lbNamePattern = regexp.MustCompile(`^[0-9A-Za-z-]+$`)

func failure(prop, format string, args ...any) *pulumirpc.CheckFailure {
	return &pulumirpc.CheckFailure{Property: prop, Reason: fmt.Sprintf(format, args...)}
}

// Check autonames like the bridged provider and validates the names of load balancers and target groups.
func (AWS) Check(s *Server, urn resource.URN, olds, news resource.PropertyMap) (resource.PropertyMap, []*pulumirpc.CheckFailure) {
	typ := string(urn.Type())
	inputs := news.Copy()
	an, ok := autonames[typ]
	if !ok {
		return inputs, nil
	}
	nameKey := resource.PropertyKey(an.prop)
	var failures []*pulumirpc.CheckFailure
	if an.prefix != "" && known(inputs, an.prefix) && an.prefixMax > 0 {
		if p := str(inputs, an.prefix); len(p) > an.prefixMax {
			failures = append(failures, failure(an.prefix, "%q cannot be longer than %d characters: %q", an.prefix, an.prefixMax, p))
		}
	}
	if inputs[nameKey].IsNull() && (an.prefix == "" || inputs[resource.PropertyKey(an.prefix)].IsNull()) {
		s.mu.Lock()
		previous, replacing := s.replacing[urn]
		s.mu.Unlock()
		base := urn.Name() + "-"
		if an.lower {
			base = strings.ToLower(base)
		}
		switch {
		case !replacing && str(olds, an.prop) != "":
			// Keep the name chosen before, as the bridged provider does.
			inputs[nameKey] = olds[nameKey]
		case len(base)+7 > an.maxLen:
			failures = append(failures, failure(an.prop,
				"%s: name '%s' plus 7 random chars is longer than maximum length %d; give the resource a shorter name or set %q",
				an.prop, base, an.maxLen, an.prop))
		case replacing:
			inputs[nameKey] = resource.NewProperty(base + hexOf(7, string(urn), "replacing", previous))
		default:
			inputs[nameKey] = resource.NewProperty(base + hexOf(7, string(urn)))
		}
	}
	if name := str(inputs, an.prop); name != "" && len(name) > an.maxLen {
		failures = append(failures, failure(an.prop, "%q cannot be longer than %d characters: %q", an.prop, an.maxLen, name))
	}
	if typ == "aws:lb/loadBalancer:LoadBalancer" || typ == "aws:lb/targetGroup:TargetGroup" {
		if name := str(inputs, "name"); name != "" {
			if !lbNamePattern.MatchString(name) {
				failures = append(failures, failure("name", "only alphanumeric characters and hyphens allowed in %q: %q", "name", name))
			}
			if strings.HasPrefix(name, "-") || strings.HasSuffix(name, "-") {
				failures = append(failures, failure("name", "%q cannot begin or end with a hyphen: %q", "name", name))
			}
		}
	}
	return inputs, failures
}

// ReplaceKeys applies replaceRules.
func (AWS) ReplaceKeys(typ string, changed []string, olds, news resource.PropertyMap) []string {
	return replaceKeys(typ, changed, olds, news)
}

func replaceKeys(typ string, changed []string, olds, news resource.PropertyMap) []string {
	rule, ok := replaceRules[typ]
	if !ok {
		return nil
	}
	var out []string
	for _, k := range changed {
		if rule.allExcept != nil {
			if !contains(rule.allExcept, k) {
				out = append(out, k)
			}
			continue
		}
		for _, rk := range rule.keys {
			top, field, nested := strings.Cut(rk, ".")
			if top != k {
				continue
			}
			if !nested || nestedChanged(olds[resource.PropertyKey(k)], news[resource.PropertyKey(k)], field) {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// nestedChanged compares the field of two object values (or of their single list element).
func nestedChanged(o, n resource.PropertyValue, field string) bool {
	get := func(v resource.PropertyValue) resource.PropertyValue {
		for v.IsSecret() {
			v = v.SecretValue().Element
		}
		if v.IsArray() && len(v.ArrayValue()) == 1 {
			v = v.ArrayValue()[0]
		}
		if v.IsObject() {
			return v.ObjectValue()[resource.PropertyKey(field)]
		}
		return v
	}
	nv := get(n)
	return nv.ContainsUnknowns() || !get(o).DeepEquals(nv)
}

// env is what the outputs of one resource are derived from.
type env struct {
	s      *Server
	urn    resource.URN
	typ    string
	in     resource.PropertyMap
	region string
	seed   string // changes whenever a real resource would be a new one
}

func (e env) hex(n int, salt string) string { return hexOf(n, e.seed, salt) }
func (e env) str(k string) string           { return str(e.in, k) }
func (e env) arn(service, res string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, e.region, Account, res)
}

// lastSegment is what follows the last '/' of an ARN or path.
func lastSegment(s string) string { return s[strings.LastIndex(s, "/")+1:] }

// outputs returns the id and the outputs a real create would add to the inputs.
func (e env) outputs() (string, map[string]any) {
	name := e.str("name")
	switch e.typ {
	case "aws:ec2/vpc:Vpc":
		id := "vpc-" + e.hex(17, "id")
		return id, map[string]any{
			"arn": e.arn("ec2", "vpc/"+id), "ownerId": Account,
			"defaultRouteTableId": "rtb-" + e.hex(17, "rtb"), "mainRouteTableId": "rtb-" + e.hex(17, "rtb"),
			"defaultSecurityGroupId": "sg-" + e.hex(17, "sg"), "defaultNetworkAclId": "acl-" + e.hex(17, "acl"),
			"dhcpOptionsId": "dopt-" + e.hex(17, "dopt"), "instanceTenancy": "default",
		}
	case "aws:ec2/subnet:Subnet":
		id := "subnet-" + e.hex(17, "id")
		zone := e.str("availabilityZone")
		zoneID := ""
		if zone != "" {
			zoneID = fmt.Sprintf("use1-az%d", int(zone[len(zone)-1]-'a')+1)
		}
		return id, map[string]any{"arn": e.arn("ec2", "subnet/"+id), "ownerId": Account, "availabilityZoneId": zoneID}
	case "aws:ec2/internetGateway:InternetGateway":
		id := "igw-" + e.hex(17, "id")
		return id, map[string]any{"arn": e.arn("ec2", "internet-gateway/"+id), "ownerId": Account}
	case "aws:ec2/routeTable:RouteTable":
		id := "rtb-" + e.hex(17, "id")
		return id, map[string]any{"arn": e.arn("ec2", "route-table/"+id), "ownerId": Account}
	case "aws:ec2/routeTableAssociation:RouteTableAssociation":
		return "rtbassoc-" + e.hex(17, "id"), map[string]any{}
	case "aws:ec2/route:Route":
		return "r-" + e.str("routeTableId") + digitsOf(10, e.seed), map[string]any{"origin": "CreateRoute", "state": "active"}
	case "aws:ec2/eip:Eip":
		id := "eipalloc-" + e.hex(17, "id")
		return id, map[string]any{
			"allocationId": id, "arn": e.arn("ec2", "elastic-ip/"+id), "domain": "vpc",
			"publicIp": ip("3", e.seed), "publicDns": "ec2-" + strings.ReplaceAll(ip("3", e.seed), ".", "-") + ".compute-1.amazonaws.com",
		}
	case "aws:ec2/natGateway:NatGateway":
		return "nat-" + e.hex(17, "id"), map[string]any{
			"networkInterfaceId": "eni-" + e.hex(17, "eni"), "privateIp": ip("10.0", e.seed), "connectivityType": "public",
		}
	case "aws:ec2/vpcEndpoint:VpcEndpoint":
		id := "vpce-" + e.hex(17, "id")
		outs := map[string]any{"arn": e.arn("ec2", "vpc-endpoint/"+id), "ownerId": Account, "state": "available", "dnsEntries": []any{}}
		if e.str("vpcEndpointType") == "Gateway" {
			outs["prefixListId"] = "pl-" + e.hex(8, "pl")
		}
		return id, outs
	case "aws:ec2/securityGroup:SecurityGroup":
		id := "sg-" + e.hex(17, "id")
		return id, map[string]any{"arn": e.arn("ec2", "security-group/"+id), "ownerId": Account, "ingress": []any{}, "egress": []any{}}
	case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
		id := "sgr-" + e.hex(17, "id")
		return id, map[string]any{"arn": e.arn("ec2", "security-group-rule/"+id), "securityGroupRuleId": id}
	case "aws:ecs/cluster:Cluster":
		arn := e.arn("ecs", "cluster/"+name)
		return arn, map[string]any{"arn": arn}
	case "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders":
		return e.str("clusterName"), map[string]any{}
	case "aws:ecs/capacityProvider:CapacityProvider":
		arn := e.arn("ecs", "capacity-provider/"+name)
		return arn, map[string]any{"arn": arn}
	case "aws:ecs/taskDefinition:TaskDefinition":
		e.s.mu.Lock()
		rev := e.s.revisions[e.urn] + 1
		e.s.mu.Unlock()
		family := e.str("family")
		return family, map[string]any{
			"arn":                e.arn("ecs", fmt.Sprintf("task-definition/%s:%d", family, int(rev))),
			"arnWithoutRevision": e.arn("ecs", "task-definition/"+family),
			"revision":           rev,
		}
	case "aws:ecs/service:Service":
		cluster := lastSegment(e.str("cluster"))
		arn := e.arn("ecs", fmt.Sprintf("service/%s/%s", cluster, name))
		return arn, map[string]any{"arn": arn, "triggers": map[string]any{}}
	case "aws:s3/bucket:Bucket":
		b := e.str("bucket")
		if b == "" && e.str("bucketPrefix") != "" {
			b = e.str("bucketPrefix") + digitsOf(26, e.seed)
		}
		return b, map[string]any{
			"bucket": b, "arn": "arn:aws:s3:::" + b, "bucketDomainName": b + ".s3.amazonaws.com",
			"bucketRegionalDomainName": fmt.Sprintf("%s.s3.%s.amazonaws.com", b, e.region),
			"hostedZoneId":             "Z3AQBSTGFYJSTF", "region": e.region,
		}
	case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
		"aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
		"aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
		"aws:s3/bucketPolicy:BucketPolicy":
		return e.str("bucket"), map[string]any{}
	case "aws:ecr/repository:Repository":
		return name, map[string]any{
			"arn": e.arn("ecr", "repository/"+name), "registryId": Account,
			"repositoryUrl": fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", Account, e.region, name),
		}
	case "aws:ecr/lifecyclePolicy:LifecyclePolicy":
		return e.str("repository"), map[string]any{"registryId": Account}
	case "aws:cloudwatch/logGroup:LogGroup":
		if name == "" {
			// terraform's id.PrefixedUniqueId: the prefix and 26 digits.
			name = e.str("namePrefix") + digitsOf(26, e.seed)
		}
		return name, map[string]any{"name": name, "arn": e.arn("logs", "log-group:"+name), "logGroupClass": "STANDARD"}
	case "aws:iam/role:Role":
		path := e.str("path")
		if path == "" {
			path = "/"
		}
		return name, map[string]any{
			"arn": fmt.Sprintf("arn:aws:iam::%s:role%s%s", Account, path, name), "path": path,
			"uniqueId": "AROA" + strings.ToUpper(e.hex(17, "uid")), "createDate": "2024-01-01T00:00:00Z", "maxSessionDuration": 3600.0,
		}
	case "aws:iam/rolePolicy:RolePolicy":
		return e.str("role") + ":" + name, map[string]any{}
	case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
		return e.str("role") + "-" + digitsOf(26, e.seed), map[string]any{}
	case "aws:iam/instanceProfile:InstanceProfile":
		return name, map[string]any{
			"arn": fmt.Sprintf("arn:aws:iam::%s:instance-profile/%s", Account, name), "path": "/",
			"uniqueId": "AIPA" + strings.ToUpper(e.hex(17, "uid")), "createDate": "2024-01-01T00:00:00Z",
		}
	case "aws:lb/loadBalancer:LoadBalancer":
		h := e.hex(16, "arn")
		arn := e.arn("elasticloadbalancing", fmt.Sprintf("loadbalancer/app/%s/%s", name, h))
		prefix := ""
		if boolean(e.in, "internal", false) {
			prefix = "internal-"
		}
		return arn, map[string]any{
			"arn": arn, "arnSuffix": fmt.Sprintf("app/%s/%s", name, h),
			"dnsName": fmt.Sprintf("%s%s-%s.%s.elb.amazonaws.com", prefix, name, digitsOf(10, e.seed), e.region),
			"zoneId":  "Z35SXDOTRQ7X7K", "vpcId": "vpc-" + e.hex(17, "vpc"), "ipAddressType": "ipv4",
		}
	case "aws:lb/targetGroup:TargetGroup":
		h := e.hex(16, "arn")
		arn := e.arn("elasticloadbalancing", fmt.Sprintf("targetgroup/%s/%s", name, h))
		return arn, map[string]any{"arn": arn, "arnSuffix": fmt.Sprintf("targetgroup/%s/%s", name, h), "loadBalancerArns": []any{}}
	case "aws:lb/listener:Listener":
		lb := strings.TrimPrefix(e.str("loadBalancerArn"), e.arn("elasticloadbalancing", "loadbalancer/"))
		arn := e.arn("elasticloadbalancing", fmt.Sprintf("listener/%s/%s", lb, e.hex(16, "arn")))
		return arn, map[string]any{"arn": arn}
	case "aws:acm/certificate:Certificate":
		arn := e.arn("acm", "certificate/"+uuid(e.seed))
		domain := e.str("domainName")
		return arn, map[string]any{
			"arn": arn, "status": "ISSUED",
			"domainValidationOptions": []any{map[string]any{
				"domainName": domain, "resourceRecordName": fmt.Sprintf("_%s.%s.", e.hex(32, "rrn"), domain),
				"resourceRecordType": "CNAME", "resourceRecordValue": fmt.Sprintf("_%s.%s.acm-validations.aws.", e.hex(32, "rrv"), e.hex(10, "zone")),
			}},
		}
	case "aws:acm/certificateValidation:CertificateValidation":
		return "2024-01-01 00:00:00 +0000 UTC", map[string]any{}
	case "aws:route53/record:Record":
		return fmt.Sprintf("%s_%s_%s", e.str("zoneId"), name, e.str("type")), map[string]any{"fqdn": strings.TrimSuffix(name, ".")}
	case "aws:appautoscaling/target:Target":
		return e.str("resourceId"), map[string]any{
			"arn":     e.arn("application-autoscaling", "scalable-target/"+e.hex(36, "arn")),
			"roleArn": fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService", Account),
		}
	case "aws:appautoscaling/policy:Policy":
		arn := e.arn("autoscaling", fmt.Sprintf("scalingPolicy:%s:resource/%s:policyName/%s", uuid(e.seed), e.str("resourceId"), name))
		return name, map[string]any{"arn": arn, "alarmArns": []any{}}
	case "aws:ec2/launchTemplate:LaunchTemplate":
		id := "lt-" + e.hex(17, "id")
		return id, map[string]any{"arn": e.arn("ec2", "launch-template/"+id), "latestVersion": 1.0, "defaultVersion": 1.0}
	case "aws:autoscaling/group:Group":
		arn := e.arn("autoscaling", fmt.Sprintf("autoScalingGroup:%s:autoScalingGroupName/%s", uuid(e.seed), name))
		desired, _ := num(e.in, "minSize")
		return name, map[string]any{"arn": arn, "desiredCapacity": desired}
	case "aws:ec2/networkInterface:NetworkInterface":
		id := "eni-" + e.hex(17, "id")
		private := ip("10.0", e.seed)
		return id, map[string]any{
			"arn": e.arn("ec2", "network-interface/"+id), "ownerId": Account, "interfaceType": "interface",
			"macAddress": macAddress(e.seed), "privateIp": private, "privateIps": []any{private}, "privateIpList": []any{private},
			"privateDnsName": fmt.Sprintf("ip-%s.ec2.internal", strings.ReplaceAll(private, ".", "-")),
		}
	case "aws:lb/listenerRule:ListenerRule":
		// arn:...:listener-rule/app/<lb name>/<lb id>/<listener id>/<rule id>
		listener := strings.TrimPrefix(e.str("listenerArn"), e.arn("elasticloadbalancing", "listener/"))
		arn := e.arn("elasticloadbalancing", fmt.Sprintf("listener-rule/%s/%s", listener, e.hex(16, "arn")))
		return arn, map[string]any{"arn": arn}
	case "aws:kms/key:Key":
		// id and keyId are the key's UUID; internal/service/kms/key.go.
		id := uuid(e.seed)
		return id, map[string]any{
			"arn": e.arn("kms", "key/"+id), "keyId": id,
			"keyUsage": "ENCRYPT_DECRYPT", "customerMasterKeySpec": "SYMMETRIC_DEFAULT", "isEnabled": true, "multiRegion": false,
		}
	case "aws:kms/alias:Alias":
		// id is the alias name ("alias/..."); the target's ARN whether it was given an id or an ARN.
		target := e.str("targetKeyId")
		if !strings.HasPrefix(target, "arn:") {
			target = e.arn("kms", "key/"+target)
		}
		return name, map[string]any{"arn": e.arn("kms", name), "targetKeyArn": target}
	case "aws:sns/topic:Topic":
		// The id is the ARN (internal/service/sns/topic.go: d.SetId(topicARN)).
		arn := e.arn("sns", name)
		return arn, map[string]any{"arn": arn, "owner": Account}
	case "aws:sns/topicPolicy:TopicPolicy":
		return e.str("arn"), map[string]any{"owner": Account}
	case "aws:sns/topicSubscription:TopicSubscription":
		arn := e.str("topic") + ":" + uuid(e.seed)
		protocol := e.str("protocol")
		pending := (protocol == "email" || protocol == "email-json" || protocol == "http" || protocol == "https") &&
			!boolean(e.in, "endpointAutoConfirms", false)
		return arn, map[string]any{"arn": arn, "ownerId": Account, "pendingConfirmation": pending, "confirmationWasAuthenticated": false}
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		return name, map[string]any{"arn": e.arn("cloudwatch", "alarm:"+name)}
	case "aws:cloudwatch/dashboard:Dashboard":
		dashboard := e.str("dashboardName")
		return dashboard, map[string]any{"dashboardArn": fmt.Sprintf("arn:aws:cloudwatch::%s:dashboard/%s", Account, dashboard)}
	case "aws:cloudwatch/queryDefinition:QueryDefinition":
		id := uuid(e.seed)
		return id, map[string]any{"queryDefinitionId": id}
	case "aws:cloudwatch/eventRule:EventRule":
		// On the default bus the id is the rule's name; elsewhere "<bus>/<name>", and so is the ARN's resource.
		res := name
		if bus := e.str("eventBusName"); bus != "" && bus != "default" {
			res = lastSegment(bus) + "/" + name
		}
		return res, map[string]any{"arn": e.arn("events", "rule/"+res), "eventBusName": "default"}
	case "aws:cloudwatch/eventTarget:EventTarget":
		// terraform's id.UniqueId: "terraform-" and 26 digits; the id is "<rule>-<target id>".
		target := e.str("targetId")
		if target == "" {
			target = "terraform-" + digitsOf(26, e.seed)
		}
		return e.str("rule") + "-" + target, map[string]any{"targetId": target, "eventBusName": "default"}
	}
	// Any other type: an ARN in AWS's usual shape, so that nothing the program reads is missing.
	id := e.hex(20, "id")
	return id, map[string]any{"arn": e.arn(e.service(), resourceKind(e.typ)+"/"+id)}
}

// service is the ARN service of a type: its module ("aws:sns/topic:Topic" -> "sns").
func (e env) service() string {
	mod := strings.TrimPrefix(e.typ, "aws:")
	mod, _, _ = strings.Cut(mod, "/")
	return mod
}

// resourceKind is a type's name in the kebab case of ARNs ("aws:ec2/networkInterface:NetworkInterface" -> "network-interface").
func resourceKind(typ string) string {
	name := typ[strings.LastIndex(typ, ":")+1:]
	var b strings.Builder
	for i, r := range name {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// macAddress is a locally administered unicast address, like those EC2 gives interfaces (0e:..., 12:...).
func macAddress(seed string) string {
	h := hexOf(10, seed, "mac")
	return "0e:" + h[0:2] + ":" + h[2:4] + ":" + h[4:6] + ":" + h[6:8] + ":" + h[8:10]
}

func ip(prefix, seed string) string {
	parts := strings.Split(prefix, ".")
	h := hexOf(8, seed, "ip")
	for i := len(parts); i < 4; i++ {
		var b int
		fmt.Sscanf(h[2*i:2*i+2], "%02x", &b)
		parts = append(parts, fmt.Sprint(b%254+1))
	}
	return strings.Join(parts, ".")
}

func uuid(seed string) string {
	h := hexOf(32, seed, "uuid")
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// tagsAll merges the provider's default tags with the resource's own.
func (s *Server) tagsAll(inputs resource.PropertyMap) resource.PropertyValue {
	all := resource.PropertyMap{}
	for k, v := range s.DefaultTags {
		all[resource.PropertyKey(k)] = resource.NewProperty(v)
	}
	tags := inputs["tags"]
	if tags.ContainsUnknowns() {
		return resource.MakeComputed(resource.NewProperty(""))
	}
	if tags.IsObject() {
		for k, v := range tags.ObjectValue() {
			all[k] = v
		}
	}
	return resource.NewProperty(all)
}

// Create returns inputs plus computed outputs; in a preview the outputs not known yet are unknown.
func (AWS) Create(s *Server, urn resource.URN, inputs resource.PropertyMap, preview bool) (string, resource.PropertyMap, error) {
	s.mu.Lock()
	region := s.Region
	s.mu.Unlock()
	e := env{s: s, urn: urn, typ: string(urn.Type()), in: inputs, region: region, seed: hexOf(64, string(urn), canonical(inputs))}
	id, computed := e.outputs()
	outs := inputs.Copy()
	for k, v := range computed {
		key := resource.PropertyKey(k)
		if !outs[key].IsNull() {
			continue
		}
		if preview {
			outs[key] = resource.MakeComputed(resource.NewProperty(""))
		} else {
			outs[key] = resource.NewPropertyValue(v)
		}
	}
	if preview {
		outs["id"] = resource.MakeComputed(resource.NewProperty(""))
		id = ""
	} else {
		outs["id"] = resource.NewProperty(id)
	}
	if taggable[e.typ] {
		outs["tagsAll"] = s.tagsAll(inputs)
	}
	return id, outs, nil
}

// Update keeps the computed outputs (id, arn, ...) and takes the new inputs.
func (AWS) Update(s *Server, urn resource.URN, id string, olds, news resource.PropertyMap, preview bool) (resource.PropertyMap, error) {
	typ := string(urn.Type())
	if typ == "aws:ecs/taskDefinition:TaskDefinition" {
		return nil, fmt.Errorf("ECS task definitions are never updated in place (every input but tags forces a new revision)")
	}
	outs := olds.Copy()
	for k, v := range news {
		outs[k] = v
	}
	if taggable[typ] {
		outs["tagsAll"] = s.tagsAll(news)
	}
	if typ == "aws:ec2/launchTemplate:LaunchTemplate" {
		if v, ok := num(olds, "latestVersion"); ok {
			if preview {
				outs["latestVersion"] = resource.MakeComputed(resource.NewProperty(""))
			} else {
				outs["latestVersion"] = resource.NewProperty(v + 1)
			}
		}
	}
	return outs, nil
}

// Invoke answers the functions the program calls.
func (AWS) Invoke(s *Server, tok string, args resource.PropertyMap) (resource.PropertyMap, error) {
	s.mu.Lock()
	region := s.Region
	s.mu.Unlock()
	var out map[string]any
	switch tok {
	case "aws:ssm/getParameter:getParameter":
		name := str(args, "name")
		value := "standin-value-of-" + name
		if strings.Contains(name, "/ami") || strings.HasSuffix(name, "image_id") {
			value = AmiID
		}
		out = map[string]any{
			"id": name, "name": name, "type": "String", "value": value, "insecureValue": value, "version": 1.0,
			"arn":            fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/%s", region, Account, strings.TrimPrefix(name, "/")),
			"withDecryption": boolean(args, "withDecryption", true),
		}
	case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
		registry := str(args, "registryId")
		if registry == "" {
			registry = Account
		}
		password := "standin-ecr-password-" + hexOf(32, registry, region)
		out = map[string]any{
			"id": region, "userName": "AWS", "password": password,
			"authorizationToken": base64.StdEncoding.EncodeToString([]byte("AWS:" + password)),
			"proxyEndpoint":      fmt.Sprintf("https://%s.dkr.ecr.%s.amazonaws.com", registry, region),
			"expiresAt":          "2099-01-01T00:00:00Z",
		}
		if str(args, "registryId") != "" {
			out["registryId"] = registry
		}
	case "aws:index/getCallerIdentity:getCallerIdentity":
		out = map[string]any{
			"id": Account, "accountId": Account, "userId": "AIDASTANDINSTANDIN0000",
			"arn": fmt.Sprintf("arn:aws:iam::%s:user/standin", Account),
		}
	case "aws:index/getRegion:getRegion":
		out = map[string]any{
			"id": region, "name": region, "region": region, "description": region,
			"endpoint": fmt.Sprintf("ec2.%s.amazonaws.com", region),
		}
	case "aws:index/getPartition:getPartition":
		out = map[string]any{"id": "aws", "partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws"}
	case "aws:index/getAvailabilityZones:getAvailabilityZones":
		var names, ids []any
		for i, z := range "abcdef" {
			names = append(names, region+string(z))
			ids = append(ids, fmt.Sprintf("use1-az%d", i+1))
		}
		out = map[string]any{"id": region, "names": names, "zoneIds": ids, "state": "available", "groupNames": []any{region}}
	default:
		return nil, s.notImplemented("function", tok)
	}
	return resource.NewPropertyMapFromMap(out), nil
}
