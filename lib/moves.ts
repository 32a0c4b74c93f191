/**
 * Resources that moved from one component to another when the components became reusable (issue
 * 20), and where each was before: an alias keeps a deployed stack's resource (same URN as far as
 * the engine is concerned), so the move updates it in place instead of deleting and creating it.
 * Applied as a transformation of the component each now belongs to (children inherit it).
 */
import * as pulumi from "@pulumi/pulumi";

/** A resource's new name and type -> its old name and its old parent component. */
const moves: { type: string; name: string; was: { name: string; parentType: string; parentName: string } }[] = [
    // The load balancer's rule to the app's tasks was written by the service into the load
    // balancer's group; the load balancer now owns it (ServiceRoute.admit).
    {
        type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        name: "web-to-targets",
        was: { name: "app-lb-to-tasks", parentType: "flask-fargate:service:AppService", parentName: "app" },
    },
    // The topic's one policy was the app's Alarms'; the topic's component now owns it.
    { type: "aws:sns/topicPolicy:TopicPolicy", name: "alarms-publishers", was: { name: "app-publishers", parentType: "flask-fargate:alarms:Alarms", parentName: "app" } },
];

/** A transformation that gives each moved resource an alias to where it was. */
export const movedFrom: pulumi.ResourceTransformation = (args) => {
    const move = moves.find((m) => m.type === args.type && m.name === args.name);
    if (move === undefined) {
        return undefined;
    }
    const parent = pulumi.createUrn(move.was.parentName, move.was.parentType);
    return { props: args.props, opts: pulumi.mergeOptions(args.opts, { aliases: [{ name: move.was.name, parent }] }) };
};
