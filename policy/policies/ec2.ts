/** EC2 instances: launch templates (the ECS capacity and the NAT instance), launch configurations and instances. */
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isType, isUnknown, list, ofType, propsOf, refersTo } from "./util";

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const LAUNCH_CONFIGURATION = "aws:ec2/launchConfiguration:LaunchConfiguration";
const INSTANCE = "aws:ec2/instance:Instance";
const instanceTypes = [LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION, INSTANCE];

export const imdsv2: ResourceValidationPolicy = {
    name: "ec2-imdsv2",
    description: "Launch templates, launch configurations and instances require IMDSv2 (metadataOptions.httpTokens required) or turn the metadata endpoint off: IMDSv1 hands the instance role's credentials to any SSRF.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!instanceTypes.some((t) => isType(args.type, t))) return;
        const options = propsOf(args).metadataOptions;
        if (isUnknown(options) || isUnknown(options?.httpTokens) || isUnknown(options?.httpEndpoint)) return;
        if (options?.httpEndpoint !== "disabled" && options?.httpTokens !== "required") {
            report(`metadataOptions.httpTokens is ${options?.httpTokens ?? "unset (optional: IMDSv1 allowed)"}: set httpTokens required (IMDSv2), or httpEndpoint disabled.`);
        }
    },
};

/** Whether a value the provider takes as a boolean or its string says true. */
const yes = (v: unknown) => v === true || v === "true";

/**
 * Whether the template launches the NAT instance: its group is also the group of a network
 * interface with the source/destination check off that a route sends traffic to. Only a NAT
 * instance needs a public address.
 */
function launchesNat(template: PolicyResource, resources: PolicyResource[]): boolean {
    const groups = (template.propertyDependencies?.networkInterfaces ?? []).filter((d) => d.type === "aws:ec2/securityGroup:SecurityGroup");
    const routes = ofType(resources, "aws:ec2/route:Route");
    return ofType(resources, "aws:ec2/networkInterface:NetworkInterface").some(
        (eni) => (propsOf(eni).sourceDestCheck === false || isUnknown(propsOf(eni).sourceDestCheck)) && groups.some((g) => refersTo(eni, "securityGroups", g)) && routes.some((r) => refersTo(r, "networkInterfaceId", eni)),
    );
}

export const noPublicIp: StackValidationPolicy = {
    name: "ec2-no-public-ip",
    description:
        "Launch templates, launch configurations and instances give no public IP address (associatePublicIpAddress), but for the NAT instance: a template whose security group is that of a network interface with the source/destination check off that a route of the stack targets.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const r of instanceTypes.flatMap((t) => ofType(args.resources, t))) {
            const props = propsOf(r);
            const interfaces = isUnknown(props.networkInterfaces) ? [] : list(props.networkInterfaces);
            const publicIp = yes(props.associatePublicIpAddress) || interfaces.some((i: any) => yes(i?.associatePublicIpAddress));
            if (publicIp && !(isType(r.type, LAUNCH_TEMPLATE) && launchesNat(r, args.resources))) {
                report(`${r.name} gives its instances a public IP address: run them in private subnets (only a NAT instance needs one).`, r.urn);
            }
        }
    },
};
