// Test stand-in, not a provider: the `docker-build` resource plugin that tests/engine runs the
// real Pulumi engine with; it builds nothing. See tests/engine/standin/build.sh.
package main

import "flask-fargate/tests/engine/standin/internal/standin"

func main() {
	standin.Main(standin.NewServer("docker-build", standin.DockerBuildVersion, standin.DockerBuild{}))
}
