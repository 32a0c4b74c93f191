// Test stand-in, not a provider: the AWS request contract's own tests (run by npm test through
// tests/engine/go.test.ts).
package contract

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var checker = func() *Checker {
	c, err := NewChecker()
	if err != nil {
		panic(err)
	}
	return c
}()

// res is a resource as the engine hands it over: JSON-shaped inputs (numbers are float64).
func res(typ string, inputs map[string]any) Resource {
	b, err := json.Marshal(inputs)
	if err != nil {
		panic(err)
	}
	var in map[string]any
	json.Unmarshal(b, &in)
	return Resource{Type: typ, URN: "urn:pulumi:test::flask-fargate::" + typ + "::x", Inputs: in}
}

func named(r Resource, name string) Resource {
	r.URN = strings.TrimSuffix(r.URN, "::x") + "::" + name
	return r
}

func check(t *testing.T, rs ...Resource) []Violation {
	t.Helper()
	c := &Checker{models: checker.models, groups: map[string]*ledger{}}
	var out []Violation
	for _, r := range rs {
		vs, err := c.Check(r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, vs...)
	}
	return out
}

func has(vs []Violation, id string) bool {
	for _, v := range vs {
		if v.ID == id {
			return true
		}
	}
	return false
}

// with returns a copy of m with the keys of extra set (nil deletes).
func with(m map[string]any, extra map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for k, v := range extra {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

const (
	sgIngress = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	sgEgress  = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	service   = "aws:ecs/service:Service"
	taskDef   = "aws:ecs/taskDefinition:TaskDefinition"
	lb        = "aws:lb/loadBalancer:LoadBalancer"
	tg        = "aws:lb/targetGroup:TargetGroup"
	rule      = "aws:lb/listenerRule:ListenerRule"
	alarm     = "aws:cloudwatch/metricAlarm:MetricAlarm"
	webACL    = "aws:wafv2/webAcl:WebAcl"
	rolePol   = "aws:iam/rolePolicy:RolePolicy"
)

var sgRuleIn = map[string]any{"securityGroupId": "sg-1", "ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0", "description": "HTTPS out"}

var serviceIn = map[string]any{
	"cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/c", "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/t:1",
	"desiredCount": 2, "availabilityZoneRebalancing": "ENABLED", "deploymentMaximumPercent": 200, "deploymentMinimumHealthyPercent": 100,
	"networkConfiguration": map[string]any{"subnets": []string{"subnet-1"}, "securityGroups": []string{"sg-1"}, "assignPublicIp": false},
	"loadBalancers":        []any{map[string]any{"targetGroupArn": "arn:tg", "containerName": "app", "containerPort": 8000}},
}

var blueGreenLB = []any{map[string]any{"targetGroupArn": "arn:tg", "containerName": "app", "containerPort": 8000,
	"advancedConfiguration": map[string]any{"alternateTargetGroupArn": "arn:green", "productionListenerRule": "arn:rule", "roleArn": "arn:role"}}}

func container(extra map[string]any) string {
	c := with(map[string]any{"name": "app", "image": "nginx", "essential": true,
		"portMappings":     []any{map[string]any{"containerPort": 8000, "hostPort": 8000}},
		"logConfiguration": map[string]any{"logDriver": "awslogs", "options": map[string]any{"awslogs-group": "g", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app"}},
	}, extra)
	b, _ := json.Marshal([]any{c})
	return string(b)
}

func taskIn(extra map[string]any) map[string]any {
	return with(map[string]any{"family": "app", "cpu": "256", "memory": "512", "networkMode": "awsvpc",
		"requiresCompatibilities": []string{"FARGATE"}, "containerDefinitions": container(nil)}, extra)
}

func policy(statements ...map[string]any) string {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	return string(b)
}

func allow(resource string) map[string]any {
	return map[string]any{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": resource}
}

func wafRule(name string, prio int, statement map[string]any) map[string]any {
	return map[string]any{"name": name, "priority": prio, "action": map[string]any{"block": map[string]any{}}, "statement": statement,
		"visibilityConfig": map[string]any{"cloudwatchMetricsEnabled": true, "metricName": name, "sampledRequestsEnabled": true}}
}

func acl(rules ...map[string]any) Resource {
	return res(webACL, map[string]any{"scope": "REGIONAL", "defaultAction": map[string]any{"allow": map[string]any{}}, "rules": rules,
		"visibilityConfig": map[string]any{"cloudwatchMetricsEnabled": true, "metricName": "acl", "sampledRequestsEnabled": true}})
}

func regex(re string) map[string]any {
	return map[string]any{"regexMatchStatement": map[string]any{"regexString": re,
		"fieldToMatch":        map[string]any{"singleHeader": map[string]any{"name": "content-length"}},
		"textTransformations": []any{map[string]any{"priority": 0, "type": "NONE"}}}}
}

var managed = map[string]any{"managedRuleGroupStatement": map[string]any{"name": "AWSManagedRulesCommonRuleSet", "vendorName": "AWS"}}

func metric(id string, ret bool) map[string]any {
	return map[string]any{"id": id, "returnData": ret, "metric": map[string]any{"namespace": "AWS/ApplicationELB", "metricName": "RequestCount", "period": 60, "stat": "Sum"}}
}

func alarmIn(queries ...map[string]any) map[string]any {
	return map[string]any{"comparisonOperator": "GreaterThanThreshold", "evaluationPeriods": 3, "threshold": 1, "metricQueries": queries}
}

var expr = map[string]any{"id": "result", "expression": "m1 * 2", "returnData": true}

func listenerRule(conditions ...map[string]any) map[string]any {
	return map[string]any{"listenerArn": "arn:listener", "priority": 1, "conditions": conditions,
		"actions": []any{map[string]any{"type": "forward", "targetGroupArn": "arn:tg"}}}
}

func paths(n int) map[string]any {
	var vs []string
	for i := 0; i < n; i++ {
		vs = append(vs, fmt.Sprintf("/p%d/*", i))
	}
	return map[string]any{"pathPattern": map[string]any{"values": vs}}
}

func lifecycle(rules ...map[string]any) string {
	b, _ := json.Marshal(map[string]any{"rules": rules})
	return string(b)
}

func ecrRule(prio int, sel map[string]any) map[string]any {
	return map[string]any{"rulePriority": prio, "selection": sel, "action": map[string]any{"type": "expire"}}
}

var untagged = map[string]any{"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1}
var anyImage = map[string]any{"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 50}

func record(name string, extra map[string]any) map[string]any {
	return with(map[string]any{"zoneId": "Z1", "name": name, "type": "CNAME", "ttl": 60, "records": []string{"x.example.com"}}, extra)
}

// ruleCases holds, for every prose rule, resources that break it and resources that keep it.
var ruleCases = map[string]struct{ fail, pass []Resource }{
	"ec2-sg-rule-description-charset": {
		[]Resource{res(sgEgress, with(sgRuleIn, map[string]any{"description": "the instance's own calls"}))},
		[]Resource{res(sgEgress, with(sgRuleIn, map[string]any{"description": "the instance own calls (dnf, SSM)"}))},
	},
	"ec2-sg-rule-description-length": {
		[]Resource{res(sgIngress, with(sgRuleIn, map[string]any{"description": strings.Repeat("a", 256)}))},
		[]Resource{res(sgIngress, with(sgRuleIn, map[string]any{"description": strings.Repeat("a", 255)}))},
	},
	"ec2-sg-description": {
		[]Resource{res("aws:ec2/securityGroup:SecurityGroup", map[string]any{"description": "the ALB's group", "vpcId": "vpc-1"})},
		[]Resource{res("aws:ec2/securityGroup:SecurityGroup", map[string]any{"description": "the ALB group", "vpcId": "vpc-1"})},
	},
	"ec2-sg-name": {
		[]Resource{res("aws:ec2/securityGroup:SecurityGroup", map[string]any{"name": "sg-web", "description": "web"})},
		[]Resource{res("aws:ec2/securityGroup:SecurityGroup", map[string]any{"name": "web-sg", "description": "web"})},
	},
	"ec2-sg-rule-ports": {
		[]Resource{res(sgIngress, with(sgRuleIn, map[string]any{"fromPort": 443, "toPort": 80}))},
		[]Resource{res(sgIngress, with(sgRuleIn, map[string]any{"fromPort": 80, "toPort": 443}))},
	},
	"ec2-cidr": {
		[]Resource{res(sgIngress, with(sgRuleIn, map[string]any{"cidrIpv4": "10.0.0.1/16"})), res("aws:ec2/vpc:Vpc", map[string]any{"cidrBlock": "10.0.0.0/29"})},
		[]Resource{res(sgIngress, with(sgRuleIn, map[string]any{"cidrIpv4": "10.0.0.0/16"})), res("aws:ec2/vpc:Vpc", map[string]any{"cidrBlock": "10.0.0.0/16"})},
	},
	"ec2-user-data": {
		[]Resource{res("aws:ec2/launchTemplate:LaunchTemplate", map[string]any{"userData": base64.StdEncoding.EncodeToString(make([]byte, 16*1024+1))})},
		[]Resource{res("aws:ec2/launchTemplate:LaunchTemplate", map[string]any{"userData": base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\n"))})},
	},
	"tags": {
		[]Resource{res("aws:cloudwatch/logGroup:LogGroup", map[string]any{"tags": map[string]any{"aws:team": "web"}})},
		[]Resource{res("aws:cloudwatch/logGroup:LogGroup", map[string]any{"tags": map[string]any{"team": "web"}})},
	},
	"ecs-az-rebalancing": {
		[]Resource{res(service, with(serviceIn, map[string]any{"deploymentMaximumPercent": 100, "deploymentMinimumHealthyPercent": 50}))},
		[]Resource{res(service, with(serviceIn, map[string]any{"deploymentMaximumPercent": 150, "deploymentMinimumHealthyPercent": 50}))},
	},
	"ecs-deployment-percents": {
		[]Resource{res(service, with(serviceIn, map[string]any{"availabilityZoneRebalancing": "DISABLED", "deploymentMaximumPercent": 100}))},
		[]Resource{res(service, with(serviceIn, map[string]any{"availabilityZoneRebalancing": "DISABLED", "deploymentMinimumHealthyPercent": 50, "deploymentMaximumPercent": 100}))},
	},
	"ecs-blue-green": {
		[]Resource{res(service, with(serviceIn, map[string]any{"deploymentConfiguration": map[string]any{"strategy": "BLUE_GREEN"}}))},
		[]Resource{res(service, with(serviceIn, map[string]any{"deploymentConfiguration": map[string]any{"strategy": "BLUE_GREEN", "bakeTimeInMinutes": "10"}, "loadBalancers": blueGreenLB}))},
	},
	"ecs-steady-state-timeout": {
		[]Resource{res(service, with(serviceIn, map[string]any{"waitForSteadyState": true, "loadBalancers": blueGreenLB,
			"deploymentConfiguration": map[string]any{"strategy": "BLUE_GREEN", "bakeTimeInMinutes": "16"}}))},
		[]Resource{func() Resource {
			r := res(service, with(serviceIn, map[string]any{"waitForSteadyState": true, "loadBalancers": blueGreenLB,
				"deploymentConfiguration": map[string]any{"strategy": "BLUE_GREEN", "bakeTimeInMinutes": "16"}}))
			r.Timeouts.Create = 3600 // customTimeouts: {create: "60m"}
			return r
		}()},
	},
	"ecs-fargate-task-size": {
		[]Resource{res(taskDef, taskIn(map[string]any{"memory": "4096"}))},
		[]Resource{res(taskDef, taskIn(map[string]any{"cpu": "1024", "memory": "4096"}))},
	},
	"ecs-container-name": {
		[]Resource{res(taskDef, taskIn(map[string]any{"containerDefinitions": container(map[string]any{"name": "my app"})}))},
		[]Resource{res(taskDef, taskIn(map[string]any{"containerDefinitions": container(map[string]any{"name": "my-app"})}))},
	},
	"ecs-awsvpc-ports": {
		[]Resource{res(taskDef, taskIn(map[string]any{"containerDefinitions": container(map[string]any{"portMappings": []any{map[string]any{"containerPort": 8000, "hostPort": 80}}})}))},
		[]Resource{res(taskDef, taskIn(map[string]any{"containerDefinitions": container(map[string]any{"portMappings": []any{map[string]any{"containerPort": 8000}}})}))},
	},
	"ecs-container-health-check": {
		[]Resource{res(taskDef, taskIn(map[string]any{"containerDefinitions": container(map[string]any{"healthCheck": map[string]any{"command": []string{"CMD", "true"}, "interval": 3}})}))},
		[]Resource{res(taskDef, taskIn(map[string]any{"containerDefinitions": container(map[string]any{"healthCheck": map[string]any{"command": []string{"CMD", "true"}, "interval": 10}})}))},
	},
	"ecs-fargate-stop-timeout": {
		[]Resource{res(taskDef, taskIn(map[string]any{"containerDefinitions": container(map[string]any{"stopTimeout": 300})}))},
		[]Resource{res(taskDef, taskIn(map[string]any{"containerDefinitions": container(map[string]any{"stopTimeout": 120})}))},
	},
	"ecs-awslogs-options": {
		[]Resource{res(taskDef, taskIn(map[string]any{"containerDefinitions": container(map[string]any{"logConfiguration": map[string]any{"logDriver": "awslogs", "options": map[string]any{"awslogs-group": "g", "awslogs-region": "us-east-1"}}})}))},
		[]Resource{res(taskDef, taskIn(nil))},
	},
	"ecs-secret-value-from": {
		[]Resource{res(taskDef, taskIn(map[string]any{"containerDefinitions": container(map[string]any{"secrets": []any{map[string]any{"name": "DB", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password"}}})}))},
		[]Resource{res(taskDef, taskIn(map[string]any{"containerDefinitions": container(map[string]any{"secrets": []any{map[string]any{"name": "DB", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::"}}})}))},
	},
	"ecs-capacity-provider-strategy": {
		[]Resource{res(service, with(serviceIn, map[string]any{"capacityProviderStrategies": []any{map[string]any{"capacityProvider": "FARGATE", "base": 1, "weight": 1}, map[string]any{"capacityProvider": "FARGATE_SPOT", "base": 1, "weight": 3}}}))},
		[]Resource{res(service, with(serviceIn, map[string]any{"capacityProviderStrategies": []any{map[string]any{"capacityProvider": "FARGATE", "base": 1, "weight": 1}, map[string]any{"capacityProvider": "FARGATE_SPOT", "weight": 3}}}))},
	},
	"elb-name": {
		[]Resource{res(lb, map[string]any{"name": "internal-web", "subnets": []string{"s-1", "s-2"}})},
		[]Resource{res(lb, map[string]any{"name": "web-internal", "subnets": []string{"s-1", "s-2"}})},
	},
	"elb-health-check-timeout": {
		[]Resource{res(tg, map[string]any{"name": "web", "port": 80, "protocol": "HTTP", "healthCheck": map[string]any{"interval": 5, "timeout": 5}})},
		[]Resource{res(tg, map[string]any{"name": "web", "port": 80, "protocol": "HTTP", "healthCheck": map[string]any{"interval": 6, "timeout": 5}})},
	},
	"elb-attribute-ranges": {
		[]Resource{res(lb, map[string]any{"name": "web", "subnets": []string{"s-1", "s-2"}, "idleTimeout": 5000}), res(tg, map[string]any{"name": "web", "deregistrationDelay": 3601})},
		[]Resource{res(lb, map[string]any{"name": "web", "subnets": []string{"s-1", "s-2"}, "idleTimeout": 4000}), res(tg, map[string]any{"name": "web", "deregistrationDelay": 3600})},
	},
	"elb-rule-priority-unique": {
		[]Resource{named(res(rule, listenerRule(paths(1))), "a"), named(res(rule, listenerRule(paths(1))), "b")},
		[]Resource{named(res(rule, listenerRule(paths(1))), "a"), named(res(rule, with(listenerRule(paths(1)), map[string]any{"priority": 2})), "b")},
	},
	"elb-rule-conditions": {
		[]Resource{res(rule, listenerRule(paths(6)))},
		[]Resource{res(rule, listenerRule(paths(5)))},
	},
	"elb-https-certificate": {
		[]Resource{res("aws:lb/listener:Listener", map[string]any{"loadBalancerArn": "arn:lb", "port": 443, "protocol": "HTTPS", "defaultActions": []any{map[string]any{"type": "forward", "targetGroupArn": "arn:tg"}}})},
		[]Resource{res("aws:lb/listener:Listener", map[string]any{"loadBalancerArn": "arn:lb", "port": 443, "protocol": "HTTPS", "certificateArn": "arn:cert", "defaultActions": []any{map[string]any{"type": "forward", "targetGroupArn": "arn:tg"}}})},
	},
	"elb-alb-subnets": {
		[]Resource{res(lb, map[string]any{"name": "web", "subnets": []string{"s-1"}})},
		[]Resource{res(lb, map[string]any{"name": "web", "subnets": []string{"s-1", "s-2"}})},
	},
	"elb-forward-weights": {
		[]Resource{res(rule, with(listenerRule(paths(1)), map[string]any{"actions": []any{map[string]any{"type": "forward", "forward": map[string]any{"targetGroups": []any{map[string]any{"arn": "arn:tg", "weight": 1000}}}}}}))},
		[]Resource{res(rule, with(listenerRule(paths(1)), map[string]any{"actions": []any{map[string]any{"type": "forward", "forward": map[string]any{"targetGroups": []any{map[string]any{"arn": "arn:tg", "weight": 999}}}}}}))},
	},
	"policy-grammar": {
		[]Resource{res(rolePol, map[string]any{"role": "r", "policy": policy(map[string]any{"Effect": "Allow", "Action": "s3:GetObject"})})},
		[]Resource{res(rolePol, map[string]any{"role": "r", "policy": policy(map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})})},
	},
	"iam-inline-policy-size": {
		[]Resource{named(res(rolePol, map[string]any{"role": "r", "policy": policy(allow("arn:aws:s3:::" + strings.Repeat("b", 6000)))}), "a"),
			named(res(rolePol, map[string]any{"role": "r", "policy": policy(allow("arn:aws:s3:::" + strings.Repeat("b", 6000)))}), "b")},
		[]Resource{named(res(rolePol, map[string]any{"role": "r", "policy": policy(allow("arn:aws:s3:::" + strings.Repeat("b", 6000)))}), "a"),
			named(res(rolePol, map[string]any{"role": "other", "policy": policy(allow("arn:aws:s3:::" + strings.Repeat("b", 6000)))}), "b")},
	},
	"iam-trust-policy-size": {
		[]Resource{res("aws:iam/role:Role", map[string]any{"assumeRolePolicy": policy(map[string]any{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": map[string]any{"AWS": strings.Repeat("a", 2100)}})})},
		[]Resource{res("aws:iam/role:Role", map[string]any{"assumeRolePolicy": policy(map[string]any{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": map[string]any{"Service": "ecs-tasks.amazonaws.com"}})})},
	},
	"secret-arn-in-policy": {
		[]Resource{res(rolePol, map[string]any{"role": "r", "policy": policy(allow("arn:aws:secretsmanager:us-east-1:123456789012:secret:db"))})},
		[]Resource{res(rolePol, map[string]any{"role": "r", "policy": policy(allow("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"))})},
	},
	"resource-policy-size": {
		[]Resource{res("aws:s3/bucketPolicy:BucketPolicy", map[string]any{"bucket": "b", "policy": policy(map[string]any{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": strings.Repeat("a", 21*1024)})})},
		[]Resource{res("aws:s3/bucketPolicy:BucketPolicy", map[string]any{"bucket": "b", "policy": policy(map[string]any{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"})})},
	},
	"waf-regex-length": {
		[]Resource{acl(wafRule("size", 0, regex("^"+strings.Repeat("[0-9]", 50)+"$")))},
		[]Resource{acl(wafRule("size", 0, regex("^[0-9]{11,}$")))},
	},
	"waf-regex-syntax": {
		[]Resource{acl(wafRule("size", 0, regex("^(?=1)[0-9]+$")))},
		[]Resource{acl(wafRule("size", 0, regex("^1[0-9]+$")))},
	},
	"waf-rules-unique": {
		[]Resource{acl(wafRule("a", 0, regex("^a$")), wafRule("b", 0, regex("^b$")))},
		[]Resource{acl(wafRule("a", 0, regex("^a$")), wafRule("b", 1, regex("^b$")))},
	},
	"waf-capacity": {
		[]Resource{acl(wafRule("a", 0, managed), wafRule("b", 1, managed), wafRule("c", 2, managed), wafRule("d", 3, managed), wafRule("e", 4, managed), wafRule("f", 5, managed), wafRule("g", 6, managed), wafRule("h", 7, managed))},
		[]Resource{acl(wafRule("a", 0, managed), wafRule("b", 1, regex("^b$")))},
	},
	"waf-metric-name": {
		[]Resource{acl(wafRule("All", 0, regex("^a$")))},
		[]Resource{acl(wafRule("all-requests", 0, regex("^a$")))},
	},
	"cw-alarm-return-data": {
		[]Resource{res(alarm, alarmIn(metric("m1", true), expr))},
		[]Resource{res(alarm, alarmIn(metric("m1", false), expr))},
	},
	"cw-metric-query-ids": {
		[]Resource{res(alarm, alarmIn(metric("M1", false), expr))},
		[]Resource{res(alarm, alarmIn(metric("m1", false), expr))},
	},
	"cw-alarm-metric-source": {
		[]Resource{res(alarm, with(alarmIn(metric("m1", false), expr), map[string]any{"metricName": "RequestCount"}))},
		[]Resource{res(alarm, alarmIn(metric("m1", false), expr))},
	},
	"cw-alarm-period": {
		[]Resource{res(alarm, map[string]any{"comparisonOperator": "GreaterThanThreshold", "evaluationPeriods": 3, "threshold": 1, "metricName": "m", "namespace": "n", "statistic": "Sum", "period": 90})},
		[]Resource{res(alarm, map[string]any{"comparisonOperator": "GreaterThanThreshold", "evaluationPeriods": 3, "threshold": 1, "metricName": "m", "namespace": "n", "statistic": "Sum", "period": 120})},
	},
	"cw-dashboard": {
		[]Resource{res("aws:cloudwatch/dashboard:Dashboard", map[string]any{"dashboardName": "my dashboard", "dashboardBody": `{"widgets":[]}`})},
		[]Resource{res("aws:cloudwatch/dashboard:Dashboard", map[string]any{"dashboardName": "my-dashboard", "dashboardBody": `{"widgets":[]}`})},
	},
	"logs-retention": {
		[]Resource{res("aws:cloudwatch/logGroup:LogGroup", map[string]any{"retentionInDays": 10})},
		[]Resource{res("aws:cloudwatch/logGroup:LogGroup", map[string]any{"retentionInDays": 14})},
	},
	"s3-bucket-name": {
		[]Resource{res("aws:s3/bucket:Bucket", map[string]any{"bucket": "Files-Bucket"})},
		[]Resource{res("aws:s3/bucket:Bucket", map[string]any{"bucket": "files-bucket"})},
	},
	"s3-lifecycle-rules": {
		[]Resource{res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", map[string]any{"bucket": "b", "rules": []any{map[string]any{"id": "r", "status": "Enabled", "filter": map[string]any{}}}})},
		[]Resource{res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", map[string]any{"bucket": "b", "rules": []any{map[string]any{"id": "r", "status": "Enabled", "filter": map[string]any{}, "expiration": map[string]any{"days": 30}}}})},
	},
	"sns-topic-name": {
		[]Resource{res("aws:sns/topic:Topic", map[string]any{"name": "alarms.topic"})},
		[]Resource{res("aws:sns/topic:Topic", map[string]any{"name": "alarms-topic"})},
	},
	"kms-deletion-window": {
		[]Resource{res("aws:kms/key:Key", map[string]any{"deletionWindowInDays": 5})},
		[]Resource{res("aws:kms/key:Key", map[string]any{"deletionWindowInDays": 7})},
	},
	"ecr-lifecycle-policy": {
		[]Resource{res("aws:ecr/lifecyclePolicy:LifecyclePolicy", map[string]any{"repository": "r", "policy": lifecycle(ecrRule(2, untagged), ecrRule(1, anyImage))})},
		[]Resource{res("aws:ecr/lifecyclePolicy:LifecyclePolicy", map[string]any{"repository": "r", "policy": lifecycle(ecrRule(1, untagged), ecrRule(2, anyImage))})},
	},
	"scaling-bounds": {
		[]Resource{res("aws:appautoscaling/target:Target", map[string]any{"serviceNamespace": "ecs", "resourceId": "service/c/s", "scalableDimension": "ecs:service:DesiredCount", "minCapacity": 3, "maxCapacity": 2})},
		[]Resource{res("aws:appautoscaling/target:Target", map[string]any{"serviceNamespace": "ecs", "resourceId": "service/c/s", "scalableDimension": "ecs:service:DesiredCount", "minCapacity": 2, "maxCapacity": 3})},
	},
	"scaling-resource-label": {
		[]Resource{res("aws:appautoscaling/policy:Policy", map[string]any{"serviceNamespace": "ecs", "resourceId": "service/c/s", "scalableDimension": "ecs:service:DesiredCount", "policyType": "TargetTrackingScaling",
			"targetTrackingScalingPolicyConfiguration": map[string]any{"targetValue": 100, "predefinedMetricSpecification": map[string]any{"predefinedMetricType": "ALBRequestCountPerTarget"}}})},
		[]Resource{res("aws:appautoscaling/policy:Policy", map[string]any{"serviceNamespace": "ecs", "resourceId": "service/c/s", "scalableDimension": "ecs:service:DesiredCount", "policyType": "TargetTrackingScaling",
			"targetTrackingScalingPolicyConfiguration": map[string]any{"targetValue": 100, "predefinedMetricSpecification": map[string]any{"predefinedMetricType": "ALBRequestCountPerTarget", "resourceLabel": "app/web/0123/targetgroup/tg/4567"}}})},
	},
	"events-input-transformer": {
		[]Resource{res("aws:cloudwatch/eventTarget:EventTarget", map[string]any{"rule": "r", "arn": "arn:topic", "inputTransformer": map[string]any{"inputPaths": map[string]any{"task": "$.detail.taskArn"}, "inputTemplate": `"<task> stopped: <reason>"`}})},
		[]Resource{res("aws:cloudwatch/eventTarget:EventTarget", map[string]any{"rule": "r", "arn": "arn:topic", "inputTransformer": map[string]any{"inputPaths": map[string]any{"task": "$.detail.taskArn"}, "inputTemplate": `"<task> stopped"`}})},
	},
	"events-pattern": {
		[]Resource{res("aws:cloudwatch/eventRule:EventRule", map[string]any{"eventPattern": `{"source":"aws.ecs"}`})},
		[]Resource{res("aws:cloudwatch/eventRule:EventRule", map[string]any{"eventPattern": `{"source":["aws.ecs"]}`})},
	},
	"dns-names": {
		[]Resource{res("aws:route53/record:Record", record(strings.Repeat("a", 64)+".example.com", nil)), res("aws:acm/certificate:Certificate", map[string]any{"domainName": strings.Repeat("a", 60) + ".example.com", "validationMethod": "DNS"})},
		[]Resource{res("aws:route53/record:Record", record("app.example.com", nil)), res("aws:acm/certificate:Certificate", map[string]any{"domainName": "app.example.com", "validationMethod": "DNS"})},
	},
	"r53-ttl": {
		[]Resource{res("aws:route53/record:Record", record("app.example.com", map[string]any{"ttl": nil}))},
		[]Resource{res("aws:route53/record:Record", record("app.example.com", nil))},
	},
}

func TestEveryProseRuleHasAFailingAndAPassingCase(t *testing.T) {
	if len(Rules) < 30 {
		t.Errorf("%d prose rules; issue 19 asks for at least 30", len(Rules))
	}
	ids := map[string]bool{}
	for _, r := range Rules {
		if ids[r.ID] {
			t.Errorf("rule id %s twice", r.ID)
		}
		ids[r.ID] = true
		if r.Source == "" || r.Title == "" {
			t.Errorf("%s: no source or title", r.ID)
		}
		c, ok := ruleCases[r.ID]
		if !ok {
			t.Errorf("%s: no failing and passing case in ruleCases", r.ID)
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			if vs := check(t, c.fail...); !has(vs, r.ID) {
				t.Errorf("the failing case is not refused by %s; violations: %v", r.ID, vs)
			}
			if vs := check(t, c.pass...); has(vs, r.ID) {
				t.Errorf("the passing case is refused by %s: %v", r.ID, vs)
			}
		})
	}
	for id := range ruleCases {
		if !ids[id] {
			t.Errorf("ruleCases has %s, which is no rule", id)
		}
	}
}

func TestTheNATEgressDescriptionIsRefusedTheWayEC2Would(t *testing.T) {
	vs := check(t, res(sgEgress, with(sgRuleIn, map[string]any{"description": "Port 443 to the internet (forwarded, and the instance's own dnf and SSM calls)"})))
	if len(vs) != 1 {
		t.Fatalf("want one violation, got %v", vs)
	}
	want := `ec2:AuthorizeSecurityGroupEgress: IpPermissions[0].IpRanges[0].Description: must match pattern ^[\sa-zA-Z0-9_.\-:/()#,@\[\]+=&;{}!$*]*$, not "Port 443 to the internet (forwarded, and the instance's own dnf and SSM calls)" (botocore ec2 2016-11-15 IpRange.Description`
	if got := vs[0].String(); !strings.HasPrefix(got, want) {
		t.Errorf("got  %s\nwant %s…", got, want)
	}
}

func TestTheModelsRulesAreChecked(t *testing.T) {
	cases := []struct {
		what   string
		r      Resource
		member string
		rule   string
	}{
		{"an enum", res(service, with(serviceIn, map[string]any{"propagateTags": "STACK"})), "propagateTags", "must be one of TASK_DEFINITION, SERVICE, NONE"},
		{"a minimum", acl(wafRule("rate", 0, map[string]any{"rateBasedStatement": map[string]any{"limit": 5, "aggregateKeyType": "IP"}})), "Rules[0].Statement.RateBasedStatement.Limit", "must be at least 10"},
		{"a maximum", res(tg, map[string]any{"name": "web", "healthCheck": map[string]any{"interval": 30, "timeout": 121}}), "HealthCheckTimeoutSeconds", "must be at most 120"},
		{"a pattern", res("aws:cloudwatch/logGroup:LogGroup", map[string]any{"name": "/ecs/my app"}), "logGroupName", "must match pattern"},
		{"a length", res("aws:iam/role:Role", map[string]any{"name": strings.Repeat("r", 65), "assumeRolePolicy": policy(map[string]any{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": map[string]any{"Service": "ec2.amazonaws.com"}})}), "RoleName", "must have at most 64 characters"},
		{"a required member", res(rule, map[string]any{"listenerArn": "arn:l", "priority": 1, "conditions": []any{paths(1)}}), "Actions", "is required"},
		{"a type", res(tg, map[string]any{"name": "web", "port": "eighty"}), "Port", "must be an integer"},
		{"a nested input with no API member", res(tg, map[string]any{"name": "web", "healthCheck": map[string]any{"bogus": 1}}), "healthCheck.bogus", "contract-coverage"},
		{"an input with no API member", res("aws:ec2/securityGroup:SecurityGroup", map[string]any{"description": "web", "ingress": []any{}}), "ingress", "is mapped to no API request member"},
		{"a type with no contract", res("aws:ec2/instance:Instance", map[string]any{"ami": "ami-1"}), "(type)", "no AWS request contract for this type"},
	}
	for _, c := range cases {
		t.Run(c.what, func(t *testing.T) {
			vs := check(t, c.r)
			for _, v := range vs {
				if (c.member == "" || v.Member == c.member) && (strings.Contains(v.Rule, c.rule) || v.ID == c.rule) {
					return
				}
			}
			t.Errorf("want %s: %s; got %v", c.member, c.rule, vs)
		})
	}
}

func TestUnknownValuesAreNotCheckedAndSatisfyRequired(t *testing.T) {
	r := res(sgEgress, map[string]any{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"})
	r.Inputs["securityGroupId"] = Unknown{}
	r.Inputs["description"] = Unknown{}
	if vs := check(t, r); len(vs) > 0 {
		t.Errorf("unknown values refused: %v", vs)
	}
}

func TestAnUpdateChecksTheUpdateRequests(t *testing.T) {
	r := res(sgIngress, with(sgRuleIn, map[string]any{"description": "it's"}))
	r.Olds = map[string]any{"id": "sgr-0123"}
	vs := check(t, r)
	if len(vs) != 1 || vs[0].API != "ec2:ModifySecurityGroupRules" || vs[0].Member != "SecurityGroupRules[0].SecurityGroupRule.Description" {
		t.Errorf("want the ModifySecurityGroupRules description refused, got %v", vs)
	}
}

// TestEveryMappingNamesRealOperationsAndMembers reads the mapping data against the models: each
// request's operation exists and each member path and alias resolves in its shapes.
func TestEveryMappingNamesRealOperationsAndMembers(t *testing.T) {
	for typ, spec := range Specs {
		for _, req := range spec.Requests {
			service, op, _ := strings.Cut(req.API, ":")
			version, ok := APIVersions[service]
			if !ok {
				t.Errorf("%s %s: no API version for %s", typ, req.API, service)
				continue
			}
			model, err := checker.models.Get(service, version)
			if err != nil {
				t.Fatal(err)
			}
			shape, err := model.Input(op)
			if err != nil {
				t.Errorf("%s: %v", typ, err)
				continue
			}
			members := map[string]any{}
			for _, p := range req.Map {
				members[p.To] = true
			}
			for k := range req.Set {
				members[k] = true
			}
			for path := range members {
				if !resolves(shape, path) {
					t.Errorf("%s %s: member path %s is not in %s", typ, req.API, path, shape.Name)
				}
			}
		}
		for alias, member := range spec.Aliases {
			shapeName, _, _ := strings.Cut(alias, ".")
			found := false
			for _, svc := range []string{"ec2", "elbv2", "ecs", "events", "autoscaling"} {
				m, _ := checker.models.Get(svc, APIVersions[svc])
				if s := m.Shape(shapeName); s != nil && s.Type == "structure" && s.Members[member] != nil {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: alias %s -> %s names no member", typ, alias, member)
			}
		}
	}
}

func resolves(s *Shape, path string) bool {
	for _, part := range strings.Split(path, ".") {
		name, _, indexed := strings.Cut(part, "[")
		if s.Type == "map" {
			s = s.model.Shape(s.Value.Shape)
			continue
		}
		if s.Type != "structure" {
			return false
		}
		var member *Member
		for n, m := range s.Members {
			if strings.EqualFold(n, name) {
				member = m
			}
		}
		if member == nil {
			return false
		}
		s = s.model.Shape(member.Shape)
		if indexed {
			if s.Type != "list" {
				return false
			}
			s = s.model.Shape(s.Member.Shape)
		}
	}
	return true
}

func TestTheBotocoreVersionMustBeThePinnedOne(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "__init__.py"), []byte("__version__ = '1.0.0'\n"), 0o644)
	t.Setenv(BotocoreEnv, dir)
	_, err := Open()
	if err == nil || !strings.Contains(err.Error(), "needs botocore "+checker.models.Version()) || !strings.Contains(err.Error(), "holds 1.0.0") {
		t.Errorf("want a clear version mismatch, got %v", err)
	}
}

// TestOnlyLookaroundPatternsGoUnchecked: every model pattern is checked but those RE2 cannot
// express (lookahead, lookbehind), which docs/aws-contract.md lists.
func TestOnlyLookaroundPatternsGoUnchecked(t *testing.T) {
	for service, version := range APIVersions {
		m, err := checker.models.Get(service, version)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range m.Unchecked {
			if p := m.Shape(name).Pattern; !strings.Contains(p, "(?=") && !strings.Contains(p, "(?!") && !strings.Contains(p, "(?<") {
				t.Errorf("%s %s: pattern %s is not checked", service, name, p)
			}
		}
	}
}

// TestTheDocsListEveryRuleAndType: docs/aws-contract.md's tables name every prose rule and every
// type with a contract.
func TestTheDocsListEveryRuleAndType(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs", "aws-contract.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules {
		if !strings.Contains(string(doc), "| `"+r.ID+"` |") {
			t.Errorf("docs/aws-contract.md does not list the rule %s", r.ID)
		}
	}
	for typ := range Specs {
		if !strings.Contains(string(doc), "| `"+typ+"` |") {
			t.Errorf("docs/aws-contract.md does not list the type %s", typ)
		}
	}
}

func TestAPreviewsUnknownStructuresAreNotRefused(t *testing.T) {
	r := res(service, with(serviceIn, map[string]any{"deploymentConfiguration": map[string]any{"strategy": "BLUE_GREEN", "bakeTimeInMinutes": "5"}}))
	r.Inputs["loadBalancers"] = []any{map[string]any{"targetGroupArn": "arn:tg", "containerName": "app", "containerPort": 8000.0, "advancedConfiguration": Unknown{}}}
	a := res(alarm, alarmIn(metric("m1", false), expr))
	a.Inputs["metricQueries"].([]any)[0] = Unknown{}
	rec := res("aws:route53/record:Record", map[string]any{"zoneId": "Z1", "name": "app.example.com", "type": "A"})
	rec.Inputs["aliases"] = Unknown{}
	rec.Inputs["ttl"] = Unknown{}
	if vs := check(t, r, a, rec); len(vs) > 0 {
		t.Errorf("unknown structures refused: %v", vs)
	}
}
