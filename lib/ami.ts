/**
 * A launch template's AMI that changes only when the stack's settings ask: either the image the
 * settings name, or AWS's current image for a public SSM parameter, read once when the launch
 * template is created and kept afterwards (`ignoreChanges: ["imageId"]`). Resolving the parameter on
 * every run made any `pulumi up` after AWS published a new image roll the instances (for the NAT
 * instance: egress down while the new one boots), shown in the preview only as `[secret]`, since the
 * provider marks a parameter's `value` sensitive; its `insecureValue` is the same string in clear.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** An AMI id as EC2 writes it. */
export const amiIdPattern = /^ami-[0-9a-f]{8,17}$/;

/** The image for a launch template, and the resource options that keep it. */
export interface PinnedImage {
    /** The launch template's imageId. */
    imageId: pulumi.Input<string>;
    /** imageId when the image is AWS's current one (kept from creation on), else nothing. */
    ignoreChanges: string[];
}

/** `given` when set; else AWS's current image from `parameter`, kept from the template's creation on. */
export function pinnedImage(parameter: string, given: string | undefined, parent: pulumi.Resource): PinnedImage {
    if (given !== undefined) {
        return { imageId: given, ignoreChanges: [] };
    }
    return { imageId: aws.ssm.getParameterOutput({ name: parameter }, { parent }).insecureValue, ignoreChanges: ["imageId"] };
}
