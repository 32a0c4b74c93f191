package contract

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Resource is what one Create or Update hands the provider: the resource's type, its URN (for the
// autonamed name), its inputs and, for an update, its state before it.
type Resource struct {
	Type   string         `json:"type"`
	URN    string         `json:"urn,omitempty"`
	Inputs map[string]any `json:"inputs"`
	// Olds is the state before an update; with it, the update request(s) are checked instead of
	// the create request(s).
	Olds map[string]any `json:"olds,omitempty"`
	// Timeouts are the resource's customTimeouts in seconds (0: the provider's default).
	Timeouts Timeouts `json:"timeouts,omitempty"`
	// Group scopes the rules across resources (one role's inline policies, one listener's rule
	// priorities): the resources of one stack share a group.
	Group string `json:"group,omitempty"`
}

// Timeouts are a resource's customTimeouts, in seconds.
type Timeouts struct {
	Create float64 `json:"create,omitempty"`
	Update float64 `json:"update,omitempty"`
}

// Violation is one thing AWS (or the provider) would refuse.
type Violation struct {
	Type   string `json:"type"`
	URN    string `json:"urn,omitempty"`
	Group  string `json:"group,omitempty"`
	API    string `json:"api"`    // the operation: "ec2:AuthorizeSecurityGroupEgress"
	Member string `json:"member"` // the member path in its request: "IpPermissions[0].IpRanges[0].Description"
	Rule   string `json:"rule"`   // what is wrong: "must match pattern …, not …"
	Source string `json:"source"` // where AWS states it: "botocore ec2 2016-11-15 IpRange.Description"
	ID     string `json:"id,omitempty"`
}

func (v Violation) String() string {
	return fmt.Sprintf("%s: %s: %s (%s)", v.API, v.Member, v.Rule, v.Source)
}

// Sent is one API request the provider would send, in the API's canonical form.
type Sent struct {
	API  string
	Body map[string]any
}

// Checker checks resources against the contract; it holds the models and, per group, what
// the rules across resources need.
type Checker struct {
	models *Models
	mu     sync.Mutex
	groups map[string]*ledger
}

// NewChecker opens the botocore models (see Open).
func NewChecker() (*Checker, error) {
	ms, err := Open()
	if err != nil {
		return nil, err
	}
	return &Checker{models: ms, groups: map[string]*ledger{}}, nil
}

// Models are the botocore models the checker reads.
func (c *Checker) Models() *Models { return c.models }

// Check returns what AWS would refuse in the request(s) the provider sends for r. An error is
// the contract's own failure (a model missing), not a violation.
func (c *Checker) Check(r Resource) ([]Violation, error) {
	spec, ok := Specs[r.Type]
	if !ok {
		return []Violation{{Type: r.Type, URN: r.URN, Group: r.Group, API: "(none)", Member: "(type)", ID: "contract-coverage",
			Rule:   "no AWS request contract for this type: add it to Specs (tests/engine/standin/internal/contract/specs.go)",
			Source: "issue 19: every AWS type the program declares has a contract"}}, nil
	}
	ctx := &Context{Resource: r, Update: r.Olds != nil, Name: spec.effectiveName(r)}
	var out []Violation
	add := func(v Violation) {
		v.Type, v.URN, v.Group = r.Type, r.URN, r.Group
		out = append(out, v)
	}
	for _, k := range spec.unmapped(r.Inputs) {
		add(Violation{API: "(" + spec.apis() + ")", Member: k, ID: "contract-coverage",
			Rule:   fmt.Sprintf("the input %q is mapped to no API request member: add it to Specs[%q]", k, r.Type),
			Source: "issue 19: every input the program sets is checked"})
	}
	for _, req := range spec.Requests {
		if !req.applies(ctx) {
			continue
		}
		service, op, _ := strings.Cut(req.API, ":")
		model, err := c.models.Get(service, APIVersions[service])
		if err != nil {
			return nil, err
		}
		shape, err := model.Input(op)
		if err != nil {
			return nil, err
		}
		body := req.build(ctx)
		w := &walker{aliases: spec.Aliases}
		canonical, _ := w.walk(shape, "", "", body).(map[string]any)
		for _, is := range w.issues {
			add(Violation{API: req.API, Member: is.path, Rule: is.rule, Source: model.Source() + " " + is.where})
		}
		ctx.Sent = append(ctx.Sent, Sent{API: req.API, Body: canonical})
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	led := c.groups[r.Group]
	if led == nil {
		led = newLedger()
		c.groups[r.Group] = led
	}
	ctx.ledger = led
	for _, rule := range Rules {
		if !rule.appliesTo(r.Type) {
			continue
		}
		for _, f := range rule.Check(ctx) {
			add(Violation{API: f.api(rule), Member: f.Member, Rule: f.Rule, Source: rule.Source, ID: rule.ID})
		}
	}
	return out, nil
}

// Context is what a prose rule sees of one resource: its inputs, name, and the requests sent.
type Context struct {
	Resource
	Update bool
	Name   any // the name the resource gets: its input, its prefix plus a suffix, or its autoname
	Sent   []Sent
	ledger *ledger
}

// Request returns the canonical body of the first request to an API ("ec2:CreateSecurityGroup").
func (c *Context) Request(api string) map[string]any {
	for _, s := range c.Sent {
		if s.API == api {
			return s.Body
		}
	}
	return nil
}

// Requests returns every request sent, by API.
func (c *Context) Requests(apis ...string) []Sent {
	var out []Sent
	for _, s := range c.Sent {
		for _, a := range apis {
			if s.API == a {
				out = append(out, s)
			}
		}
	}
	return out
}

// phase says on which step a request is sent.
type phase int

const (
	Both phase = iota
	OnCreate
	OnUpdate
)

// Pair maps a provider input (a path: "healthCheck.interval") to an API member path
// ("HealthCheckIntervalSeconds", "IpPermissions[0].IpRanges[0].CidrIp"). The input "@id" is the
// resource's id (its state's id or arn; unknown before it exists), "@name" its effective name.
type Pair struct{ In, To string }

// Request is one API request the provider sends for a resource.
type Request struct {
	API string // service:Operation, the service as botocore names it
	On  phase
	// If names an input the request is sent only when it is set (PutRetentionPolicy).
	If    string
	Map   []Pair
	Set   map[string]any                       // members with fixed values
	Build func(c *Context, req map[string]any) // what is not 1:1
	Uses  []string                             // the inputs Build reads
}

func (r Request) applies(c *Context) bool {
	if r.On == OnCreate && c.Update || r.On == OnUpdate && !c.Update {
		return false
	}
	return r.If == "" || isSet(lookup(c.Inputs, r.If))
}

func (r Request) build(c *Context) map[string]any {
	req := map[string]any{}
	for _, p := range r.Map {
		var v any
		switch p.In {
		case "@id":
			v = c.id()
		case "@name":
			v = c.Name
		default:
			v = lookup(c.Inputs, p.In)
		}
		if v != nil {
			setPath(req, p.To, v)
		}
	}
	for k, v := range r.Set {
		setPath(req, k, v)
	}
	if r.Build != nil {
		r.Build(c, req)
	}
	return req
}

// id is the resource's id or ARN from its state, unknown before it exists.
func (c *Context) id() any {
	for _, k := range []string{"arn", "id"} {
		if v, ok := c.Olds[k].(string); ok && v != "" {
			return v
		}
	}
	return Unknown{}
}

// Spec is the contract of one resource type.
type Spec struct {
	Requests []Request
	// Name is the input the provider fills in when the program leaves it out: from Prefix plus
	// 26 digits (terraform's id.PrefixedUniqueId), else `<resource name>-<7 hex>` (Pulumi's
	// autonaming); Lower when the name is lower case.
	Name, Prefix string
	Lower        bool
	// Provider lists the inputs the provider consumes itself, each with why (no API member).
	Provider map[string]string
	// Aliases maps "Shape.inputKey" to the member where the provider's name is not the API's.
	Aliases map[string]string
	// Source is the terraform-provider-aws file the mapping was read from.
	Source string
}

// common inputs every bridged resource has: tags go to each service's tagging call (checked by
// the rule "tags"), region picks the endpoint.
var common = map[string]bool{"tags": true, "tagsAll": true, "region": true}

func (s Spec) unmapped(inputs map[string]any) []string {
	used := map[string]bool{}
	nested := map[string][]string{} // an object input mapped field by field: the fields mapped
	if s.Name != "" {
		used[s.Name] = true
	}
	if s.Prefix != "" {
		used[s.Prefix] = true
	}
	for _, r := range s.Requests {
		for _, p := range r.Map {
			top, rest, dotted := strings.Cut(p.In, ".")
			if dotted {
				nested[top] = append(nested[top], rest)
			} else {
				used[top] = true
			}
		}
		for _, u := range r.Uses {
			used[u] = true
		}
		if r.If != "" {
			used[r.If] = true
		}
	}
	var out []string
	for k, v := range inputs {
		if v == nil || common[k] || used[k] || strings.HasPrefix(k, "__") {
			continue
		}
		if _, ok := s.Provider[k]; ok {
			continue
		}
		if fields, ok := nested[k]; ok {
			obj, _ := v.(map[string]any)
			for f, fv := range obj {
				if fv != nil && !containsString(fields, f) && !hasPrefixIn(fields, f+".") {
					out = append(out, k+"."+f)
				}
			}
			continue
		}
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func hasPrefixIn(xs []string, prefix string) bool {
	for _, x := range xs {
		if strings.HasPrefix(x, prefix) {
			return true
		}
	}
	return false
}

func (s Spec) apis() string {
	var out []string
	for _, r := range s.Requests {
		if !containsString(out, r.API) {
			out = append(out, r.API)
		}
	}
	return strings.Join(out, ", ")
}

// effectiveName is the name the resource gets, or nil when the type has none, or Unknown when
// it is not known yet (no URN, or an unknown input).
func (s Spec) effectiveName(r Resource) any {
	if s.Name == "" {
		return nil
	}
	if v, ok := r.Inputs[s.Name]; ok && v != nil {
		return v
	}
	if s.Prefix != "" {
		if p, ok := r.Inputs[s.Prefix]; ok && p != nil {
			if ps, ok := p.(string); ok {
				return ps + strings.Repeat("0", 26)
			}
			return Unknown{}
		}
	}
	if r.URN == "" {
		return Unknown{}
	}
	name := r.URN[strings.LastIndex(r.URN, "::")+2:] + "-0000000"
	if s.Lower {
		name = strings.ToLower(name)
	}
	return name
}

// lookup reads an input path ("healthCheck.interval"); nil when absent.
func lookup(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			if _, unknown := v.(Unknown); unknown {
				return v
			}
			return nil
		}
		v = obj[k]
	}
	return v
}

func isSet(v any) bool {
	if v == nil {
		return false
	}
	if s, ok := v.(string); ok {
		return s != ""
	}
	return true
}

// setPath sets a member path ("A[0].B.C") in a request, merging objects already there.
func setPath(req map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	var cur any = req
	for i, part := range parts {
		last := i == len(parts)-1
		name, index := part, -1
		if open := strings.IndexByte(part, '['); open >= 0 {
			name = part[:open]
			index, _ = strconv.Atoi(strings.TrimSuffix(part[open+1:], "]"))
		}
		obj := cur.(map[string]any)
		if index < 0 {
			if last {
				obj[name] = mergeInto(obj[name], v)
				return
			}
			next, ok := obj[name].(map[string]any)
			if !ok {
				next = map[string]any{}
				obj[name] = next
			}
			cur = next
			continue
		}
		list, _ := obj[name].([]any)
		for len(list) <= index {
			list = append(list, map[string]any{})
		}
		obj[name] = list
		if last {
			list[index] = mergeInto(list[index], v)
			return
		}
		cur = list[index]
	}
}

// mergeInto merges two objects (keys of v win); any other v replaces old.
func mergeInto(old, v any) any {
	o, ok1 := old.(map[string]any)
	n, ok2 := v.(map[string]any)
	if !ok1 || !ok2 {
		return v
	}
	out := map[string]any{}
	for k, x := range o {
		out[k] = x
	}
	for k, x := range n {
		out[k] = mergeInto(out[k], x)
	}
	return out
}
