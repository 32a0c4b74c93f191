// Test stand-in, not a provider: checks of the stand-ins' own rules.
package standin

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func urn(typ, name string) resource.URN {
	return resource.URN("urn:pulumi:dev::flask-fargate::" + typ + "::" + name)
}

func TestAutonameIsDeterministicAndKept(t *testing.T) {
	s := NewServer("aws", AWSVersion, AWS{})
	u := urn("aws:lb/loadBalancer:LoadBalancer", "web-alb")
	in, failures := AWS{}.Check(s, u, nil, resource.PropertyMap{})
	if len(failures) > 0 {
		t.Fatal(failures)
	}
	name := str(in, "name")
	if !strings.HasPrefix(name, "web-alb-") || len(name) != len("web-alb-")+7 {
		t.Fatalf("name %q", name)
	}
	again, _ := AWS{}.Check(s, u, nil, resource.PropertyMap{})
	if str(again, "name") != name {
		t.Fatalf("not deterministic: %q then %q", name, str(again, "name"))
	}
	kept, _ := AWS{}.Check(s, u, resource.PropertyMap{"name": resource.NewProperty("web-alb-0000000")}, resource.PropertyMap{})
	if str(kept, "name") != "web-alb-0000000" {
		t.Fatalf("old name not kept: %q", str(kept, "name"))
	}
	// A log group given namePrefix is not autonamed.
	lg, _ := AWS{}.Check(s, urn("aws:cloudwatch/logGroup:LogGroup", "app-logs"), nil,
		resource.PropertyMap{"namePrefix": resource.NewProperty("/ecs/x-")})
	if lg.HasValue("name") {
		t.Fatalf("log group with namePrefix got a name: %v", lg["name"])
	}
}

func TestLoadBalancerNameLimits(t *testing.T) {
	s := NewServer("aws", AWSVersion, AWS{})
	cases := []struct {
		typ, name string
		inputs    resource.PropertyMap
		property  string
	}{
		{"aws:lb/loadBalancer:LoadBalancer", "a-load-balancer-with-a-long-name", resource.PropertyMap{}, "name"},
		{"aws:lb/targetGroup:TargetGroup", "tg", resource.PropertyMap{"name": resource.NewProperty(strings.Repeat("t", 33))}, "name"},
		{"aws:lb/targetGroup:TargetGroup", "tg", resource.PropertyMap{"namePrefix": resource.NewProperty("toolong")}, "namePrefix"},
		{"aws:lb/loadBalancer:LoadBalancer", "lb", resource.PropertyMap{"name": resource.NewProperty("bad_name")}, "name"},
	}
	for _, c := range cases {
		_, failures := AWS{}.Check(s, urn(c.typ, c.name), nil, c.inputs)
		if len(failures) == 0 || failures[0].Property != c.property {
			t.Errorf("%s %s %v: want a failure on %s, got %v", c.typ, c.name, c.inputs, c.property, failures)
		}
	}
}

func TestReplaceKeys(t *testing.T) {
	td := replaceKeys("aws:ecs/taskDefinition:TaskDefinition", []string{"cpu", "tags"}, nil, nil)
	if len(td) != 1 || td[0] != "cpu" {
		t.Errorf("task definition: %v", td)
	}
	svc := replaceKeys("aws:ecs/service:Service", []string{"taskDefinition", "desiredCount"}, nil, nil)
	if len(svc) != 0 {
		t.Errorf("service: %v", svc)
	}
	obj := func(v string) resource.PropertyValue {
		return resource.NewProperty(resource.PropertyMap{"type": resource.NewProperty(v)})
	}
	dc := replaceKeys("aws:ecs/service:Service", []string{"deploymentController"},
		resource.PropertyMap{"deploymentController": obj("ECS")}, resource.PropertyMap{"deploymentController": obj("CODE_DEPLOY")})
	if len(dc) != 1 {
		t.Errorf("service deploymentController.type: %v", dc)
	}
}

func TestChangedKeys(t *testing.T) {
	olds := resource.PropertyMap{"a": resource.NewProperty("x"), "__defaults": resource.NewProperty([]resource.PropertyValue{})}
	if got := changedKeys(olds, resource.PropertyMap{"a": resource.NewProperty("x")}); len(got) != 0 {
		t.Errorf("unchanged: %v", got)
	}
	if got := changedKeys(olds, resource.PropertyMap{"a": resource.MakeComputed(resource.NewProperty(""))}); len(got) != 1 {
		t.Errorf("unknown: %v", got)
	}
}

func TestImageDigest(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Dockerfile", "FROM scratch\n")
	write("app.py", "print(1)\n")
	write(".dockerignore", "tests\n**/*.pyc\n")
	write("tests/test_x.py", "x\n")
	inputs := func(loc string) resource.PropertyMap {
		return resource.PropertyMap{
			"context":    resource.NewProperty(resource.PropertyMap{"location": resource.NewProperty(loc)}),
			"dockerfile": resource.NewProperty(resource.PropertyMap{"location": resource.NewProperty(filepath.Join(loc, "Dockerfile"))}),
			"tags":       resource.NewProperty([]resource.PropertyValue{resource.NewProperty("repo:tag")}),
			"push":       resource.NewProperty(true),
		}
	}
	first, err := build(inputs(dir), false)
	if err != nil {
		t.Fatal(err)
	}
	digest := str(first, "digest")
	if !strings.HasPrefix(digest, "sha256:") || len(digest) != 71 || str(first, "ref") != "repo:tag@"+digest {
		t.Fatalf("digest %q ref %q", digest, str(first, "ref"))
	}
	// Another directory with the same files: the same digest (no absolute paths in it).
	other := t.TempDir()
	if err := os.CopyFS(other, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if second, _ := build(inputs(other), false); str(second, "digest") != digest {
		t.Errorf("digest depends on the context's location")
	}
	// An ignored file does not change it; a context file does.
	write("tests/test_y.py", "y\n")
	if again, _ := build(inputs(dir), false); str(again, "digest") != digest {
		t.Errorf("an ignored file changed the digest")
	}
	write("app.py", "print(2)\n")
	if changed, _ := build(inputs(dir), false); str(changed, "digest") == digest {
		t.Errorf("a changed file kept the digest")
	}
	// Pushed and not built on preview: unknown in a preview.
	noBuild := inputs(dir)
	noBuild["buildOnPreview"] = resource.NewProperty(false)
	if p, _ := build(noBuild, true); !p["digest"].IsComputed() {
		t.Errorf("digest known in a preview without buildOnPreview")
	}
}

// create runs Check then Create (not a preview) for one resource, as the engine does for a new one.
func create(t *testing.T, typ, name string, inputs resource.PropertyMap) (string, resource.PropertyMap) {
	t.Helper()
	s := NewServer("aws", AWSVersion, AWS{})
	checked, failures := AWS{}.Check(s, urn(typ, name), nil, inputs)
	if len(failures) > 0 {
		t.Fatalf("%s: %v", typ, failures)
	}
	id, outs, err := AWS{}.Create(s, urn(typ, name), checked, false)
	if err != nil {
		t.Fatal(err)
	}
	return id, outs
}

// The outputs the program reads from the types of issues 14 and 16, in AWS's formats
// (natAttachPolicy reads the interface's arn, the topic the key's arn, the alarms' names and arns).
func TestOutputsOfAlarmsAndNatInstanceTypes(t *testing.T) {
	uuidPattern := `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	p := resource.NewProperty[string]
	cases := []struct {
		typ, name string
		inputs    resource.PropertyMap
		id        string            // pattern of the id
		outs      map[string]string // output -> pattern
	}{
		{"aws:kms/key:Key", "alarms-key", resource.PropertyMap{"description": p("x")}, "^" + uuidPattern + "$",
			map[string]string{"arn": `^arn:aws:kms:us-east-1:123456789012:key/` + uuidPattern + "$", "keyId": "^" + uuidPattern + "$"}},
		{"aws:sns/topic:Topic", "alarms-topic", resource.PropertyMap{}, `^arn:aws:sns:us-east-1:123456789012:alarms-topic-[0-9a-f]{7}$`,
			map[string]string{"arn": `^arn:aws:sns:us-east-1:123456789012:alarms-topic-[0-9a-f]{7}$`, "name": `^alarms-topic-[0-9a-f]{7}$`}},
		{"aws:sns/topicSubscription:TopicSubscription", "alarms-email-1", resource.PropertyMap{
			"topic": p("arn:aws:sns:us-east-1:123456789012:t"), "protocol": p("email"), "endpoint": p("a@example.com")},
			`^arn:aws:sns:us-east-1:123456789012:t:` + uuidPattern + "$", map[string]string{"arn": `^arn:aws:sns:.*:t:`}},
		{"aws:cloudwatch/metricAlarm:MetricAlarm", "app-5xx", resource.PropertyMap{}, `^app-5xx-[0-9a-f]{7}$`,
			map[string]string{"arn": `^arn:aws:cloudwatch:us-east-1:123456789012:alarm:app-5xx-[0-9a-f]{7}$`}},
		{"aws:cloudwatch/dashboard:Dashboard", "app-dashboard", resource.PropertyMap{"dashboardName": p("flask-fargate-dev")}, `^flask-fargate-dev$`,
			map[string]string{"dashboardArn": `^arn:aws:cloudwatch::123456789012:dashboard/flask-fargate-dev$`}},
		{"aws:cloudwatch/queryDefinition:QueryDefinition", "app-q", resource.PropertyMap{"name": p("q")}, "^" + uuidPattern + "$",
			map[string]string{"queryDefinitionId": "^" + uuidPattern + "$"}},
		{"aws:cloudwatch/eventRule:EventRule", "app-spot", resource.PropertyMap{}, `^app-spot-[0-9a-f]{7}$`,
			map[string]string{"arn": `^arn:aws:events:us-east-1:123456789012:rule/app-spot-[0-9a-f]{7}$`}},
		{"aws:cloudwatch/eventTarget:EventTarget", "app-spot", resource.PropertyMap{"rule": p("r")}, `^r-terraform-[0-9]{26}$`,
			map[string]string{"targetId": `^terraform-[0-9]{26}$`}},
		{"aws:ec2/networkInterface:NetworkInterface", "nat-eni", resource.PropertyMap{"subnetId": p("subnet-1")}, `^eni-[0-9a-f]{17}$`,
			map[string]string{"arn": `^arn:aws:ec2:us-east-1:123456789012:network-interface/eni-[0-9a-f]{17}$`,
				"privateIp": `^10\.0\.\d+\.\d+$`, "macAddress": `^0e(:[0-9a-f]{2}){5}$`}},
		{"aws:lb/listenerRule:ListenerRule", "lb-test-rule", resource.PropertyMap{
			"listenerArn": p("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/0123456789abcdef/fedcba9876543210")},
			`^arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/lb/0123456789abcdef/fedcba9876543210/[0-9a-f]{16}$`, nil},
		// A type the stand-in does not list still gets an ARN.
		{"aws:sqs/queue:Queue", "q", resource.PropertyMap{}, `^[0-9a-f]{20}$`,
			map[string]string{"arn": `^arn:aws:sqs:us-east-1:123456789012:queue/[0-9a-f]{20}$`}},
		{"aws:ec2/transitGateway:TransitGateway", "tgw", resource.PropertyMap{}, ``,
			map[string]string{"arn": `:transit-gateway/`}},
	}
	for _, c := range cases {
		id, outs := create(t, c.typ, c.name, c.inputs)
		if !regexp.MustCompile(c.id).MatchString(id) {
			t.Errorf("%s: id %q does not match %s", c.typ, id, c.id)
		}
		for k, pattern := range c.outs {
			if v := str(outs, k); !regexp.MustCompile(pattern).MatchString(v) {
				t.Errorf("%s: %s %q does not match %s", c.typ, k, v, pattern)
			}
		}
	}
	// The key's id is the UUID its ARN ends with; a topic's id is its ARN.
	id, key := create(t, "aws:kms/key:Key", "k", resource.PropertyMap{})
	if !strings.HasSuffix(str(key, "arn"), "/"+id) || str(key, "keyId") != id {
		t.Errorf("key id %q arn %q keyId %q", id, str(key, "arn"), str(key, "keyId"))
	}
	// An email subscription waits for its confirmation.
	if _, sub := create(t, "aws:sns/topicSubscription:TopicSubscription", "s", resource.PropertyMap{
		"topic": resource.NewProperty("arn:aws:sns:us-east-1:123456789012:t"), "protocol": resource.NewProperty("email")}); !boolean(sub, "pendingConfirmation", false) {
		t.Errorf("an email subscription is not pending confirmation")
	}
}

// In a preview, what a new key will be is unknown; after the create it is known, so a second
// preview has nothing unknown to show on the topic that reads it.
func TestKeyArnUnknownOnlyInPreview(t *testing.T) {
	s := NewServer("aws", AWSVersion, AWS{})
	u := urn("aws:kms/key:Key", "k")
	_, previewed, _ := AWS{}.Create(s, u, resource.PropertyMap{}, true)
	_, created, _ := AWS{}.Create(s, u, resource.PropertyMap{}, false)
	if !previewed["arn"].IsComputed() || created["arn"].ContainsUnknowns() || str(created, "arn") == "" {
		t.Errorf("preview arn %v, created arn %v", previewed["arn"], created["arn"])
	}
}

func TestReplaceKeysOfAlarmsAndNatInstanceTypes(t *testing.T) {
	cases := []struct {
		typ              string
		changed, replace []string
	}{
		{"aws:kms/key:Key", []string{"description", "keyUsage", "policy"}, []string{"keyUsage"}},
		{"aws:sns/topic:Topic", []string{"fifoTopic", "kmsMasterKeyId"}, []string{"fifoTopic"}},
		{"aws:sns/topicPolicy:TopicPolicy", []string{"policy"}, nil},
		{"aws:sns/topicSubscription:TopicSubscription", []string{"endpoint", "filterPolicy"}, []string{"endpoint"}},
		{"aws:cloudwatch/metricAlarm:MetricAlarm", []string{"name", "threshold"}, []string{"name"}},
		{"aws:cloudwatch/eventRule:EventRule", []string{"eventPattern"}, nil},
		{"aws:cloudwatch/queryDefinition:QueryDefinition", []string{"name", "queryString"}, nil},
		{"aws:ec2/networkInterface:NetworkInterface", []string{"securityGroups", "subnetId"}, []string{"subnetId"}},
		{"aws:lb/listenerRule:ListenerRule", []string{"conditions", "priority"}, nil},
	}
	for _, c := range cases {
		got := replaceKeys(c.typ, c.changed, nil, nil)
		if strings.Join(got, ",") != strings.Join(c.replace, ",") {
			t.Errorf("%s %v: replaces %v, want %v", c.typ, c.changed, got, c.replace)
		}
	}
}

func TestCreateRefusesWhatAWSWouldRefuse(t *testing.T) {
	s := NewServer("aws", AWSVersion, AWS{})
	rule := func(description string) *structpb.Struct {
		props, err := marshal(resource.NewPropertyMapFromMap(map[string]any{
			"securityGroupId": "sg-0123", "ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0,
			"cidrIpv4": "0.0.0.0/0", "description": description,
		}))
		if err != nil {
			t.Fatal(err)
		}
		return props
	}
	u := string(urn("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "nat-out-443"))
	_, err := s.Create(context.Background(), &pulumirpc.CreateRequest{Urn: u, Properties: rule("the instance's own calls")})
	if err == nil || !strings.Contains(err.Error(), "ec2:AuthorizeSecurityGroupEgress: IpPermissions[0].IpRanges[0].Description: must match pattern") {
		t.Fatalf("want the egress description refused, got %v", err)
	}
	// A preview is checked too, its unknown values skipped.
	if _, err := s.Create(context.Background(), &pulumirpc.CreateRequest{Urn: u, Properties: rule("the instance own calls"), Preview: true}); err != nil {
		t.Fatal(err)
	}
}

func TestDriftFileChangesWhatReadReports(t *testing.T) {
	home := t.TempDir()
	t.Setenv("PULUMI_HOME", home)
	u := urn("aws:cloudwatch/logGroup:LogGroup", "app-logs")
	state := resource.PropertyMap{"retentionInDays": resource.NewProperty(7.0), "arn": resource.NewProperty("arn:x")}
	inputs := resource.PropertyMap{"retentionInDays": resource.NewProperty(7.0)}
	if _, _, _, drifted, err := applyDrift(u, "lg", state, inputs); err != nil || drifted {
		t.Fatalf("no drift file: drifted %v, %v", drifted, err)
	}
	file := `[{"resource": "aws:cloudwatch/logGroup:LogGroup::app-logs", "property": "retentionInDays", "value": 90},
		{"resource": "aws:sns/topic:Topic::alarms-topic", "deleted": true}]`
	if err := os.WriteFile(filepath.Join(home, DriftFile), []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	id, s, in, drifted, err := applyDrift(u, "lg", state, inputs)
	if err != nil || !drifted || id != "lg" {
		t.Fatalf("id %q, drifted %v, %v", id, drifted, err)
	}
	if v, _ := num(s, "retentionInDays"); v != 90 {
		t.Errorf("state: %v", s)
	}
	if v, _ := num(in, "retentionInDays"); v != 90 {
		t.Errorf("inputs: %v", in)
	}
	if v, _ := num(state, "retentionInDays"); v != 7 {
		t.Errorf("the request's state was changed: %v", state)
	}
	if id, _, _, _, _ := applyDrift(urn("aws:sns/topic:Topic", "alarms-topic"), "t", state, inputs); id != "" {
		t.Errorf("deleted resource has id %q", id)
	}
	if _, _, _, drifted, _ := applyDrift(urn("aws:cloudwatch/logGroup:LogGroup", "other-logs"), "x", state, inputs); drifted {
		t.Error("another resource drifted")
	}
}
