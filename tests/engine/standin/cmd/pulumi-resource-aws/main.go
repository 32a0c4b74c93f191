// Test stand-in, not a provider: the `aws` resource plugin that tests/engine runs the real Pulumi
// engine with, in place of pulumi-aws, which needs AWS. See tests/engine/standin/build.sh.
package main

import "flask-fargate/tests/engine/standin/internal/standin"

func main() {
	standin.Main(standin.NewServer("aws", standin.AWSVersion, standin.AWS{}))
}
