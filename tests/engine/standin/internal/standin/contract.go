// Test stand-in, not a provider: the aws stand-in refuses a Create or Update whose API
// request(s) AWS would refuse, the way AWS would, by the AWS request contract
// (tests/engine/standin/internal/contract; docs/aws-contract.md).
package standin

import (
	"fmt"
	"strings"
	"sync"

	"flask-fargate/tests/engine/standin/internal/contract"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// validator is a package whose resources' requests are checked before Create and Update.
type validator interface {
	// Validate returns an error naming every violation; olds is nil on create; timeout is the
	// step's customTimeout in seconds (0: the provider's default).
	Validate(s *Server, urn resource.URN, olds, news resource.PropertyMap, timeout float64) error
}

// contractChecker loads and parses botocore's models once per plugin process.
var contractChecker = sync.OnceValues(contract.NewChecker)

// Validate checks the resource's request(s) against the contract.
func (AWS) Validate(s *Server, urn resource.URN, olds, news resource.PropertyMap, timeout float64) error {
	checker, err := contractChecker()
	if err != nil {
		return fmt.Errorf("the AWS request contract cannot run: %w", err)
	}
	typ := string(urn.Type())
	r := contract.Resource{Type: typ, URN: string(urn), Inputs: plainMap(news)}
	if taggable[typ] {
		r.Inputs["tagsAll"] = plainValue(s.tagsAll(news))
	}
	if olds != nil {
		r.Olds = plainMap(olds)
		r.Timeouts.Update = timeout
	} else {
		r.Timeouts.Create = timeout
	}
	violations, err := checker.Check(r)
	if err != nil {
		return fmt.Errorf("the AWS request contract cannot run: %w", err)
	}
	if len(violations) == 0 {
		return nil
	}
	lines := make([]string, len(violations))
	for i, v := range violations {
		lines[i] = "  " + v.String()
	}
	return fmt.Errorf("AWS would refuse the request(s) for %s (AWS request contract, docs/aws-contract.md):\n%s", urn.Name(), strings.Join(lines, "\n"))
}

// plainMap turns inputs into the contract's JSON-shaped values: unknowns become contract.Unknown,
// secrets their values, resource references their ids.
func plainMap(m resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if !isInternalKey(k) {
			out[string(k)] = plainValue(v)
		}
	}
	return out
}

func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsComputed():
		return contract.Unknown{}
	case v.IsOutput():
		if !v.OutputValue().Known {
			return contract.Unknown{}
		}
		return plainValue(v.OutputValue().Element)
	case v.IsSecret():
		return plainValue(v.SecretValue().Element)
	case v.IsResourceReference():
		if id := v.ResourceReferenceValue().ID; id.IsString() {
			return id.StringValue()
		}
		return contract.Unknown{}
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		out := make([]any, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			out[i] = plainValue(e)
		}
		return out
	case v.IsObject():
		return plainMap(v.ObjectValue())
	}
	return nil
}
