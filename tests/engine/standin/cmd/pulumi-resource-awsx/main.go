// Test stand-in, not a provider: the `awsx` resource plugin (the awsx:ec2:Vpc component) that
// tests/engine runs the real Pulumi engine with. See tests/engine/standin/build.sh.
package main

import "flask-fargate/tests/engine/standin/internal/standin"

func main() {
	standin.Main(standin.AWSXServer{Server: standin.NewServer("awsx", standin.AWSXVersion, standin.AWSX{})})
}
