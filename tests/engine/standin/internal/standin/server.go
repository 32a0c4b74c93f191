// Test stand-in, not a provider: the gRPC plumbing shared by the stand-ins for the aws, awsx and
// docker-build resource plugins, which let the real Pulumi engine run flask-fargate's program
// with no AWS account and no Docker (the way moto stands in for S3). Nothing here talks to AWS.
package standin

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// Package is what one stand-in plugin knows of its package's resources.
type Package interface {
	// Check validates and completes a resource's inputs (autonaming); failures name a property.
	Check(s *Server, urn resource.URN, olds, news resource.PropertyMap) (resource.PropertyMap, []*pulumirpc.CheckFailure)
	// ReplaceKeys returns the changed top-level properties that force a new resource.
	ReplaceKeys(typ string, changed []string, olds, news resource.PropertyMap) []string
	// Create returns the outputs and id of a new resource; with preview, outputs not known yet are unknown.
	Create(s *Server, urn resource.URN, inputs resource.PropertyMap, preview bool) (string, resource.PropertyMap, error)
	// Update returns the outputs of an updated resource.
	Update(s *Server, urn resource.URN, id string, olds, news resource.PropertyMap, preview bool) (resource.PropertyMap, error)
	// Invoke runs a function.
	Invoke(s *Server, tok string, args resource.PropertyMap) (resource.PropertyMap, error)
}

// Server implements pulumirpc.ResourceProviderServer for one stand-in package.
type Server struct {
	pulumirpc.UnimplementedResourceProviderServer

	Name    string
	Version string
	Pkg     Package

	mu sync.Mutex
	// Region and DefaultTags come from the provider's configuration.
	Region      string
	DefaultTags map[string]string
	// replacing holds, per URN, the name a resource had when Diff decided to replace it, so the
	// engine's second Check (which it runs with no olds before a replacement) picks a new name.
	replacing map[resource.URN]string
	// revisions holds, per URN, the revision of a task definition Diff is replacing.
	revisions map[resource.URN]float64
}

// NewServer returns a stand-in provider server.
func NewServer(name, version string, pkg Package) *Server {
	return &Server{
		Name: name, Version: version, Pkg: pkg,
		Region:    "us-east-1",
		replacing: map[resource.URN]string{},
		revisions: map[resource.URN]float64{},
	}
}

var opts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, opts)
}

// unmarshalPair decodes a request's old and new properties.
func unmarshalPair(olds, news *structpb.Struct) (resource.PropertyMap, resource.PropertyMap, error) {
	o, err := unmarshal(olds)
	if err != nil {
		return nil, nil, err
	}
	n, err := unmarshal(news)
	return o, n, err
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, opts)
}

func (s *Server) Handshake(context.Context, *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

func (s *Server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: s.Version}, nil
}

func (s *Server) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{
		Schema: fmt.Sprintf(`{"name":%q,"version":%q,"description":"test stand-in, not a provider"}`, s.Name, s.Version),
	}, nil
}

func (s *Server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// CheckConfig accepts any configuration (region, defaultTags, skipCredentialsValidation, ...).
func (s *Server) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// DiffConfig reports changed configuration keys; none of them replaces the provider.
func (s *Server) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, err := unmarshal(req.GetOldInputs())
	if err != nil {
		return nil, err
	}
	if len(olds) == 0 {
		if olds, err = unmarshal(req.GetOlds()); err != nil {
			return nil, err
		}
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	changed := changedKeys(olds, news)
	if len(changed) == 0 {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_SOME, Diffs: changed}, nil
}

// Configure reads region and defaultTags, from the structured args or the flat variables.
func (s *Server) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	args, err := unmarshal(req.GetArgs())
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := str(args, "region"); r != "" {
		s.Region = r
	} else if r := req.GetVariables()[s.Name+":config:region"]; r != "" {
		s.Region = r
	}
	tags := args["defaultTags"]
	if tags.IsNull() {
		if v, ok := req.GetVariables()[s.Name+":config:defaultTags"]; ok {
			tags = resource.NewProperty(v)
		}
	}
	s.DefaultTags = parseDefaultTags(tags)
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true}, nil
}

func (s *Server) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	olds, news, err := unmarshalPair(req.GetOlds(), req.GetNews())
	if err != nil {
		return nil, err
	}
	inputs, failures := s.Pkg.Check(s, resource.URN(req.GetUrn()), olds, news)
	if len(failures) > 0 {
		return &pulumirpc.CheckResponse{Inputs: req.GetNews(), Failures: failures}, nil
	}
	out, err := marshal(inputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: out}, nil
}

// Diff compares old and new inputs property by property.
func (s *Server) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	urn := resource.URN(req.GetUrn())
	olds, err := unmarshal(req.GetOldInputs())
	if err != nil {
		return nil, err
	}
	state, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, err
	}
	if req.GetOldInputs() == nil {
		olds = state
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	changed := changedKeys(olds, news)
	if extra, ok := s.Pkg.(interface {
		ExtraDiffs(state, news resource.PropertyMap) []string
	}); ok {
		changed = append(changed, extra.ExtraDiffs(state, news)...)
	}
	if len(changed) == 0 {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	replaces := s.Pkg.ReplaceKeys(string(urn.Type()), changed, olds, news)
	detailed := map[string]*pulumirpc.PropertyDiff{}
	for _, k := range changed {
		kind := pulumirpc.PropertyDiff_UPDATE
		switch {
		case k == "contextHash":
		case !olds.HasValue(resource.PropertyKey(k)):
			kind = pulumirpc.PropertyDiff_ADD
		case !news.HasValue(resource.PropertyKey(k)):
			kind = pulumirpc.PropertyDiff_DELETE
		}
		if contains(replaces, k) {
			kind += 1 // ADD_REPLACE, DELETE_REPLACE, UPDATE_REPLACE follow their plain kinds.
		}
		detailed[k] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	if len(replaces) > 0 {
		s.mu.Lock()
		s.replacing[urn] = str(state, "name") + str(state, "bucket") + str(state, "arn")
		if rev, ok := num(state, "revision"); ok {
			s.revisions[urn] = rev
		}
		s.mu.Unlock()
	}
	return &pulumirpc.DiffResponse{
		Changes: pulumirpc.DiffResponse_DIFF_SOME, Diffs: changed, Replaces: replaces,
		DetailedDiff: detailed, HasDetailedDiff: true,
	}, nil
}

func (s *Server) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	inputs, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	if v, ok := s.Pkg.(validator); ok {
		if err := v.Validate(s, resource.URN(req.GetUrn()), nil, inputs, req.GetTimeout()); err != nil {
			return nil, err
		}
	}
	id, outs, err := s.Pkg.Create(s, resource.URN(req.GetUrn()), inputs, req.GetPreview())
	if err != nil {
		return nil, err
	}
	props, err := marshal(outs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

// Read returns the state as stored, with the changes "made outside Pulumi" that a test wrote in
// the drift file (drift.go): without one, a refresh finds no drift.
func (s *Server) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	state, inputs, err := unmarshalPair(req.GetProperties(), req.GetInputs())
	if err != nil {
		return nil, err
	}
	id, state, inputs, drifted, err := applyDrift(resource.URN(req.GetUrn()), req.GetId(), state, inputs)
	if err != nil || id == "" {
		return &pulumirpc.ReadResponse{}, err
	}
	if !drifted {
		return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
	}
	props, err := marshal(state)
	if err != nil {
		return nil, err
	}
	ins, err := marshal(inputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: id, Properties: props, Inputs: ins}, nil
}

func (s *Server) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	olds, news, err := unmarshalPair(req.GetOlds(), req.GetNews())
	if err != nil {
		return nil, err
	}
	if v, ok := s.Pkg.(validator); ok {
		if err := v.Validate(s, resource.URN(req.GetUrn()), olds, news, req.GetTimeout()); err != nil {
			return nil, err
		}
	}
	outs, err := s.Pkg.Update(s, resource.URN(req.GetUrn()), req.GetId(), olds, news, req.GetPreview())
	if err != nil {
		return nil, err
	}
	props, err := marshal(outs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

func (s *Server) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (s *Server) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	args, err := unmarshal(req.GetArgs())
	if err != nil {
		return nil, err
	}
	ret, err := s.Pkg.Invoke(s, req.GetTok(), args)
	if err != nil {
		return nil, err
	}
	out, err := marshal(ret)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: out}, nil
}

// notImplemented is the error of a function the stand-in does not offer.
func (s *Server) notImplemented(what, tok string) error {
	return fmt.Errorf("%s %q is not implemented in the %s stand-in (tests/engine/standin); add it there if the program now needs it", what, tok, s.Name)
}

// isInternalKey tells engine and SDK bookkeeping keys (`__defaults`, `__meta`, ...) apart from inputs.
func isInternalKey(k resource.PropertyKey) bool { return strings.HasPrefix(string(k), "__") }

// changedKeys lists, sorted, the top-level inputs whose values differ; an unknown new value counts as a change.
func changedKeys(olds, news resource.PropertyMap) []string {
	keys := map[resource.PropertyKey]bool{}
	for k := range olds {
		keys[k] = true
	}
	for k := range news {
		keys[k] = true
	}
	var changed []string
	for k := range keys {
		if isInternalKey(k) {
			continue
		}
		o, n := olds[k], news[k]
		if o.IsNull() && n.IsNull() {
			continue
		}
		if n.ContainsUnknowns() || !o.DeepEquals(n) {
			changed = append(changed, string(k))
		}
	}
	sort.Strings(changed)
	return changed
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// str returns a known string property (secret or not), or "".
func str(m resource.PropertyMap, key string) string {
	v, ok := m[resource.PropertyKey(key)]
	if !ok {
		return ""
	}
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

// num returns a known number property.
func num(m resource.PropertyMap, key string) (float64, bool) {
	v, ok := m[resource.PropertyKey(key)]
	if ok && v.IsNumber() {
		return v.NumberValue(), true
	}
	return 0, false
}

// boolean returns a known bool property, or def.
func boolean(m resource.PropertyMap, key string, def bool) bool {
	v, ok := m[resource.PropertyKey(key)]
	if ok && v.IsBool() {
		return v.BoolValue()
	}
	return def
}

// known tells whether a property is set and holds no unknowns.
func known(m resource.PropertyMap, key string) bool {
	v, ok := m[resource.PropertyKey(key)]
	return ok && !v.IsNull() && !v.ContainsUnknowns()
}

func parseDefaultTags(v resource.PropertyValue) map[string]string {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsString() {
		decoded, err := decodeJSONProperty(v.StringValue())
		if err != nil {
			return nil
		}
		v = decoded
	}
	if !v.IsObject() {
		return nil
	}
	tags := v.ObjectValue()["tags"]
	if !tags.IsObject() {
		return nil
	}
	out := map[string]string{}
	for k, t := range tags.ObjectValue() {
		if t.IsString() {
			out[string(k)] = t.StringValue()
		}
	}
	return out
}
