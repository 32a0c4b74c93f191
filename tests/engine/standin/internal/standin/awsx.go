// Test stand-in, not a provider: `awsx` (pulumi-awsx 3.9.0). Its one component the program uses,
// awsx:ec2:Vpc, is constructed here by registering, through the engine, the same children
// awsx 3.x's awsx/ec2/vpc.ts registers (VPC, internet gateway, per zone a public and a private
// subnet with route table, association and route, EIPs and NAT gateways per the NAT strategy,
// and the vpcEndpointSpecs). The children are aws resources, so the aws stand-in "creates" them.
//
// Construct talks to the engine's ResourceMonitor directly rather than through sdk/v3's
// go/pulumi/provider.Construct, whose package needs a Go module missing from the offline cache.
package standin

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"net"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/structpb"
)

// AWSX is the stand-in for the awsx package: components only.
type AWSX struct{}

func (AWSX) Check(_ *Server, _ resource.URN, _, news resource.PropertyMap) (resource.PropertyMap, []*pulumirpc.CheckFailure) {
	return news, nil
}
func (AWSX) ReplaceKeys(string, []string, resource.PropertyMap, resource.PropertyMap) []string {
	return nil
}
func (AWSX) Create(s *Server, urn resource.URN, _ resource.PropertyMap, _ bool) (string, resource.PropertyMap, error) {
	return "", nil, s.notImplemented("resource", string(urn.Type()))
}
func (AWSX) Update(s *Server, urn resource.URN, _ string, _, _ resource.PropertyMap, _ bool) (resource.PropertyMap, error) {
	return nil, s.notImplemented("resource", string(urn.Type()))
}
func (AWSX) Invoke(s *Server, tok string, _ resource.PropertyMap) (resource.PropertyMap, error) {
	return nil, s.notImplemented("function", tok)
}

// AWSXServer adds Construct to the shared server.
type AWSXServer struct{ *Server }

// registrar registers resources with the engine on behalf of one Construct call.
type registrar struct {
	ctx      context.Context
	monitor  pulumirpc.ResourceMonitorClient
	req      *pulumirpc.ConstructRequest
	provider string // the aws provider reference to use, if the program passed one
}

// child is a registered resource.
type child struct {
	urn  string
	id   resource.PropertyValue // unknown during a preview
	outs resource.PropertyMap
}

func (c child) ref() resource.PropertyValue {
	id := c.id
	if id.IsComputed() {
		id = resource.NewProperty("")
	}
	return resource.MakeCustomResourceReference(resource.URN(c.urn), resource.ID(id.StringValue()), AWSVersion)
}

// register registers one aws resource under parent; deps are the resources its inputs come from.
func (r *registrar) register(typ, name, parent string, inputs resource.PropertyMap, deps ...child) (child, error) {
	obj, err := marshal(inputs)
	if err != nil {
		return child{}, err
	}
	var urns []string
	for _, d := range deps {
		urns = append(urns, d.urn)
	}
	resp, err := r.monitor.RegisterResource(r.ctx, &pulumirpc.RegisterResourceRequest{
		Type: typ, Name: name, Parent: parent, Custom: true, Object: obj,
		Dependencies: urns, Version: AWSVersion, Provider: r.provider,
		AcceptSecrets: true, AcceptResources: true,
	})
	if err != nil {
		return child{}, fmt.Errorf("registering %s %q: %w", typ, name, err)
	}
	outs, err := unmarshal(resp.GetObject())
	if err != nil {
		return child{}, err
	}
	id := resource.NewProperty(resp.GetId())
	if resp.GetId() == "" {
		id = resource.MakeComputed(resource.NewProperty(""))
	}
	return child{urn: resp.GetUrn(), id: id, outs: outs}, nil
}

// Construct builds awsx:ec2:Vpc.
func (s AWSXServer) Construct(ctx context.Context, req *pulumirpc.ConstructRequest) (*pulumirpc.ConstructResponse, error) {
	if req.GetType() != "awsx:ec2:Vpc" {
		return nil, s.notImplemented("component", req.GetType())
	}
	conn, err := grpc.NewClient(req.GetMonitorEndpoint(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	r := &registrar{ctx: ctx, monitor: pulumirpc.NewResourceMonitorClient(conn), req: req, provider: req.GetProviders()["aws"]}
	args, err := unmarshal(req.GetInputs())
	if err != nil {
		return nil, err
	}

	// The component itself.
	comp, err := r.monitor.RegisterResource(ctx, &pulumirpc.RegisterResourceRequest{
		Type: req.GetType(), Name: req.GetName(), Parent: req.GetParent(), Custom: false, Object: &structpb.Struct{},
		Dependencies: req.GetDependencies(), Providers: req.GetProviders(), Protect: req.Protect,
		AcceptSecrets: true, AcceptResources: true,
	})
	if err != nil {
		return nil, fmt.Errorf("registering %s %q: %w", req.GetType(), req.GetName(), err)
	}
	state, stateDeps, err := s.buildVpc(r, comp.GetUrn(), req.GetName(), args)
	if err != nil {
		return nil, err
	}
	outs, err := marshal(state)
	if err != nil {
		return nil, err
	}
	if _, err := r.monitor.RegisterResourceOutputs(ctx, &pulumirpc.RegisterResourceOutputsRequest{Urn: comp.GetUrn(), Outputs: outs}); err != nil {
		return nil, err
	}
	deps := map[string]*pulumirpc.ConstructResponse_PropertyDependencies{}
	for k, urns := range stateDeps {
		deps[k] = &pulumirpc.ConstructResponse_PropertyDependencies{Urns: urns}
	}
	return &pulumirpc.ConstructResponse{Urn: comp.GetUrn(), State: outs, StateDependencies: deps}, nil
}

// subnetSpec is one subnet of one zone.
type subnetSpec struct {
	typ  string // Public, Private or Isolated
	mask int
	name string // overrides the type in the subnet's name
}

func (s AWSXServer) buildVpc(r *registrar, compURN, name string, args resource.PropertyMap) (resource.PropertyMap, map[string][]string, error) {
	region := r.req.GetConfig()["aws:region"]
	if region == "" {
		region = s.Region
	}
	cidr := str(args, "cidrBlock")
	if cidr == "" {
		cidr = "10.0.0.0/16"
	}
	_, vpcNet, err := net.ParseCIDR(cidr)
	if err != nil {
		return nil, nil, fmt.Errorf("awsx:ec2:Vpc %s: cidrBlock %q: %w", name, cidr, err)
	}
	zoneCount := 3
	if n, ok := num(args, "numberOfAvailabilityZones"); ok {
		zoneCount = int(n)
	}
	var zones []string
	if v := args["availabilityZoneNames"]; v.IsArray() {
		for _, z := range v.ArrayValue() {
			zones = append(zones, z.StringValue())
		}
	} else {
		for i := 0; i < zoneCount; i++ {
			zones = append(zones, fmt.Sprintf("%s%c", region, 'a'+i))
		}
	}
	strategy := "OnePerAz"
	if v := args["natGateways"]; v.IsObject() {
		if st := str(v.ObjectValue(), "strategy"); st != "" {
			strategy = st
		}
	}
	specs := []subnetSpec{{typ: "Private"}, {typ: "Public"}}
	if v := args["subnetSpecs"]; v.IsArray() && len(v.ArrayValue()) > 0 {
		specs = nil
		for _, e := range v.ArrayValue() {
			o := e.ObjectValue()
			m, _ := num(o, "cidrMask")
			specs = append(specs, subnetSpec{typ: str(o, "type"), mask: int(m), name: str(o, "name")})
		}
	}
	order := map[string]int{"Public": 0, "Private": 1, "Isolated": 2}
	sort.SliceStable(specs, func(i, j int) bool { return order[specs[i].typ] < order[specs[j].typ] })

	tags := resource.PropertyMap{"Name": resource.NewProperty(name)}
	if v := args["tags"]; v.IsObject() {
		for k, t := range v.ObjectValue() {
			tags[k] = t
		}
	}
	withTags := func(extra map[string]string) resource.PropertyValue {
		t := tags.Copy()
		for k, v := range extra {
			t[resource.PropertyKey(k)] = resource.NewProperty(v)
		}
		return resource.NewProperty(t)
	}

	vpcInputs := resource.PropertyMap{"cidrBlock": resource.NewProperty(cidr), "tags": resource.NewProperty(tags)}
	for _, k := range []resource.PropertyKey{"enableDnsHostnames", "enableDnsSupport", "instanceTenancy"} {
		if v, ok := args[k]; ok && !v.IsNull() {
			vpcInputs[k] = v
		}
	}
	vpc, err := r.register("aws:ec2/vpc:Vpc", name, compURN, vpcInputs)
	if err != nil {
		return nil, nil, err
	}
	igw, err := r.register("aws:ec2/internetGateway:InternetGateway", name, vpc.urn,
		resource.PropertyMap{"vpcId": vpc.id, "tags": resource.NewProperty(tags)}, vpc)
	if err != nil {
		return nil, nil, err
	}

	var endpoints []child
	if v := args["vpcEndpointSpecs"]; v.IsArray() {
		for _, e := range v.ArrayValue() {
			in := e.ObjectValue().Copy()
			in["vpcId"] = vpc.id
			ep, err := r.register("aws:ec2/vpcEndpoint:VpcEndpoint", str(in, "serviceName"), vpc.urn, in, vpc)
			if err != nil {
				return nil, nil, err
			}
			endpoints = append(endpoints, ep)
		}
	}

	var subnets, routeTables, associations, routes, nats, eips []child
	var publicIDs, privateIDs, isolatedIDs []resource.PropertyValue
	var publicURNs, privateURNs, isolatedURNs []string
	cidrs := allocate(vpcNet, len(zones), specs)
	for i, zone := range zones {
		for j, spec := range specs {
			typeName := strings.ToLower(spec.typ)
			if spec.name != "" {
				typeName = spec.name
			}
			subnetName := fmt.Sprintf("%s-%s-%d", name, typeName, i+1)
			subnet, err := r.register("aws:ec2/subnet:Subnet", subnetName, vpc.urn, resource.PropertyMap{
				"vpcId": vpc.id, "availabilityZone": resource.NewProperty(zone),
				"mapPublicIpOnLaunch": resource.NewProperty(spec.typ == "Public"),
				"cidrBlock":           resource.NewProperty(cidrs[i][j]),
				"tags":                withTags(map[string]string{"Name": subnetName, "SubnetType": spec.typ}),
			}, vpc)
			if err != nil {
				return nil, nil, err
			}
			subnets = append(subnets, subnet)
			switch spec.typ {
			case "Public":
				publicIDs, publicURNs = append(publicIDs, subnet.id), append(publicURNs, subnet.urn)
			case "Private":
				privateIDs, privateURNs = append(privateIDs, subnet.id), append(privateURNs, subnet.urn)
			default:
				isolatedIDs, isolatedURNs = append(isolatedIDs, subnet.id), append(isolatedURNs, subnet.urn)
			}
			rt, err := r.register("aws:ec2/routeTable:RouteTable", subnetName, subnet.urn, resource.PropertyMap{
				"vpcId": vpc.id, "tags": withTags(map[string]string{"Name": subnetName, "SubnetType": spec.typ}),
			}, vpc, subnet)
			if err != nil {
				return nil, nil, err
			}
			routeTables = append(routeTables, rt)
			assoc, err := r.register("aws:ec2/routeTableAssociation:RouteTableAssociation", subnetName, rt.urn,
				resource.PropertyMap{"routeTableId": rt.id, "subnetId": subnet.id}, rt, subnet)
			if err != nil {
				return nil, nil, err
			}
			associations = append(associations, assoc)

			if spec.typ == "Public" && (strategy == "OnePerAz" || strategy == "Single" && len(nats) == 0) {
				natName := fmt.Sprintf("%s-%d", name, i+1)
				eip, err := r.register("aws:ec2/eip:Eip", natName, subnet.urn,
					resource.PropertyMap{"tags": resource.NewProperty(resource.PropertyMap{"Name": resource.NewProperty(natName)})}, subnet)
				if err != nil {
					return nil, nil, err
				}
				eips = append(eips, eip)
				allocation := eip.outs["allocationId"]
				if allocation.IsNull() {
					allocation = resource.MakeComputed(resource.NewProperty(""))
				}
				nat, err := r.register("aws:ec2/natGateway:NatGateway", natName, subnet.urn, resource.PropertyMap{
					"subnetId": subnet.id, "allocationId": allocation,
					"tags": resource.NewProperty(resource.PropertyMap{"Name": resource.NewProperty(natName)}),
				}, subnet, eip)
				if err != nil {
					return nil, nil, err
				}
				nats = append(nats, nat)
			}
			var route resource.PropertyMap
			var routeDeps []child
			switch {
			case spec.typ == "Public":
				route = resource.PropertyMap{"gatewayId": igw.id}
				routeDeps = []child{igw}
			case spec.typ == "Private" && strategy != "None":
				nat := nats[0]
				if strategy != "Single" {
					nat = nats[i]
				}
				route = resource.PropertyMap{"natGatewayId": nat.id}
				routeDeps = []child{nat}
			}
			if route != nil {
				route["routeTableId"] = rt.id
				route["destinationCidrBlock"] = resource.NewProperty("0.0.0.0/0")
				rc, err := r.register("aws:ec2/route:Route", subnetName, rt.urn, route, append(routeDeps, rt)...)
				if err != nil {
					return nil, nil, err
				}
				routes = append(routes, rc)
			}
		}
	}

	refs := func(cs []child) resource.PropertyValue {
		out := []resource.PropertyValue{}
		for _, c := range cs {
			out = append(out, c.ref())
		}
		return resource.NewProperty(out)
	}
	urns := func(cs []child) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.urn)
		}
		return out
	}
	ids := func(v []resource.PropertyValue) resource.PropertyValue {
		if v == nil {
			v = []resource.PropertyValue{}
		}
		return resource.NewProperty(v)
	}
	var layout []resource.PropertyValue
	for _, spec := range specs {
		l := resource.PropertyMap{"type": resource.NewProperty(spec.typ)}
		if spec.mask > 0 {
			l["cidrMask"] = resource.NewProperty(float64(spec.mask))
		}
		layout = append(layout, resource.NewProperty(l))
	}
	state := resource.PropertyMap{
		"vpcId": vpc.id, "vpc": vpc.ref(), "internetGateway": igw.ref(),
		"publicSubnetIds": ids(publicIDs), "privateSubnetIds": ids(privateIDs), "isolatedSubnetIds": ids(isolatedIDs),
		"subnets": refs(subnets), "routeTables": refs(routeTables), "routeTableAssociations": refs(associations),
		"routes": refs(routes), "natGateways": refs(nats), "eips": refs(eips), "vpcEndpoints": refs(endpoints),
		"subnetLayout": resource.NewProperty(layout),
	}
	deps := map[string][]string{
		"vpcId": {vpc.urn}, "vpc": {vpc.urn}, "internetGateway": {igw.urn},
		"publicSubnetIds": publicURNs, "privateSubnetIds": privateURNs, "isolatedSubnetIds": isolatedURNs,
		"subnets": urns(subnets), "routeTables": urns(routeTables), "routeTableAssociations": urns(associations),
		"routes": urns(routes), "natGateways": urns(nats), "eips": urns(eips), "vpcEndpoints": urns(endpoints),
	}
	return state, deps, nil
}

// allocate lays the subnets out like awsx's "Auto" strategy roughly does: each zone gets an equal,
// aligned share of the VPC's range, and each zone's subnets follow each other in it, aligned to
// their size. Subnets without a mask take a quarter of the zone's share.
func allocate(vpc *net.IPNet, zones int, specs []subnetSpec) [][]string {
	ones, _ := vpc.Mask.Size()
	zoneBits := 0
	if zones > 1 {
		zoneBits = bits.Len(uint(zones - 1))
	}
	base := ipToInt(vpc.IP)
	zoneSize := uint32(1) << (32 - ones - zoneBits)
	out := make([][]string, zones)
	for z := 0; z < zones; z++ {
		cursor := base + uint32(z)*zoneSize
		for _, spec := range specs {
			mask := spec.mask
			if mask == 0 {
				mask = ones + zoneBits + 2
			}
			size := uint32(math.Pow(2, float64(32-mask)))
			if rem := cursor % size; rem != 0 {
				cursor += size - rem
			}
			out[z] = append(out[z], fmt.Sprintf("%s/%d", intToIP(cursor), mask))
			cursor += size
		}
	}
	return out
}

func ipToInt(ip net.IP) uint32 {
	v4 := ip.To4()
	return uint32(v4[0])<<24 | uint32(v4[1])<<16 | uint32(v4[2])<<8 | uint32(v4[3])
}

func intToIP(v uint32) string {
	return fmt.Sprintf("%d.%d.%d.%d", v>>24, v>>16&0xff, v>>8&0xff, v&0xff)
}
