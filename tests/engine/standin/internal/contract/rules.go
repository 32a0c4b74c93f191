package contract

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// Rule is a rule AWS (or the provider) states only in prose: in an API's documentation, a user
// guide, a service quota or the provider's source. Source cites it.
type Rule struct {
	ID     string
	Title  string
	Source string
	API    string   // the operation the rule is stated on (a finding may name another)
	Types  []string // the resource types it reads; nil: every type
	Check  func(c *Context) []Finding
}

// Finding is one breach of a rule: the member path and what is wrong.
type Finding struct{ API, Member, Rule string }

func (r Rule) appliesTo(typ string) bool {
	return r.Types == nil || containsString(r.Types, typ)
}

func (f Finding) api(r Rule) string {
	if f.API != "" {
		return f.API
	}
	return r.API
}

func found(api, member, format string, args ...any) Finding {
	return Finding{API: api, Member: member, Rule: fmt.Sprintf(format, args...)}
}

// ledger holds, per group of resources (one stack), what the rules across resources need.
type ledger struct {
	rolePolicies map[string]map[string]int     // role name -> policy URN -> size
	priorities   map[string]map[float64]string // listener ARN -> rule priority -> rule URN
}

func newLedger() *ledger {
	return &ledger{rolePolicies: map[string]map[string]int{}, priorities: map[string]map[float64]string{}}
}

// get reads a canonical member path ("IpPermissions[0].IpRanges[0].Description"): nil when it
// is absent, Unknown when it lies in a value not known yet.
func get(v any, path string) any {
	for _, part := range strings.Split(path, ".") {
		if _, unknown := v.(Unknown); unknown {
			return v
		}
		name, index := part, -1
		if open := strings.IndexByte(part, '['); open >= 0 {
			name = part[:open]
			fmt.Sscanf(part[open:], "[%d]", &index)
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[name]
		if index >= 0 {
			l, ok := v.([]any)
			if !ok || index >= len(l) {
				return nil
			}
			v = l[index]
		}
	}
	return v
}

func text(v any) (string, bool) { s, ok := v.(string); return s, ok }
func number(v any) (float64, bool) {
	n, ok := v.(float64)
	return n, ok
}
func items(v any) []any { l, _ := v.([]any); return l }

// known tells whether a value holds nothing unknown: rules over a whole structure (how many
// queries return data, whether a record is an alias) wait until it is known.
func known(v any) bool {
	switch x := v.(type) {
	case Unknown:
		return false
	case []any:
		for _, e := range x {
			if !known(e) {
				return false
			}
		}
	case map[string]any:
		for _, e := range x {
			if !known(e) {
				return false
			}
		}
	}
	return true
}

// nonWhitespace is how IAM counts policy sizes: "IAM doesn't count white space".
func nonWhitespace(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// sgCharset: botocore ec2 2016-11-15, IpRange.Description (and CreateSecurityGroupRequest's
// Description and GroupName): "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*".
var sgCharset = regexp.MustCompile(`^[\sa-zA-Z0-9_.\-:/()#,@\[\]+=&;{}!$*]*$`)

// sgRuleDescriptions lists the description members of a security group rule request.
func sgRuleDescriptions(c *Context) map[string]Sent {
	out := map[string]Sent{}
	for _, s := range c.Requests("ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress") {
		for i := range items(s.Body["IpPermissions"]) {
			for _, list := range []string{"IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs"} {
				for j := range items(get(s.Body, fmt.Sprintf("IpPermissions[%d].%s", i, list))) {
					out[fmt.Sprintf("IpPermissions[%d].%s[%d].Description", i, list, j)] = s
				}
			}
		}
	}
	for _, s := range c.Requests("ec2:ModifySecurityGroupRules") {
		for i := range items(s.Body["SecurityGroupRules"]) {
			out[fmt.Sprintf("SecurityGroupRules[%d].SecurityGroupRule.Description", i)] = s
		}
	}
	return out
}

// Fargate task sizes: ECS Developer Guide, "Amazon ECS task definition parameters for Fargate",
// Task size (cpu -> memory MiB from, to, step).
var fargateSizes = map[string][3]int{
	"256": {512, 2048, 0}, "512": {1024, 4096, 1024}, "1024": {2048, 8192, 1024}, "2048": {4096, 16384, 1024},
	"4096": {8192, 30720, 1024}, "8192": {16384, 61440, 4096}, "16384": {32768, 122880, 8192},
}

func fargateMemoryOK(cpu string, mem int) bool {
	s, ok := fargateSizes[cpu]
	if !ok {
		return false
	}
	if cpu == "256" {
		return mem == 512 || mem == 1024 || mem == 2048
	}
	return mem >= s[0] && mem <= s[1] && (mem-s[0])%s[2] == 0
}

// containers are the canonical container definitions of a task definition.
func containers(c *Context) []map[string]any {
	var out []map[string]any
	for _, raw := range items(get(c.Request("ecs:RegisterTaskDefinition"), "containerDefinitions")) {
		if m, ok := raw.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func fargate(c *Context) bool {
	for _, v := range items(get(c.Request("ecs:RegisterTaskDefinition"), "requiresCompatibilities")) {
		if v == "FARGATE" {
			return true
		}
	}
	return false
}

// Secrets Manager ARNs: Secrets Manager User Guide, "Secret ARNs" (…:secret:<name>-<6 random
// characters>); ECS Developer Guide, "Pass Secrets Manager secrets through Amazon ECS environment
// variables": valueFrom is the ARN, optionally followed by :json-key:version-stage:version-id.
var secretARN = regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:([^:]+)(?::([^:]*):([^:]*):([^:]*))?$`)
var fullSecretName = regexp.MustCompile(`-[A-Za-z0-9]{6}$`)

// policyDoc is a policy document a request carries, and what kind it is.
type policyDoc struct {
	api, member, doc string
	identity         bool // an identity policy (no Principal; Resource required)
}

func policies(c *Context) []policyDoc {
	var out []policyDoc
	add := func(api, member string, identity bool) {
		for _, s := range c.Requests(api) {
			if d, ok := text(get(s.Body, member)); ok {
				out = append(out, policyDoc{api, member, d, identity})
			}
		}
	}
	add("iam:PutRolePolicy", "PolicyDocument", true)
	add("iam:CreateRole", "AssumeRolePolicyDocument", false)
	add("iam:UpdateAssumeRolePolicy", "PolicyDocument", false)
	add("s3:PutBucketPolicy", "Policy", false)
	add("kms:CreateKey", "Policy", false)
	add("kms:PutKeyPolicy", "Policy", false)
	add("ec2:CreateVpcEndpoint", "PolicyDocument", false)
	for _, s := range c.Requests("sns:SetTopicAttributes") {
		if s.Body["AttributeName"] == "Policy" {
			if d, ok := text(s.Body["AttributeValue"]); ok {
				out = append(out, policyDoc{"sns:SetTopicAttributes", "AttributeValue", d, false})
			}
		}
	}
	if d, ok := text(get(c.Request("sns:CreateTopic"), "Attributes.Policy")); ok {
		out = append(out, policyDoc{"sns:CreateTopic", "Attributes.Policy", d, false})
	}
	return out
}

// oneOrMore reads a policy element that may be a string or a list of strings.
func oneOrMore(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// statements decodes a policy's statements (nil when it is not JSON or has none).
func statements(doc string) (map[string]any, []map[string]any, error) {
	var p map[string]any
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return nil, nil, err
	}
	var out []map[string]any
	switch s := p["Statement"].(type) {
	case map[string]any:
		out = append(out, s)
	case []any:
		for _, e := range s {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
	}
	return p, out, nil
}

// wafRegexUnsupported: WAF Developer Guide, "Supported regular expression syntax in AWS WAF":
// no backreferences, lookaround, \C, \R, \K, \X, possessive quantifiers, conditionals, recursion.
var wafRegexUnsupported = regexp.MustCompile(`\\[1-9]|\(\?[=!<]|\\[CRKX]|[*+?}]\+|\(\?\(|\(\?R|\(\?\||\(\?>`)

// wafManagedCapacity: the capacity (WCU) of AWS's managed rule groups, WAF Developer Guide,
// "AWS Managed Rules rule groups list" (each group's page states its capacity).
var wafManagedCapacity = map[string]float64{
	"AWSManagedRulesCommonRuleSet": 700, "AWSManagedRulesKnownBadInputsRuleSet": 200, "AWSManagedRulesAmazonIpReputationList": 25,
	"AWSManagedRulesAnonymousIpList": 50, "AWSManagedRulesSQLiRuleSet": 200, "AWSManagedRulesLinuxRuleSet": 200,
	"AWSManagedRulesUnixRuleSet": 100, "AWSManagedRulesAdminProtectionRuleSet": 100, "AWSManagedRulesBotControlRuleSet": 50,
	"AWSManagedRulesPHPRuleSet": 100, "AWSManagedRulesWordPressRuleSet": 100, "AWSManagedRulesWindowsRuleSet": 200,
}

// wcu estimates a statement's capacity, WAF Developer Guide, "Rule statements list" (each
// statement's WCUs) and "Text transformation" (+10 for each transformation other than NONE).
func wcu(st map[string]any) (float64, string) {
	transforms := func(s map[string]any) float64 {
		n := 0.0
		for _, t := range items(s["TextTransformations"]) {
			if get(t, "Type") != "NONE" {
				n += 10
			}
		}
		return n
	}
	for kind, raw := range st {
		s, _ := raw.(map[string]any)
		switch kind {
		case "RateBasedStatement":
			n := 2.0
			if sd, ok := s["ScopeDownStatement"].(map[string]any); ok {
				m, unknown := wcu(sd)
				if unknown != "" {
					return 0, unknown
				}
				n += m
			}
			return n, ""
		case "RegexMatchStatement":
			return 3 + transforms(s), ""
		case "SizeConstraintStatement":
			return 1 + transforms(s), ""
		case "ByteMatchStatement":
			return 1 + transforms(s), "" // EXACTLY, STARTS_WITH, ENDS_WITH; CONTAINS counts 10 (below)
		case "GeoMatchStatement", "IPSetReferenceStatement", "LabelMatchStatement":
			return 1, ""
		case "SqliMatchStatement", "XssMatchStatement":
			return 20 + transforms(s), ""
		case "ManagedRuleGroupStatement":
			name, _ := text(s["Name"])
			if n, ok := wafManagedCapacity[name]; ok {
				return n, ""
			}
			return 0, name
		case "AndStatement", "OrStatement":
			n := 0.0
			for _, sub := range items(s["Statements"]) {
				m, unknown := wcu(sub.(map[string]any))
				if unknown != "" {
					return 0, unknown
				}
				n += m
			}
			return n, ""
		case "NotStatement":
			if sub, ok := s["Statement"].(map[string]any); ok {
				return wcu(sub)
			}
		}
	}
	return 0, "a statement the contract has no capacity for"
}

// retentionDays: CloudWatch Logs API Reference, PutRetentionPolicy, retentionInDays.
var retentionDays = []float64{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// s3BucketName: S3 User Guide, "General purpose bucket naming rules".
var s3BucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// tagPairs reads a resource's tags, as a map or as the Auto Scaling group's [{key, value}] list.
func tagPairs(v any) map[string]any {
	switch x := v.(type) {
	case map[string]any:
		return x
	case []any:
		out := map[string]any{}
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				if k, ok := m["key"].(string); ok {
					out[k] = m["value"]
				}
			}
		}
		return out
	}
	return nil
}

// Rules is the table of prose rules; docs/aws-contract.md lists them, and contract_test.go has
// a failing and a passing case of each.
var Rules = []Rule{
	{
		ID: "ec2-sg-rule-description-charset", Title: "Security group rule descriptions use EC2's character set",
		Source: "botocore ec2 2016-11-15 IpRange.Description (and Ipv6Range, PrefixListId, UserIdGroupPair, SecurityGroupRuleRequest): allowed characters are a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$* (EC2 answers InvalidParameterValue)",
		API:    "ec2:AuthorizeSecurityGroupIngress",
		Types:  []string{"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for member, s := range sgRuleDescriptions(c) {
				if d, ok := text(get(s.Body, member)); ok && !sgCharset.MatchString(d) {
					out = append(out, found(s.API, member, "must match pattern %s, not %q", sgCharset, d))
				}
			}
			return out
		},
	},
	{
		ID: "ec2-sg-rule-description-length", Title: "Security group rule descriptions are at most 255 characters",
		Source: "botocore ec2 2016-11-15 IpRange.Description: up to 255 characters in length",
		API:    "ec2:AuthorizeSecurityGroupIngress",
		Types:  []string{"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for member, s := range sgRuleDescriptions(c) {
				if d, ok := text(get(s.Body, member)); ok && len([]rune(d)) > 255 {
					out = append(out, found(s.API, member, "must be at most 255 characters, has %d", len([]rune(d))))
				}
			}
			return out
		},
	},
	{
		ID: "ec2-sg-description", Title: "A security group's description: EC2's character set, at most 255 characters",
		Source: "botocore ec2 2016-11-15 CreateSecurityGroupRequest.Description: up to 255 characters; a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*",
		API:    "ec2:CreateSecurityGroup", Types: []string{"aws:ec2/securityGroup:SecurityGroup"},
		Check: func(c *Context) []Finding {
			d, ok := text(get(c.Request("ec2:CreateSecurityGroup"), "Description"))
			if ok && (!sgCharset.MatchString(d) || len([]rune(d)) > 255) {
				return []Finding{found("", "Description", "must match pattern %s and be at most 255 characters, not %q", sgCharset, d)}
			}
			return nil
		},
	},
	{
		ID: "ec2-sg-name", Title: "A security group's name: EC2's character set, at most 255 characters, not sg-…",
		Source: "botocore ec2 2016-11-15 CreateSecurityGroupRequest.GroupName: up to 255 characters, can't start with sg-, a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*",
		API:    "ec2:CreateSecurityGroup", Types: []string{"aws:ec2/securityGroup:SecurityGroup"},
		Check: func(c *Context) []Finding {
			n, ok := text(get(c.Request("ec2:CreateSecurityGroup"), "GroupName"))
			if ok && (!sgCharset.MatchString(n) || len([]rune(n)) > 255 || strings.HasPrefix(strings.ToLower(n), "sg-")) {
				return []Finding{found("", "GroupName", "must match %s, be at most 255 characters and not start with sg-, not %q", sgCharset, n)}
			}
			return nil
		},
	},
	{
		ID: "ec2-sg-rule-ports", Title: "TCP and UDP rules have 0 <= FromPort <= ToPort <= 65535",
		Source: "botocore ec2 2016-11-15 IpPermission.FromPort/ToPort: the port range for TCP and UDP (EC2 User Guide, Security group rules)",
		API:    "ec2:AuthorizeSecurityGroupIngress",
		Types:  []string{"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for _, s := range c.Requests("ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress") {
				for i, p := range items(s.Body["IpPermissions"]) {
					proto := get(p, "IpProtocol")
					if proto != "tcp" && proto != "udp" && proto != "6" && proto != "17" {
						continue
					}
					from, ok1 := number(get(p, "FromPort"))
					to, ok2 := number(get(p, "ToPort"))
					if !ok1 || !ok2 || from < 0 || to > 65535 || from > to {
						out = append(out, found(s.API, fmt.Sprintf("IpPermissions[%d].FromPort", i), "a %v rule needs 0 <= FromPort <= ToPort <= 65535, has %v..%v", proto, get(p, "FromPort"), get(p, "ToPort")))
					}
				}
			}
			return out
		},
	},
	{
		ID: "ec2-cidr", Title: "CIDR blocks are valid and in their canonical form; a VPC's or subnet's is /16 to /28",
		Source: "botocore ec2 2016-11-15 IpRange.CidrIp (AWS canonicalizes CIDRs, so a non-canonical one never matches its rule); Amazon VPC User Guide, VPC CIDR blocks: the allowed block size is between /16 and /28",
		API:    "ec2:AuthorizeSecurityGroupIngress",
		Types: []string{"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
			"aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/route:Route"},
		Check: func(c *Context) []Finding {
			var out []Finding
			check := func(api, member string, v any, sized bool) {
				s, ok := text(v)
				if !ok {
					return
				}
				ip, n, err := net.ParseCIDR(s)
				if err != nil {
					out = append(out, found(api, member, "must be a CIDR block, not %q", s))
					return
				}
				if !ip.Equal(n.IP) {
					out = append(out, found(api, member, "must be canonical (%s), not %q", n, s))
				}
				if ones, _ := n.Mask.Size(); sized && (ones < 16 || ones > 28) {
					out = append(out, found(api, member, "must be between /16 and /28, is /%d", ones))
				}
			}
			for _, s := range c.Requests("ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress") {
				check(s.API, "IpPermissions[0].IpRanges[0].CidrIp", get(s.Body, "IpPermissions[0].IpRanges[0].CidrIp"), false)
				check(s.API, "IpPermissions[0].Ipv6Ranges[0].CidrIpv6", get(s.Body, "IpPermissions[0].Ipv6Ranges[0].CidrIpv6"), false)
			}
			check("ec2:CreateVpc", "CidrBlock", get(c.Request("ec2:CreateVpc"), "CidrBlock"), true)
			check("ec2:CreateSubnet", "CidrBlock", get(c.Request("ec2:CreateSubnet"), "CidrBlock"), true)
			check("ec2:CreateRoute", "DestinationCidrBlock", get(c.Request("ec2:CreateRoute"), "DestinationCidrBlock"), false)
			return out
		},
	},
	{
		ID: "ec2-user-data", Title: "Launch template user data is base64 and at most 16 KB before encoding",
		Source: "EC2 User Guide, Run commands when you launch an EC2 instance with user data input: user data is limited to 16 KB, in raw form, before it is base64-encoded; botocore ec2 RequestLaunchTemplateData.UserData: base64-encoded",
		API:    "ec2:CreateLaunchTemplate", Types: []string{"aws:ec2/launchTemplate:LaunchTemplate"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for _, s := range c.Requests("ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion") {
				u, ok := text(get(s.Body, "LaunchTemplateData.UserData"))
				if !ok {
					continue
				}
				raw, err := base64.StdEncoding.DecodeString(u)
				if err != nil {
					out = append(out, found(s.API, "LaunchTemplateData.UserData", "must be base64: %v", err))
				} else if len(raw) > 16*1024 {
					out = append(out, found(s.API, "LaunchTemplateData.UserData", "must be at most 16384 bytes before encoding, has %d", len(raw)))
				}
			}
			return out
		},
	},
	{
		ID: "tags", Title: "Tags: at most 50, keys 1-128 characters not starting with aws:, values at most 256",
		Source: "Tagging AWS Resources User Guide, Tag naming limits and requirements (each service's TagResource)",
		API:    "(the service's tagging call)",
		Check: func(c *Context) []Finding {
			var out []Finding
			for _, key := range []string{"tagsAll", "tags"} {
				tags := tagPairs(c.Inputs[key])
				if tags == nil {
					continue
				}
				if len(tags) > 50 {
					out = append(out, found("", key, "at most 50 tags per resource, has %d", len(tags)))
				}
				for k, v := range tags {
					if n := len([]rune(k)); n < 1 || n > 128 || strings.HasPrefix(strings.ToLower(k), "aws:") {
						out = append(out, found("", key+"."+k, "a tag key has 1-128 characters and does not start with aws:"))
					}
					if s, ok := text(v); ok && len([]rune(s)) > 256 {
						out = append(out, found("", key+"."+k, "a tag value has at most 256 characters, has %d", len([]rune(s))))
					}
				}
				break // tagsAll includes tags
			}
			return out
		},
	},

	// ECS.
	{
		ID: "ecs-az-rebalancing", Title: "Availability Zone rebalancing needs maximumPercent above 100",
		Source: "ECS Developer Guide, Balancing an Amazon ECS service across Availability Zones: rebalancing starts a task in the under-used zone before it stops one, which a maximumPercent of 100 forbids (ECS answers InvalidParameterException)",
		API:    "ecs:CreateService", Types: []string{"aws:ecs/service:Service"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for _, s := range c.Requests("ecs:CreateService", "ecs:UpdateService") {
				if s.Body["availabilityZoneRebalancing"] != "ENABLED" {
					continue
				}
				if max, ok := number(get(s.Body, "deploymentConfiguration.maximumPercent")); ok && max <= 100 {
					out = append(out, found(s.API, "deploymentConfiguration.maximumPercent", "must be above 100 while availabilityZoneRebalancing is ENABLED, is %v", max))
				}
			}
			return out
		},
	},
	{
		ID: "ecs-deployment-percents", Title: "A rolling deployment can make progress: minimumHealthyPercent 0-100 and below maximumPercent",
		Source: "botocore ecs 2014-11-13 DeploymentConfiguration.minimumHealthyPercent/maximumPercent: the lower and upper limits on running tasks during a deployment (with both at 100 ECS can neither start nor stop a task)",
		API:    "ecs:CreateService", Types: []string{"aws:ecs/service:Service"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for _, s := range c.Requests("ecs:CreateService", "ecs:UpdateService") {
				min, ok1 := number(get(s.Body, "deploymentConfiguration.minimumHealthyPercent"))
				max, ok2 := number(get(s.Body, "deploymentConfiguration.maximumPercent"))
				if ok1 && (min < 0 || min > 100) {
					out = append(out, found(s.API, "deploymentConfiguration.minimumHealthyPercent", "must be 0-100, is %v", min))
				}
				if ok1 && ok2 && min >= max {
					out = append(out, found(s.API, "deploymentConfiguration.maximumPercent", "must be above minimumHealthyPercent (%v), is %v", min, max))
				}
			}
			return out
		},
	},
	{
		ID: "ecs-blue-green", Title: "BLUE_GREEN needs bakeTimeInMinutes (0-1440) and each load balancer's advancedConfiguration",
		Source: "botocore ecs 2014-11-13 DeploymentConfiguration.bakeTimeInMinutes (you must provide it with BLUE_GREEN); ECS Developer Guide, Amazon ECS blue/green deployments: the alternate target group, production listener rule and role",
		API:    "ecs:CreateService", Types: []string{"aws:ecs/service:Service"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for _, s := range c.Requests("ecs:CreateService", "ecs:UpdateService") {
				if get(s.Body, "deploymentConfiguration.strategy") != "BLUE_GREEN" {
					continue
				}
				bake := get(s.Body, "deploymentConfiguration.bakeTimeInMinutes")
				if n, ok := number(bake); bake == nil || ok && (n < 0 || n > 1440) {
					out = append(out, found(s.API, "deploymentConfiguration.bakeTimeInMinutes", "BLUE_GREEN needs a bake time of 0-1440 minutes, has %v", bake))
				}
				for i, lb := range items(s.Body["loadBalancers"]) {
					for _, k := range []string{"alternateTargetGroupArn", "productionListenerRule", "roleArn"} {
						if get(lb, "advancedConfiguration."+k) == nil {
							out = append(out, found(s.API, fmt.Sprintf("loadBalancers[%d].advancedConfiguration.%s", i, k), "BLUE_GREEN needs it"))
						}
					}
				}
			}
			return out
		},
	},
	{
		ID: "ecs-steady-state-timeout", Title: "With waitForSteadyState, a blue/green bake fits in the provider's wait",
		Source: "terraform-provider-aws internal/service/ecs/service.go: wait_for_steady_state waits for the deployment within the update (create) timeout, 20 minutes unless customTimeouts say otherwise; a BLUE_GREEN deployment is steady only after the bake (plus at least ~5 minutes to start, register and shift)",
		API:    "ecs:UpdateService", Types: []string{"aws:ecs/service:Service"},
		Check: func(c *Context) []Finding {
			if c.Inputs["waitForSteadyState"] != true {
				return nil
			}
			bake, ok := number(get(c.Inputs, "deploymentConfiguration.bakeTimeInMinutes"))
			if s, isString := text(get(c.Inputs, "deploymentConfiguration.bakeTimeInMinutes")); isString {
				bake, ok = asNumber(s)
			}
			if !ok || get(c.Inputs, "deploymentConfiguration.strategy") != "BLUE_GREEN" {
				return nil
			}
			timeout := 20.0
			if t := c.Timeouts.Update; t > 0 && c.Update {
				timeout = t / 60
			} else if t := c.Timeouts.Create; t > 0 && !c.Update {
				timeout = t / 60
			}
			if bake+5 > timeout {
				return []Finding{found("", "deploymentConfiguration.bakeTimeInMinutes",
					"a bake of %v minutes plus ~5 minutes of rollout does not fit the provider's %v-minute wait for a steady state (set customTimeouts, or a shorter bake)", bake, timeout)}
			}
			return nil
		},
	},
	{
		ID: "ecs-fargate-task-size", Title: "A Fargate task's cpu and memory are one of Fargate's sizes",
		Source: "ECS Developer Guide, Amazon ECS task definition parameters for Fargate, Task size (the CPU and memory combinations)",
		API:    "ecs:RegisterTaskDefinition", Types: []string{"aws:ecs/taskDefinition:TaskDefinition"},
		Check: func(c *Context) []Finding {
			req := c.Request("ecs:RegisterTaskDefinition")
			cpu, ok1 := text(req["cpu"])
			mem, ok2 := text(req["memory"])
			if !fargate(c) || !ok1 || !ok2 {
				return nil
			}
			var m int
			fmt.Sscanf(mem, "%d", &m)
			if !fargateMemoryOK(cpu, m) {
				return []Finding{found("", "memory", "cpu %s with memory %s is not a Fargate task size", cpu, mem)}
			}
			return nil
		},
	},
	{
		ID: "ecs-container-name", Title: "Container names: up to 255 letters, numbers, underscores and hyphens",
		Source: "botocore ecs 2014-11-13 ContainerDefinition.name: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed",
		API:    "ecs:RegisterTaskDefinition", Types: []string{"aws:ecs/taskDefinition:TaskDefinition"},
		Check: func(c *Context) []Finding {
			var out []Finding
			re := regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)
			for i, cd := range containers(c) {
				if n, ok := text(cd["name"]); ok && !re.MatchString(n) {
					out = append(out, found("", fmt.Sprintf("containerDefinitions[%d].name", i), "must match %s, not %q", re, n))
				}
			}
			return out
		},
	},
	{
		ID: "ecs-awsvpc-ports", Title: "In awsvpc mode a port mapping's hostPort is its containerPort",
		Source: "botocore ecs 2014-11-13 PortMapping.hostPort: with the awsvpc network mode, hostPort must be blank or the same value as containerPort",
		API:    "ecs:RegisterTaskDefinition", Types: []string{"aws:ecs/taskDefinition:TaskDefinition"},
		Check: func(c *Context) []Finding {
			if c.Request("ecs:RegisterTaskDefinition")["networkMode"] != "awsvpc" {
				return nil
			}
			var out []Finding
			for i, cd := range containers(c) {
				for j, pm := range items(cd["portMappings"]) {
					host, container := get(pm, "hostPort"), get(pm, "containerPort")
					if host != nil && host != container {
						out = append(out, found("", fmt.Sprintf("containerDefinitions[%d].portMappings[%d].hostPort", i, j), "must equal containerPort (%v) in awsvpc mode, is %v", container, host))
					}
				}
			}
			return out
		},
	},
	{
		ID: "ecs-container-health-check", Title: "Container health check: interval 5-300 s, timeout 2-120 s, retries 1-10, startPeriod 0-300 s",
		Source: "botocore ecs 2014-11-13 HealthCheck.interval/timeout/retries/startPeriod",
		API:    "ecs:RegisterTaskDefinition", Types: []string{"aws:ecs/taskDefinition:TaskDefinition"},
		Check: func(c *Context) []Finding {
			var out []Finding
			limits := []struct {
				k        string
				min, max float64
			}{{"interval", 5, 300}, {"timeout", 2, 120}, {"retries", 1, 10}, {"startPeriod", 0, 300}}
			for i, cd := range containers(c) {
				for _, l := range limits {
					if n, ok := number(get(cd, "healthCheck."+l.k)); ok && (n < l.min || n > l.max) {
						out = append(out, found("", fmt.Sprintf("containerDefinitions[%d].healthCheck.%s", i, l.k), "must be %v-%v, is %v", l.min, l.max, n))
					}
				}
			}
			return out
		},
	},
	{
		ID: "ecs-fargate-stop-timeout", Title: "On Fargate a container's stopTimeout is at most 120 seconds",
		Source: "botocore ecs 2014-11-13 ContainerDefinition.stopTimeout: for tasks using Fargate, the max stop timeout value is 120 seconds",
		API:    "ecs:RegisterTaskDefinition", Types: []string{"aws:ecs/taskDefinition:TaskDefinition"},
		Check: func(c *Context) []Finding {
			if !fargate(c) {
				return nil
			}
			var out []Finding
			for i, cd := range containers(c) {
				if n, ok := number(cd["stopTimeout"]); ok && (n < 2 || n > 120) {
					out = append(out, found("", fmt.Sprintf("containerDefinitions[%d].stopTimeout", i), "must be 2-120 on Fargate, is %v", n))
				}
			}
			return out
		},
	},
	{
		ID: "ecs-awslogs-options", Title: "The awslogs driver needs awslogs-group and awslogs-region, and on Fargate awslogs-stream-prefix",
		Source: "ECS Developer Guide, Send Amazon ECS logs to CloudWatch (awslogs-group and awslogs-region required; awslogs-stream-prefix required when using Fargate)",
		API:    "ecs:RegisterTaskDefinition", Types: []string{"aws:ecs/taskDefinition:TaskDefinition"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for i, cd := range containers(c) {
				if get(cd, "logConfiguration.logDriver") != "awslogs" {
					continue
				}
				need := []string{"awslogs-group", "awslogs-region"}
				if fargate(c) {
					need = append(need, "awslogs-stream-prefix")
				}
				for _, k := range need {
					if s, _ := text(get(cd, "logConfiguration.options")); s == "" && get(cd, "logConfiguration.options."+k) == nil {
						out = append(out, found("", fmt.Sprintf("containerDefinitions[%d].logConfiguration.options.%s", i, k), "is required by the awslogs driver"))
					}
				}
			}
			return out
		},
	},
	{
		ID: "ecs-secret-value-from", Title: "A container secret's valueFrom is a Secrets Manager ARN (optionally :json-key:stage:version) or an SSM parameter",
		Source: "ECS Developer Guide, Pass Secrets Manager secrets through Amazon ECS environment variables (arn:aws:secretsmanager:region:account:secret:name[:json-key:version-stage:version-id]) and Pass Systems Manager parameters",
		API:    "ecs:RegisterTaskDefinition", Types: []string{"aws:ecs/taskDefinition:TaskDefinition"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for i, cd := range containers(c) {
				for j, s := range items(cd["secrets"]) {
					v, ok := text(get(s, "valueFrom"))
					if !ok {
						continue
					}
					member := fmt.Sprintf("containerDefinitions[%d].secrets[%d].valueFrom", i, j)
					switch {
					case strings.Contains(v, ":secretsmanager:") && !secretARN.MatchString(v):
						out = append(out, found("", member, "a Secrets Manager valueFrom is arn:aws:secretsmanager:<region>:<account>:secret:<name>[:<json-key>:<version-stage>:<version-id>], not %q", v))
					case strings.HasPrefix(v, "arn:") && !strings.Contains(v, ":secretsmanager:") && !regexp.MustCompile(`^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter/.+$`).MatchString(v):
						out = append(out, found("", member, "must be a Secrets Manager secret or SSM parameter ARN, not %q", v))
					}
				}
			}
			return out
		},
	},
	{
		ID: "ecs-capacity-provider-strategy", Title: "A capacity provider strategy: at most one base, and Fargate and Auto Scaling group providers not mixed",
		Source: "botocore ecs 2014-11-13 CapacityProviderStrategyItem.base (only one capacity provider in a strategy can have a base defined) and CreateServiceRequest.capacityProviderStrategy (a strategy may contain Fargate providers or Auto Scaling group providers, not both)",
		API:    "ecs:CreateService", Types: []string{"aws:ecs/service:Service", "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"},
		Check: func(c *Context) []Finding {
			var out []Finding
			check := func(api, member string, strategy []any) {
				bases, fargate, other := 0, 0, 0
				for _, item := range strategy {
					if b, ok := number(get(item, "base")); ok && b > 0 {
						bases++
					}
					if p, _ := text(get(item, "capacityProvider")); p == "FARGATE" || p == "FARGATE_SPOT" {
						fargate++
					} else {
						other++
					}
				}
				if bases > 1 {
					out = append(out, found(api, member, "only one capacity provider may have a base, %d do", bases))
				}
				if fargate > 0 && other > 0 {
					out = append(out, found(api, member, "cannot mix FARGATE/FARGATE_SPOT with Auto Scaling group capacity providers"))
				}
			}
			for _, s := range c.Requests("ecs:CreateService", "ecs:UpdateService") {
				check(s.API, "capacityProviderStrategy", items(s.Body["capacityProviderStrategy"]))
			}
			if s := c.Request("ecs:PutClusterCapacityProviders"); s != nil {
				check("ecs:PutClusterCapacityProviders", "defaultCapacityProviderStrategy", items(s["defaultCapacityProviderStrategy"]))
			}
			return out
		},
	},

	// Elastic Load Balancing.
	{
		ID: "elb-name", Title: "Load balancer and target group names: at most 32 alphanumerics or hyphens, no hyphen at either end, no internal- prefix",
		Source: "botocore elbv2 2015-12-01 CreateLoadBalancerInput.Name and CreateTargetGroupInput.Name",
		API:    "elbv2:CreateLoadBalancer", Types: []string{"aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup"},
		Check: func(c *Context) []Finding {
			re := regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$`)
			var out []Finding
			for _, s := range c.Requests("elbv2:CreateLoadBalancer", "elbv2:CreateTargetGroup") {
				n, ok := text(s.Body["Name"])
				if ok && (!re.MatchString(n) || s.API == "elbv2:CreateLoadBalancer" && strings.HasPrefix(n, "internal-")) {
					out = append(out, found(s.API, "Name", "must match %s (and not start with internal-), not %q", re, n))
				}
			}
			return out
		},
	},
	{
		ID: "elb-health-check-timeout", Title: "A target group's health check timeout is shorter than its interval",
		Source: "ELB User Guide for Application Load Balancers, Health checks for your target groups (HealthCheckTimeoutSeconds must be smaller than HealthCheckIntervalSeconds; ELB answers ValidationError)",
		API:    "elbv2:CreateTargetGroup", Types: []string{"aws:lb/targetGroup:TargetGroup"},
		Check: func(c *Context) []Finding {
			for _, s := range c.Requests("elbv2:CreateTargetGroup", "elbv2:ModifyTargetGroup") {
				t, ok1 := number(s.Body["HealthCheckTimeoutSeconds"])
				i, ok2 := number(s.Body["HealthCheckIntervalSeconds"])
				if ok1 && ok2 && t >= i {
					return []Finding{found(s.API, "HealthCheckTimeoutSeconds", "must be smaller than HealthCheckIntervalSeconds (%v), is %v", i, t)}
				}
			}
			return nil
		},
	},
	{
		ID: "elb-attribute-ranges", Title: "Load balancer and target group attributes within their ranges",
		Source: "botocore elbv2 2015-12-01 LoadBalancerAttribute.Key (idle_timeout.timeout_seconds 1-4000, client_keep_alive.seconds 60-604800) and TargetGroupAttribute.Key (deregistration_delay.timeout_seconds 0-3600, slow_start.duration_seconds 30-900 or 0, stickiness.lb_cookie.duration_seconds 1-604800)",
		API:    "elbv2:ModifyLoadBalancerAttributes", Types: []string{"aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup"},
		Check: func(c *Context) []Finding {
			ranges := map[string][2]float64{
				"idle_timeout.timeout_seconds": {1, 4000}, "client_keep_alive.seconds": {60, 604800},
				"deregistration_delay.timeout_seconds": {0, 3600}, "slow_start.duration_seconds": {30, 900},
				"stickiness.lb_cookie.duration_seconds": {1, 604800},
			}
			var out []Finding
			for _, s := range c.Requests("elbv2:ModifyLoadBalancerAttributes", "elbv2:ModifyTargetGroupAttributes") {
				for i, a := range items(s.Body["Attributes"]) {
					key, _ := text(get(a, "Key"))
					r, ok := ranges[key]
					v, isText := text(get(a, "Value"))
					n, isNumber := asNumber(v)
					if !ok || !isText {
						continue
					}
					if !isNumber || (n < r[0] || n > r[1]) && !(key == "slow_start.duration_seconds" && n == 0) {
						out = append(out, found(s.API, fmt.Sprintf("Attributes[%d].Value", i), "%s must be %v-%v, is %q", key, r[0], r[1], v))
					}
				}
			}
			return out
		},
	},
	{
		ID: "elb-rule-priority-unique", Title: "A listener's rules have different priorities",
		Source: "botocore elbv2 2015-12-01 CreateRuleInput.Priority: a listener can't have multiple rules with the same priority (PriorityInUse)",
		API:    "elbv2:CreateRule", Types: []string{"aws:lb/listenerRule:ListenerRule"},
		Check: func(c *Context) []Finding {
			listener, ok1 := text(c.Inputs["listenerArn"])
			prio, ok2 := number(c.Inputs["priority"])
			if !ok1 || !ok2 || c.URN == "" {
				return nil
			}
			taken := c.ledger.priorities[listener]
			if taken == nil {
				taken = map[float64]string{}
				c.ledger.priorities[listener] = taken
			}
			if other, ok := taken[prio]; ok && other != c.URN {
				return []Finding{found("", "Priority", "priority %v is already taken on this listener by %s", prio, other)}
			}
			for p, u := range taken {
				if u == c.URN {
					delete(taken, p)
				}
			}
			taken[prio] = c.URN
			return nil
		},
	},
	{
		ID: "elb-rule-conditions", Title: "A listener rule: at most 5 condition values, one condition of each single-use field, path patterns of at most 128 characters",
		Source: "ELB User Guide for Application Load Balancers, Quotas (condition values per rule: 5) and Listener rules, Condition types (one host-header, path-pattern, http-request-method and source-ip condition per rule; a path pattern is at most 128 characters)",
		API:    "elbv2:CreateRule", Types: []string{"aws:lb/listenerRule:ListenerRule"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for _, s := range c.Requests("elbv2:CreateRule", "elbv2:ModifyRule") {
				values, fields := 0, map[string]int{}
				for i, cond := range items(s.Body["Conditions"]) {
					field, _ := text(get(cond, "Field"))
					fields[field]++
					for _, cfg := range []string{"HostHeaderConfig", "PathPatternConfig", "HttpHeaderConfig", "HttpRequestMethodConfig", "QueryStringConfig", "SourceIpConfig"} {
						vs := items(get(cond, cfg+".Values"))
						values += len(vs)
						if cfg == "PathPatternConfig" {
							for j, v := range vs {
								if p, _ := text(v); len(p) > 128 {
									out = append(out, found(s.API, fmt.Sprintf("Conditions[%d].PathPatternConfig.Values[%d]", i, j), "a path pattern is at most 128 characters, has %d", len(p)))
								}
							}
						}
					}
				}
				if values > 5 {
					out = append(out, found(s.API, "Conditions", "at most 5 condition values per rule, has %d", values))
				}
				for _, f := range []string{"host-header", "path-pattern", "http-request-method", "source-ip"} {
					if fields[f] > 1 {
						out = append(out, found(s.API, "Conditions", "at most one %s condition per rule, has %d", f, fields[f]))
					}
				}
			}
			return out
		},
	},
	{
		ID: "elb-https-certificate", Title: "An HTTPS listener has exactly one default certificate; an HTTP one none",
		Source: "botocore elbv2 2015-12-01 CreateListenerInput.Certificates: [HTTPS and TLS listeners] you must provide exactly one certificate",
		API:    "elbv2:CreateListener", Types: []string{"aws:lb/listener:Listener"},
		Check: func(c *Context) []Finding {
			for _, s := range c.Requests("elbv2:CreateListener", "elbv2:ModifyListener") {
				n := len(items(s.Body["Certificates"]))
				switch s.Body["Protocol"] {
				case "HTTPS", "TLS":
					if n != 1 {
						return []Finding{found(s.API, "Certificates", "an %v listener needs exactly one certificate, has %d", s.Body["Protocol"], n)}
					}
				case "HTTP", "TCP", "UDP":
					if n > 0 {
						return []Finding{found(s.API, "Certificates", "an %v listener takes no certificate", s.Body["Protocol"])}
					}
				}
			}
			return nil
		},
	},
	{
		ID: "elb-alb-subnets", Title: "An Application Load Balancer is in at least two subnets",
		Source: "botocore elbv2 2015-12-01 CreateLoadBalancerInput.Subnets: [Application Load Balancers] you must specify subnets from at least two Availability Zones",
		API:    "elbv2:CreateLoadBalancer", Types: []string{"aws:lb/loadBalancer:LoadBalancer"},
		Check: func(c *Context) []Finding {
			s := c.Request("elbv2:CreateLoadBalancer")
			if s == nil || s["Type"] != nil && s["Type"] != "application" {
				return nil
			}
			subnets, mappings := s["Subnets"], s["SubnetMappings"]
			if _, unknown := subnets.(Unknown); unknown || subnets == nil && mappings != nil {
				return nil
			}
			if n := len(items(subnets)); n < 2 {
				return []Finding{found("", "Subnets", "an Application Load Balancer needs subnets in at least two Availability Zones, has %d subnet(s)", n)}
			}
			return nil
		},
	},
	{
		ID: "elb-forward-weights", Title: "A forward action: 1-5 target groups, weights 0-999",
		Source: "botocore elbv2 2015-12-01 TargetGroupTuple.Weight (the range is 0 to 999); ELB User Guide, Listener rules, Forward actions (up to 5 target groups)",
		API:    "elbv2:CreateListener", Types: []string{"aws:lb/listener:Listener", "aws:lb/listenerRule:ListenerRule"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for _, s := range c.Requests("elbv2:CreateListener", "elbv2:ModifyListener", "elbv2:CreateRule", "elbv2:ModifyRule") {
				list := "DefaultActions"
				if strings.HasSuffix(s.API, "Rule") {
					list = "Actions"
				}
				for i, a := range items(s.Body[list]) {
					if !known(a) {
						continue
					}
					tgs := items(get(a, "ForwardConfig.TargetGroups"))
					if get(a, "ForwardConfig") != nil && (len(tgs) < 1 || len(tgs) > 5) {
						out = append(out, found(s.API, fmt.Sprintf("%s[%d].ForwardConfig.TargetGroups", list, i), "1-5 target groups, has %d", len(tgs)))
					}
					for j, tg := range tgs {
						if w, ok := number(get(tg, "Weight")); ok && (w < 0 || w > 999) {
							out = append(out, found(s.API, fmt.Sprintf("%s[%d].ForwardConfig.TargetGroups[%d].Weight", list, i, j), "must be 0-999, is %v", w))
						}
					}
				}
			}
			return out
		},
	},

	// IAM and resource policies.
	{
		ID: "policy-grammar", Title: "Policies are JSON with Version 2012-10-17 and statements of Effect, Action and Resource (identity) or Principal (resource and trust policies)",
		Source: "IAM User Guide, IAM JSON policy element reference (Version, Statement, Effect, Principal, Action/NotAction, Resource/NotResource); MalformedPolicyDocument",
		API:    "iam:PutRolePolicy",
		Check: func(c *Context) []Finding {
			var out []Finding
			for _, p := range policies(c) {
				doc, sts, err := statements(p.doc)
				if err != nil {
					out = append(out, found(p.api, p.member, "is not JSON: %v", err))
					continue
				}
				if v := doc["Version"]; v != "2012-10-17" && v != "2008-10-17" {
					out = append(out, found(p.api, p.member+".Version", "must be 2012-10-17, is %v", v))
				}
				if len(sts) == 0 {
					out = append(out, found(p.api, p.member+".Statement", "needs at least one statement"))
				}
				sids := map[string]bool{}
				for i, st := range sts {
					at := fmt.Sprintf("%s.Statement[%d]", p.member, i)
					if e := st["Effect"]; e != "Allow" && e != "Deny" {
						out = append(out, found(p.api, at+".Effect", "must be Allow or Deny, is %v", e))
					}
					if (st["Action"] == nil) == (st["NotAction"] == nil) {
						out = append(out, found(p.api, at, "needs exactly one of Action and NotAction"))
					}
					principal := st["Principal"] != nil || st["NotPrincipal"] != nil
					if p.identity && principal {
						out = append(out, found(p.api, at+".Principal", "an identity policy names no Principal"))
					}
					if p.identity && (st["Resource"] == nil) == (st["NotResource"] == nil) {
						out = append(out, found(p.api, at, "an identity policy needs exactly one of Resource and NotResource"))
					}
					if !p.identity && !principal {
						out = append(out, found(p.api, at, "a resource or trust policy needs a Principal"))
					}
					if sid, ok := text(st["Sid"]); ok {
						if sids[sid] || !regexp.MustCompile(`^[A-Za-z0-9]*$`).MatchString(sid) {
							out = append(out, found(p.api, at+".Sid", "Sids are alphanumeric and unique in a policy, %q is not", sid))
						}
						sids[sid] = true
					}
				}
			}
			return out
		},
	},
	{
		ID: "iam-inline-policy-size", Title: "A role's inline policies total at most 10,240 characters",
		Source: "IAM User Guide, IAM and AWS STS quotas: role policy size, the aggregate of all inline policies of a role, 10,240 characters (white space not counted); LimitExceeded",
		API:    "iam:PutRolePolicy", Types: []string{"aws:iam/rolePolicy:RolePolicy"},
		Check: func(c *Context) []Finding {
			s := c.Request("iam:PutRolePolicy")
			role, ok1 := text(s["RoleName"])
			doc, ok2 := text(s["PolicyDocument"])
			if !ok1 || !ok2 {
				return nil
			}
			key := c.URN
			if key == "" {
				key = fmt.Sprint(c.Name)
			}
			sizes := c.ledger.rolePolicies[role]
			if sizes == nil {
				sizes = map[string]int{}
				c.ledger.rolePolicies[role] = sizes
			}
			sizes[key] = nonWhitespace(doc)
			total := 0
			for _, n := range sizes {
				total += n
			}
			if total > 10240 {
				return []Finding{found("", "PolicyDocument", "the inline policies of role %s total %d characters, over 10,240", role, total)}
			}
			return nil
		},
	},
	{
		ID: "iam-trust-policy-size", Title: "A role's trust policy is at most 2,048 characters",
		Source: "IAM User Guide, IAM and AWS STS quotas: role trust policy length, 2,048 characters (default quota; white space not counted)",
		API:    "iam:CreateRole", Types: []string{"aws:iam/role:Role"},
		Check: func(c *Context) []Finding {
			for _, p := range policies(c) {
				if n := nonWhitespace(p.doc); n > 2048 {
					return []Finding{found(p.api, p.member, "is %d characters, over the 2,048 quota", n)}
				}
			}
			return nil
		},
	},
	{
		ID: "secret-arn-in-policy", Title: "A policy names a Secrets Manager secret by its full ARN or with a wildcard, never with a JSON key (IAM accepts either, but the grant matches no secret)",
		Source: "Secrets Manager User Guide, Permissions policy examples and Secret ARNs: the ARN ends with a hyphen and six random characters, so a partial ARN needs -?????? (and ECS's :json-key:stage:version suffix is no part of the ARN)",
		API:    "iam:PutRolePolicy", Types: []string{"aws:iam/rolePolicy:RolePolicy"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for _, p := range policies(c) {
				_, sts, err := statements(p.doc)
				if err != nil {
					continue
				}
				for i, st := range sts {
					for _, r := range oneOrMore(st["Resource"]) {
						if !strings.Contains(r, ":secretsmanager:") || strings.ContainsAny(r, "*?") {
							continue
						}
						m := secretARN.FindStringSubmatch(r)
						switch {
						case m == nil || m[2] != "" || m[3] != "" || m[4] != "" || strings.Count(r, ":") != 6:
							out = append(out, found(p.api, fmt.Sprintf("%s.Statement[%d].Resource", p.member, i), "a secret's ARN has no :json-key:stage:version suffix: %q", r))
						case !fullSecretName.MatchString(m[1]):
							out = append(out, found(p.api, fmt.Sprintf("%s.Statement[%d].Resource", p.member, i), "a partial secret ARN matches no secret; end it with -?????? or give the full ARN: %q", r))
						}
					}
				}
			}
			return out
		},
	},
	{
		ID: "resource-policy-size", Title: "Resource policies within their services' size quotas",
		Source: "S3 User Guide, Bucket policies (at most 20 KB); KMS Developer Guide, Quotas (key policy document size 32 KB); SNS quotas (topic policy 30 KB)",
		API:    "s3:PutBucketPolicy",
		Types:  []string{"aws:s3/bucketPolicy:BucketPolicy", "aws:kms/key:Key", "aws:sns/topicPolicy:TopicPolicy", "aws:sns/topic:Topic"},
		Check: func(c *Context) []Finding {
			limits := map[string]int{"s3:PutBucketPolicy": 20 * 1024, "kms:CreateKey": 32 * 1024, "kms:PutKeyPolicy": 32 * 1024,
				"sns:SetTopicAttributes": 30 * 1024, "sns:CreateTopic": 30 * 1024}
			var out []Finding
			for _, p := range policies(c) {
				if max, ok := limits[p.api]; ok && len(p.doc) > max {
					out = append(out, found(p.api, p.member, "is %d bytes, over %d", len(p.doc), max))
				}
			}
			return out
		},
	},

	// WAF.
	{
		ID: "waf-regex-length", Title: "A WAF regex is at most 200 characters",
		Source: "WAF Developer Guide, AWS WAF quotas: maximum number of characters in a regex pattern, 200 (not adjustable; botocore wafv2 RegexMatchStatement.RegexString points there); WAFLimitsExceededException",
		API:    "wafv2:CreateWebACL", Types: []string{"aws:wafv2/webAcl:WebAcl"},
		Check: func(c *Context) []Finding {
			return wafStatements(c, func(api, at string, st map[string]any) []Finding {
				if re, ok := text(get(st, "RegexMatchStatement.RegexString")); ok && len(re) > 200 {
					return []Finding{found(api, at+".RegexMatchStatement.RegexString", "is %d characters, over WAF's 200", len(re))}
				}
				return nil
			})
		},
	},
	{
		ID: "waf-regex-syntax", Title: "A WAF regex compiles and uses only the syntax WAF supports",
		Source: "WAF Developer Guide, Supported regular expression syntax in AWS WAF (PCRE without backreferences, lookaround, \\C, \\R, \\K, \\X, possessive quantifiers, conditionals or recursion); WAFInvalidParameterException",
		API:    "wafv2:CreateWebACL", Types: []string{"aws:wafv2/webAcl:WebAcl"},
		Check: func(c *Context) []Finding {
			return wafStatements(c, func(api, at string, st map[string]any) []Finding {
				re, ok := text(get(st, "RegexMatchStatement.RegexString"))
				if !ok {
					return nil
				}
				if bad := wafRegexUnsupported.FindString(re); bad != "" {
					return []Finding{found(api, at+".RegexMatchStatement.RegexString", "uses %q, which WAF does not support", bad)}
				}
				if _, err := regexp.Compile(re); err != nil {
					return []Finding{found(api, at+".RegexMatchStatement.RegexString", "does not compile: %v", err)}
				}
				return nil
			})
		},
	},
	{
		ID: "waf-rules-unique", Title: "A web ACL's rules have different priorities and names",
		Source: "botocore wafv2 2019-07-29 Rule.Priority (rules are evaluated by priority; priorities must all be different) and Rule.Name; WAFDuplicateItemException",
		API:    "wafv2:CreateWebACL", Types: []string{"aws:wafv2/webAcl:WebAcl"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for _, s := range c.Requests("wafv2:CreateWebACL", "wafv2:UpdateWebACL") {
				prios, names := map[float64]bool{}, map[string]bool{}
				for i, r := range items(s.Body["Rules"]) {
					if p, ok := number(get(r, "Priority")); ok {
						if prios[p] {
							out = append(out, found(s.API, fmt.Sprintf("Rules[%d].Priority", i), "priority %v is used twice", p))
						}
						prios[p] = true
					}
					if n, ok := text(get(r, "Name")); ok {
						if names[n] {
							out = append(out, found(s.API, fmt.Sprintf("Rules[%d].Name", i), "name %q is used twice", n))
						}
						names[n] = true
					}
				}
			}
			return out
		},
	},
	{
		ID: "waf-capacity", Title: "A web ACL uses at most 5,000 WCUs",
		Source: "WAF Developer Guide, AWS WAF quotas (maximum web ACL capacity units: 5,000) and Rule statements list / AWS Managed Rules rule groups list (each statement's and group's WCUs); WAFLimitsExceededException",
		API:    "wafv2:CreateWebACL", Types: []string{"aws:wafv2/webAcl:WebAcl"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for _, s := range c.Requests("wafv2:CreateWebACL", "wafv2:UpdateWebACL") {
				total := 0.0
				for i, r := range items(s.Body["Rules"]) {
					st, _ := get(r, "Statement").(map[string]any)
					n, unknown := wcu(st)
					if unknown != "" {
						out = append(out, found(s.API, fmt.Sprintf("Rules[%d].Statement", i), "the contract knows no capacity for %s: add it to wafManagedCapacity/wcu", unknown))
					}
					total += n
				}
				if total > 5000 {
					out = append(out, found(s.API, "Rules", "the rules need %v WCUs, over 5,000", total))
				}
			}
			return out
		},
	},
	{
		ID: "waf-metric-name", Title: "WAF metric names: 1-128 characters, not All or Default_Action",
		Source: "botocore wafv2 2019-07-29 VisibilityConfig.MetricName: from one to 128 characters; can't contain whitespace or names reserved for WAF (All, Default_Action)",
		API:    "wafv2:CreateWebACL", Types: []string{"aws:wafv2/webAcl:WebAcl"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for _, s := range c.Requests("wafv2:CreateWebACL", "wafv2:UpdateWebACL") {
				check := func(member string) {
					n, ok := text(get(s.Body, member))
					if ok && (len(n) > 128 || n == "All" || n == "Default_Action") {
						out = append(out, found(s.API, member, "%q is too long or reserved", n))
					}
				}
				check("VisibilityConfig.MetricName")
				for i := range items(s.Body["Rules"]) {
					check(fmt.Sprintf("Rules[%d].VisibilityConfig.MetricName", i))
				}
			}
			return out
		},
	},

	// CloudWatch.
	{
		ID: "cw-alarm-return-data", Title: "A metric math alarm returns exactly one time series",
		Source: "botocore cloudwatch 2010-08-01 PutMetricAlarmInput.Metrics and MetricDataQuery.ReturnData: in PutMetricAlarm, specify True for the one expression result to use as the alarm and False for all others (ReturnData defaults to True)",
		API:    "cloudwatch:PutMetricAlarm", Types: []string{"aws:cloudwatch/metricAlarm:MetricAlarm"},
		Check: func(c *Context) []Finding {
			qs := items(c.Request("cloudwatch:PutMetricAlarm")["Metrics"])
			if len(qs) == 0 || !known(qs) {
				return nil
			}
			n := 0
			for _, q := range qs {
				if r := get(q, "ReturnData"); r == nil || r == true {
					n++
				}
			}
			if n != 1 {
				return []Finding{found("", "Metrics", "exactly one query returns data (ReturnData true or absent), %d do", n)}
			}
			return nil
		},
	},
	{
		ID: "cw-metric-query-ids", Title: "Metric query ids start with a lowercase letter, hold letters, digits and _, and are unique",
		Source: "botocore cloudwatch 2010-08-01 MetricDataQuery.Id: letters, numbers, and underscore; the first character must be a lowercase letter; unique within the call",
		API:    "cloudwatch:PutMetricAlarm", Types: []string{"aws:cloudwatch/metricAlarm:MetricAlarm"},
		Check: func(c *Context) []Finding {
			re := regexp.MustCompile(`^[a-z][A-Za-z0-9_]*$`)
			var out []Finding
			seen := map[string]bool{}
			for i, q := range items(c.Request("cloudwatch:PutMetricAlarm")["Metrics"]) {
				id, ok := text(get(q, "Id"))
				if ok && (!re.MatchString(id) || seen[id]) {
					out = append(out, found("", fmt.Sprintf("Metrics[%d].Id", i), "must match %s and be unique, %q is not", re, id))
				}
				seen[id] = true
			}
			return out
		},
	},
	{
		ID: "cw-alarm-metric-source", Title: "An alarm watches a metric or metric queries, not both; each query is an expression or a metric",
		Source: "botocore cloudwatch 2010-08-01 PutMetricAlarmInput.Metrics (if you specify Metrics, you cannot specify MetricName, Namespace, Statistic, Period, Dimensions) and MetricDataQuery.Expression (either Expression or MetricStat but not both)",
		API:    "cloudwatch:PutMetricAlarm", Types: []string{"aws:cloudwatch/metricAlarm:MetricAlarm"},
		Check: func(c *Context) []Finding {
			s := c.Request("cloudwatch:PutMetricAlarm")
			var out []Finding
			if !known(s["Metrics"]) {
				return nil
			}
			qs := items(s["Metrics"])
			single := s["MetricName"] != nil || s["Namespace"] != nil || s["Statistic"] != nil || s["ExtendedStatistic"] != nil || s["Period"] != nil
			if len(qs) > 0 && single {
				out = append(out, found("", "Metrics", "cannot be given with MetricName/Namespace/Statistic/Period"))
			}
			if len(qs) == 0 && !single && s["ThresholdMetricId"] == nil {
				out = append(out, found("", "MetricName", "an alarm needs a metric or metric queries"))
			}
			for i, q := range qs {
				if (get(q, "Expression") == nil) == (get(q, "MetricStat") == nil) {
					out = append(out, found("", fmt.Sprintf("Metrics[%d]", i), "needs exactly one of Expression and MetricStat"))
				}
			}
			return out
		},
	},
	{
		ID: "cw-alarm-period", Title: "Alarm periods are 10, 20, 30 or a multiple of 60; datapoints within evaluation periods",
		Source: "botocore cloudwatch 2010-08-01 PutMetricAlarmInput.Period and MetricStat.Period (valid values are 10, 20, 30, and any multiple of 60) and DatapointsToAlarm (the M of M out of N, N being EvaluationPeriods)",
		API:    "cloudwatch:PutMetricAlarm", Types: []string{"aws:cloudwatch/metricAlarm:MetricAlarm"},
		Check: func(c *Context) []Finding {
			s := c.Request("cloudwatch:PutMetricAlarm")
			var out []Finding
			check := func(member string, v any) {
				if p, ok := number(v); ok && p != 10 && p != 20 && p != 30 && (p < 60 || int(p)%60 != 0) {
					out = append(out, found("", member, "must be 10, 20, 30 or a multiple of 60, is %v", p))
				}
			}
			check("Period", s["Period"])
			for i, q := range items(s["Metrics"]) {
				check(fmt.Sprintf("Metrics[%d].MetricStat.Period", i), get(q, "MetricStat.Period"))
				check(fmt.Sprintf("Metrics[%d].Period", i), get(q, "Period"))
			}
			m, ok1 := number(s["DatapointsToAlarm"])
			n, ok2 := number(s["EvaluationPeriods"])
			if ok1 && ok2 && m > n {
				out = append(out, found("", "DatapointsToAlarm", "must be at most EvaluationPeriods (%v), is %v", n, m))
			}
			return out
		},
	},
	{
		ID: "cw-dashboard", Title: "A dashboard's name is letters, digits, - and _ (at most 255), and its body a JSON object with widgets",
		Source: "botocore cloudwatch 2010-08-01 PutDashboardInput.DashboardName (maximum length 255; A-Z, a-z, 0-9, -, _) and DashboardBody (CloudWatch API Reference, Dashboard Body Structure and Syntax: widgets is required)",
		API:    "cloudwatch:PutDashboard", Types: []string{"aws:cloudwatch/dashboard:Dashboard"},
		Check: func(c *Context) []Finding {
			s := c.Request("cloudwatch:PutDashboard")
			var out []Finding
			if n, ok := text(s["DashboardName"]); ok && !regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`).MatchString(n) {
				out = append(out, found("", "DashboardName", "letters, digits, - and _ only (at most 255), not %q", n))
			}
			if b, ok := text(s["DashboardBody"]); ok {
				var body map[string]any
				if err := json.Unmarshal([]byte(b), &body); err != nil {
					out = append(out, found("", "DashboardBody", "is not a JSON object: %v", err))
				} else if _, ok := body["widgets"].([]any); !ok {
					out = append(out, found("", "DashboardBody", "needs a widgets list"))
				}
			}
			return out
		},
	},
	{
		ID: "logs-retention", Title: "Log retention is one of CloudWatch Logs' values",
		Source: "CloudWatch Logs API Reference, PutRetentionPolicy, retentionInDays: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653",
		API:    "logs:PutRetentionPolicy", Types: []string{"aws:cloudwatch/logGroup:LogGroup"},
		Check: func(c *Context) []Finding {
			if d, ok := number(get(c.Request("logs:PutRetentionPolicy"), "retentionInDays")); ok {
				for _, v := range retentionDays {
					if v == d {
						return nil
					}
				}
				return []Finding{found("", "retentionInDays", "must be one of %v, is %v", retentionDays, d)}
			}
			return nil
		},
	},

	// S3.
	{
		ID: "s3-bucket-name", Title: "Bucket names follow S3's naming rules",
		Source: "S3 User Guide, General purpose bucket naming rules: 3-63 characters of lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit, no two adjacent periods, not an IP address, no xn--, sthree- or amzn-s3-demo- prefix, no -s3alias, --ol-s3 or .mrap suffix",
		API:    "s3:CreateBucket", Types: []string{"aws:s3/bucket:Bucket"},
		Check: func(c *Context) []Finding {
			n, ok := text(c.Request("s3:CreateBucket")["Bucket"])
			if !ok {
				return nil
			}
			bad := !s3BucketName.MatchString(n) || strings.Contains(n, "..") || net.ParseIP(n) != nil
			for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
				bad = bad || strings.HasPrefix(n, p)
			}
			for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3"} {
				bad = bad || strings.HasSuffix(n, s)
			}
			if bad {
				return []Finding{found("", "Bucket", "%q breaks S3's bucket naming rules", n)}
			}
			return nil
		},
	},
	{
		ID: "s3-lifecycle-rules", Title: "Lifecycle rules: at most 1,000, ids of at most 255 characters, each with an action",
		Source: "S3 User Guide, Lifecycle configuration elements (ID up to 255 characters; up to 1,000 rules; a rule needs at least one action)",
		API:    "s3:PutBucketLifecycleConfiguration", Types: []string{"aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"},
		Check: func(c *Context) []Finding {
			rules := items(get(c.Request("s3:PutBucketLifecycleConfiguration"), "LifecycleConfiguration.Rules"))
			var out []Finding
			if len(rules) > 1000 {
				out = append(out, found("", "LifecycleConfiguration.Rules", "at most 1,000 rules, has %d", len(rules)))
			}
			for i, r := range rules {
				if !known(r) {
					continue
				}
				if id, ok := text(get(r, "ID")); ok && len(id) > 255 {
					out = append(out, found("", fmt.Sprintf("LifecycleConfiguration.Rules[%d].ID", i), "at most 255 characters"))
				}
				action := false
				for _, k := range []string{"Expiration", "Transitions", "NoncurrentVersionExpiration", "NoncurrentVersionTransitions", "AbortIncompleteMultipartUpload"} {
					action = action || get(r, k) != nil
				}
				if !action {
					out = append(out, found("", fmt.Sprintf("LifecycleConfiguration.Rules[%d]", i), "a rule needs at least one action"))
				}
			}
			return out
		},
	},

	// SNS, KMS, ECR.
	{
		ID: "sns-topic-name", Title: "Topic names: 1-256 letters, digits, hyphens and underscores (.fifo for FIFO topics)",
		Source: "botocore sns 2010-03-31 CreateTopicInput.Name: up to 256 characters; uppercase and lowercase ASCII letters, numbers, underscores, and hyphens; a FIFO topic's name ends with .fifo",
		API:    "sns:CreateTopic", Types: []string{"aws:sns/topic:Topic"},
		Check: func(c *Context) []Finding {
			s := c.Request("sns:CreateTopic")
			n, ok := text(s["Name"])
			if !ok {
				return nil
			}
			base := n
			if get(s, "Attributes.FifoTopic") == "true" {
				base = strings.TrimSuffix(n, ".fifo")
				if base == n {
					return []Finding{found("", "Name", "a FIFO topic's name ends with .fifo: %q", n)}
				}
			}
			if !regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`).MatchString(base) || len(n) > 256 {
				return []Finding{found("", "Name", "letters, digits, - and _ only (1-256), not %q", n)}
			}
			return nil
		},
	},
	{
		ID: "kms-deletion-window", Title: "A key's deletion window is 7-30 days",
		Source: "botocore kms 2014-11-01 ScheduleKeyDeletionRequest.PendingWindowInDays: if you include a value, it must be between 7 and 30, inclusive",
		API:    "kms:ScheduleKeyDeletion", Types: []string{"aws:kms/key:Key"},
		Check: func(c *Context) []Finding {
			if d, ok := number(c.Request("kms:ScheduleKeyDeletion")["PendingWindowInDays"]); ok && (d < 7 || d > 30) {
				return []Finding{found("", "PendingWindowInDays", "must be 7-30, is %v", d)}
			}
			return nil
		},
	},
	{
		ID: "ecr-lifecycle-policy", Title: "An ECR lifecycle policy's rules are well formed",
		Source: "ECR User Guide, Lifecycle policy properties (unique rulePriority; tagStatus any only on the rule of highest priority; tagged needs tagPrefixList or tagPatternList; sinceImagePushed needs countUnit days, imageCountMoreThan takes none; countNumber >= 1; action expire)",
		API:    "ecr:PutLifecyclePolicy", Types: []string{"aws:ecr/lifecyclePolicy:LifecyclePolicy"},
		Check: func(c *Context) []Finding {
			doc, ok := text(c.Request("ecr:PutLifecyclePolicy")["lifecyclePolicyText"])
			if !ok {
				return nil
			}
			var p struct {
				Rules []map[string]any `json:"rules"`
			}
			if err := json.Unmarshal([]byte(doc), &p); err != nil || len(p.Rules) == 0 {
				return []Finding{found("", "lifecyclePolicyText", "must be JSON with at least one rule (%v)", err)}
			}
			var out []Finding
			prios := map[float64]bool{}
			maxPrio, anyPrio := 0.0, -1.0
			for i, r := range p.Rules {
				at := fmt.Sprintf("lifecyclePolicyText.rules[%d]", i)
				prio, _ := number(r["rulePriority"])
				if prio < 1 || prios[prio] {
					out = append(out, found("", at+".rulePriority", "must be a unique positive integer, is %v", r["rulePriority"]))
				}
				prios[prio] = true
				if prio > maxPrio {
					maxPrio = prio
				}
				sel, _ := r["selection"].(map[string]any)
				switch sel["tagStatus"] {
				case "any":
					anyPrio = prio
				case "tagged":
					if sel["tagPrefixList"] == nil && sel["tagPatternList"] == nil {
						out = append(out, found("", at+".selection", "tagStatus tagged needs tagPrefixList or tagPatternList"))
					}
				}
				switch sel["countType"] {
				case "sinceImagePushed":
					if sel["countUnit"] != "days" {
						out = append(out, found("", at+".selection.countUnit", "sinceImagePushed counts in days"))
					}
				case "imageCountMoreThan":
					if sel["countUnit"] != nil {
						out = append(out, found("", at+".selection.countUnit", "imageCountMoreThan takes no countUnit"))
					}
				}
				if n, ok := number(sel["countNumber"]); !ok || n < 1 {
					out = append(out, found("", at+".selection.countNumber", "must be at least 1"))
				}
				if get(r, "action.type") != "expire" {
					out = append(out, found("", at+".action.type", "must be expire"))
				}
			}
			if anyPrio >= 0 && anyPrio != maxPrio {
				out = append(out, found("", "lifecyclePolicyText.rules", "the tagStatus any rule must have the highest rulePriority"))
			}
			return out
		},
	},

	// Auto scaling.
	{
		ID: "scaling-bounds", Title: "Scaling bounds: min <= desired <= max",
		Source: "botocore application-autoscaling 2016-02-06 RegisterScalableTargetRequest.MinCapacity/MaxCapacity and autoscaling 2011-01-01 CreateAutoScalingGroupType.DesiredCapacity (greater than or equal to the minimum size and less than or equal to the maximum size)",
		API:    "application-autoscaling:RegisterScalableTarget", Types: []string{"aws:appautoscaling/target:Target", "aws:autoscaling/group:Group"},
		Check: func(c *Context) []Finding {
			var out []Finding
			if s := c.Request("application-autoscaling:RegisterScalableTarget"); s != nil {
				min, ok1 := number(s["MinCapacity"])
				max, ok2 := number(s["MaxCapacity"])
				if ok1 && ok2 && min > max {
					out = append(out, found("", "MinCapacity", "must be at most MaxCapacity (%v), is %v", max, min))
				}
			}
			for _, s := range c.Requests("autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup") {
				min, ok1 := number(s.Body["MinSize"])
				max, ok2 := number(s.Body["MaxSize"])
				d, ok3 := number(s.Body["DesiredCapacity"])
				if ok1 && ok2 && min > max || ok3 && (ok1 && d < min || ok2 && d > max) {
					out = append(out, found(s.API, "DesiredCapacity", "needs MinSize <= DesiredCapacity <= MaxSize, has %v <= %v <= %v", s.Body["MinSize"], s.Body["DesiredCapacity"], s.Body["MaxSize"]))
				}
			}
			return out
		},
	},
	{
		ID: "scaling-resource-label", Title: "ALBRequestCountPerTarget names its target group in ResourceLabel; an ECS target is service/<cluster>/<service>",
		Source: "botocore application-autoscaling 2016-02-06 PredefinedMetricSpecification.ResourceLabel (app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>, only with ALBRequestCountPerTarget) and RegisterScalableTargetRequest.ResourceId (ECS service: service/<cluster-name>/<service-name>)",
		API:    "application-autoscaling:PutScalingPolicy", Types: []string{"aws:appautoscaling/policy:Policy", "aws:appautoscaling/target:Target"},
		Check: func(c *Context) []Finding {
			var out []Finding
			for _, s := range c.Requests("application-autoscaling:PutScalingPolicy", "application-autoscaling:RegisterScalableTarget") {
				if id, ok := text(s.Body["ResourceId"]); ok && s.Body["ServiceNamespace"] == "ecs" && !regexp.MustCompile(`^service/[^/]+/[^/]+$`).MatchString(id) {
					out = append(out, found(s.API, "ResourceId", "an ECS service is service/<cluster>/<service>, not %q", id))
				}
				spec := get(s.Body, "TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification")
				label := get(spec, "ResourceLabel")
				alb := get(spec, "PredefinedMetricType") == "ALBRequestCountPerTarget"
				l, isText := text(label)
				switch {
				case alb && label == nil:
					out = append(out, found(s.API, "TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.ResourceLabel", "ALBRequestCountPerTarget needs it"))
				case alb && isText && !regexp.MustCompile(`^app/[^/]+/[^/]+/targetgroup/[^/]+/[^/]+$`).MatchString(l):
					out = append(out, found(s.API, "TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.ResourceLabel", "must be app/<lb>/<id>/targetgroup/<tg>/<id>, not %q", l))
				case !alb && label != nil && spec != nil:
					out = append(out, found(s.API, "TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.ResourceLabel", "only ALBRequestCountPerTarget takes a resource label"))
				}
			}
			return out
		},
	},

	// EventBridge, Route 53, ACM.
	{
		ID: "events-input-transformer", Title: "An input transformer: at most 100 paths, keys of letters, digits, _ and -, its template's placeholders among them",
		Source: "botocore events 2015-10-07 InputTransformer.InputPathsMap (as many as 100 key-value pairs; keys cannot start with AWS) and EventBridge User Guide, Transforming target input (placeholders <key> refer to InputPathsMap)",
		API:    "events:PutTargets", Types: []string{"aws:cloudwatch/eventTarget:EventTarget"},
		Check: func(c *Context) []Finding {
			t := get(c.Request("events:PutTargets"), "Targets[0].InputTransformer")
			paths, _ := get(t, "InputPathsMap").(map[string]any)
			var out []Finding
			if len(paths) > 100 {
				out = append(out, found("", "Targets[0].InputTransformer.InputPathsMap", "at most 100 entries, has %d", len(paths)))
			}
			keys := make([]string, 0, len(paths))
			for k := range paths {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if !regexp.MustCompile(`^[A-Za-z0-9_-]+$`).MatchString(k) || strings.HasPrefix(k, "AWS") {
					out = append(out, found("", "Targets[0].InputTransformer.InputPathsMap", "key %q: letters, digits, _ and - only, not starting with AWS", k))
				}
			}
			if tpl, ok := text(get(t, "InputTemplate")); ok {
				for _, m := range regexp.MustCompile(`<([A-Za-z0-9_.-]+)>`).FindAllStringSubmatch(tpl, -1) {
					if _, ok := paths[m[1]]; !ok && m[1] != "aws.events.rule-arn" && m[1] != "aws.events.rule-name" && m[1] != "aws.events.event.ingestion-time" && m[1] != "aws.events.event" && m[1] != "aws.events.event.json" {
						out = append(out, found("", "Targets[0].InputTransformer.InputTemplate", "placeholder <%s> is not in InputPathsMap", m[1]))
					}
				}
			}
			return out
		},
	},
	{
		ID: "events-pattern", Title: "An event pattern is a JSON object whose leaves are lists",
		Source: "EventBridge User Guide, Creating event patterns (patterns are JSON objects; the values to match are in arrays); InvalidEventPatternException",
		API:    "events:PutRule", Types: []string{"aws:cloudwatch/eventRule:EventRule"},
		Check: func(c *Context) []Finding {
			p, ok := text(c.Request("events:PutRule")["EventPattern"])
			if !ok {
				return nil
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(p), &doc); err != nil {
				return []Finding{found("", "EventPattern", "is not a JSON object: %v", err)}
			}
			var bad []string
			var walk func(prefix string, m map[string]any)
			walk = func(prefix string, m map[string]any) {
				for k, v := range m {
					switch x := v.(type) {
					case map[string]any:
						walk(prefix+k+".", x)
					case []any:
					default:
						bad = append(bad, prefix+k)
					}
				}
			}
			walk("", doc)
			sort.Strings(bad)
			if len(bad) > 0 {
				return []Finding{found("", "EventPattern", "values to match must be lists: %s", strings.Join(bad, ", "))}
			}
			return nil
		},
	},
	{
		ID: "dns-names", Title: "DNS names: at most 255 characters, labels of at most 63; a certificate's domain at most 64",
		Source: "Route 53 Developer Guide, DNS domain name format (255 bytes, 63 per label); botocore acm 2015-12-08 RequestCertificateRequest.DomainName (the domain name cannot exceed 64 octets, including periods)",
		API:    "route53:ChangeResourceRecordSets", Types: []string{"aws:route53/record:Record", "aws:acm/certificate:Certificate"},
		Check: func(c *Context) []Finding {
			var out []Finding
			check := func(api, member string, v any, max int) {
				n, ok := text(v)
				if !ok {
					return
				}
				if len(strings.TrimSuffix(n, ".")) > max {
					out = append(out, found(api, member, "at most %d characters, has %d", max, len(n)))
				}
				for _, l := range strings.Split(strings.TrimSuffix(n, "."), ".") {
					if len(l) > 63 || l == "" {
						out = append(out, found(api, member, "label %q is empty or over 63 characters", l))
					}
				}
			}
			check("route53:ChangeResourceRecordSets", "ChangeBatch.Changes[0].ResourceRecordSet.Name", get(c.Request("route53:ChangeResourceRecordSets"), "ChangeBatch.Changes[0].ResourceRecordSet.Name"), 255)
			check("acm:RequestCertificate", "DomainName", get(c.Request("acm:RequestCertificate"), "DomainName"), 64)
			return out
		},
	},
	{
		ID: "r53-ttl", Title: "A record has a TTL and values, or an alias and neither",
		Source: "botocore route53 2013-04-01 ResourceRecordSet.TTL and AliasTarget (if you are creating an alias resource record set, omit TTL and ResourceRecords; otherwise both are required)",
		API:    "route53:ChangeResourceRecordSets", Types: []string{"aws:route53/record:Record"},
		Check: func(c *Context) []Finding {
			set := get(c.Request("route53:ChangeResourceRecordSets"), "ChangeBatch.Changes[0].ResourceRecordSet")
			if !known(get(set, "AliasTarget")) || !known(get(set, "TTL")) || !known(get(set, "ResourceRecords")) {
				return nil
			}
			alias := get(set, "AliasTarget") != nil
			ttl, records := get(set, "TTL") != nil, get(set, "ResourceRecords") != nil
			if alias && (ttl || records) || !alias && (!ttl || !records) {
				return []Finding{found("", "ChangeBatch.Changes[0].ResourceRecordSet", "an alias record takes no TTL or ResourceRecords; any other needs both")}
			}
			return nil
		},
	},
}

// wafStatements applies check to every statement of a web ACL's requests, nested ones too.
func wafStatements(c *Context, check func(api, at string, st map[string]any) []Finding) []Finding {
	var out []Finding
	var walk func(api, at string, st map[string]any)
	walk = func(api, at string, st map[string]any) {
		out = append(out, check(api, at, st)...)
		for kind, raw := range st {
			s, _ := raw.(map[string]any)
			for i, sub := range items(s["Statements"]) {
				if m, ok := sub.(map[string]any); ok {
					walk(api, fmt.Sprintf("%s.%s.Statements[%d]", at, kind, i), m)
				}
			}
			for _, k := range []string{"Statement", "ScopeDownStatement"} {
				if m, ok := s[k].(map[string]any); ok {
					walk(api, fmt.Sprintf("%s.%s.%s", at, kind, k), m)
				}
			}
		}
	}
	for _, s := range c.Requests("wafv2:CreateWebACL", "wafv2:UpdateWebACL") {
		for i, r := range items(s.Body["Rules"]) {
			if st, ok := get(r, "Statement").(map[string]any); ok {
				walk(s.API, fmt.Sprintf("Rules[%d].Statement", i), st)
			}
		}
	}
	return out
}
