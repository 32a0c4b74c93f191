// Test stand-in, not a provider: checks of the stand-ins' own rules.
package standin

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
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
