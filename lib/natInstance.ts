/**
 * The NAT instance as pure data: its size, AMI parameter, IAM policy and user data.
 *
 * The design (AWS VPC user guide, "NAT instances": a NAT instance must have source/destination
 * checks off, sits in a public subnet, and the private subnets' route tables send 0.0.0.0/0 to
 * it): the private routes target a fixed network interface that Pulumi owns, with its
 * source/destination check off, rather than an instance. An Auto Scaling group of one replaces a
 * failed instance, and the new instance attaches that interface at boot; the routes never change,
 * so `pulumi up` and `pulumi refresh` never see them drift, and switching `natGateways` away
 * removes them cleanly. (The same pattern as fck-nat's and int128/terraform-aws-nat-instance's
 * static ENI.) The instance keeps its own primary interface with a public IPv4 address for the
 * way out: traffic from the VPC arrives on the fixed interface, leaves through the primary one,
 * masqueraded to its address, and the replies go back through the fixed interface (the only one
 * whose source/destination check must be off).
 */
import type { PolicyDocument } from "./policies";

/** Instance type: the smallest Graviton burstable type. */
export const natInstanceType = "t4g.nano";

/** Root volume, GiB: the Amazon Linux 2023 AMI's own size. */
export const natInstanceVolumeGiB = 8;

/** Public SSM parameter of the current plain Amazon Linux 2023 AMI for arm64. */
export const natAmiParameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

/**
 * What the private route tables send to the NAT instance: two halves of the address space instead of
 * 0.0.0.0/0. A route table holds one route per destination, and CreateRoute refuses a second
 * (RouteAlreadyExists); on a switch between `instance` and NAT gateways, awsx's 0.0.0.0/0 route to
 * a gateway is created before the instance's routes are deleted (Pulumi deletes last), or the other
 * way round. With these the two never share a destination, and while both exist the longest prefix
 * wins (Amazon VPC user guide, "Route priority"): the NAT instance's, until its routes go.
 */
export const natRouteDestinations = ["0.0.0.0/1", "128.0.0.0/1"];

/** Ports the NAT forwards: the tasks only call out on HTTPS. */
export const natPorts = [443];

/**
 * The instance role's own policy: attach the NAT's interface, and only to an instance of the NAT's
 * Auto Scaling group (the tag the group puts on its instances, which no user can set: tags starting
 * with `aws:` are reserved). AttachNetworkInterface authorizes both the instance and the interface
 * (Service Authorization Reference, Amazon EC2: AttachNetworkInterface, resource types instance and
 * network-interface), so each gets its own statement.
 */
export function natAttachPolicy(interfaceArn: string, autoScalingGroupName: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "TheNatInterface", Effect: "Allow", Action: "ec2:AttachNetworkInterface", Resource: interfaceArn },
            {
                Sid: "ToAnInstanceOfTheNatGroup",
                Effect: "Allow",
                Action: "ec2:AttachNetworkInterface",
                Resource: interfaceArn.replace(/:network-interface\/.*$/, ":instance/*"),
                Condition: { StringEquals: { "ec2:ResourceTag/aws:autoscaling:groupName": autoScalingGroupName } },
            },
        ],
    };
}

/**
 * User data of the NAT instance (Amazon Linux 2023). At first boot it makes forwarding and the
 * masquerade rule permanent (sysctl.d, nftables' own boot-time ruleset) and installs a unit that,
 * at every boot, attaches the fixed interface (retrying while the replaced instance still holds
 * it) and routes the VPC's range through it.
 */
export function natUserData(interfaceId: string, vpcCidr: string): string {
    return `#!/bin/bash
# flask-fargate NAT instance: forwards what the VPC's private subnets send to the internet.
set -euo pipefail

cat > /etc/sysctl.d/90-nat.conf <<'EOF'
net.ipv4.ip_forward = 1
net.ipv4.conf.all.send_redirects = 0
EOF
sysctl --system

until dnf install -y nftables; do sleep 10; done
cat > /etc/sysconfig/nftables.conf <<'EOF'
table ip nat {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        ip saddr ${vpcCidr} ip daddr != ${vpcCidr} masquerade
    }
}
EOF
systemctl enable --now nftables

cat > /usr/local/sbin/nat-interface <<'EOF'
#!/bin/bash
set -euo pipefail
interface_id=${interfaceId}
# A token per request: the attach loop below may run 10 minutes, longer than a token lives.
imds() {
    local token
    token=$(curl -sf -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" http://169.254.169.254/latest/api/token)
    curl -sf -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}
interface_mac() {
    for mac in $(imds network/interfaces/macs/); do
        mac=\${mac%/}
        if [ "$(imds "network/interfaces/macs/$mac/interface-id")" = "$interface_id" ]; then echo "$mac"; return 0; fi
    done
    return 1
}
instance=$(imds instance-id)
region=$(imds placement/region)
# A replaced instance may hold the interface for a while after it is terminated.
for _ in $(seq 1 60); do
    if interface_mac > /dev/null; then break; fi
    aws ec2 attach-network-interface --region "$region" --instance-id "$instance" --network-interface-id "$interface_id" --device-index 1 || true
    sleep 10
done
mac=$(interface_mac)
device=""
for _ in $(seq 1 30); do
    device=$(ip -o link | awk -v mac="$mac" 'index($0, mac) { sub(/:$/, "", $2); print $2; exit }')
    if [ -n "$device" ]; then break; fi
    sleep 2
done
cidr=$(imds "network/interfaces/macs/$mac/subnet-ipv4-cidr-block")
base=\${cidr%/*}
# Replies to the private subnets leave through the fixed interface (source/destination check off).
ip route replace ${vpcCidr} via "\${base%.*}.$((\${base##*.} + 1))" dev "$device"
EOF
chmod 755 /usr/local/sbin/nat-interface

cat > /etc/systemd/system/nat-interface.service <<'EOF'
[Unit]
Description=Attach the NAT's fixed network interface and route the VPC's replies through it
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/nat-interface

[Install]
WantedBy=multi-user.target
EOF
systemctl daemon-reload
systemctl enable --now nat-interface.service
`;
}
