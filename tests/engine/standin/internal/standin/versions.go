// Test stand-in, not a provider: the npm package versions (package.json / package-lock.json)
// whose plugins these binaries stand in for; GetPluginInfo reports them.
package standin

const (
	AWSVersion         = "7.48.0"
	AWSXVersion        = "3.9.0"
	DockerBuildVersion = "0.0.22"
)
