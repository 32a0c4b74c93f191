// Test stand-in, not a provider: the versions of the npm packages (package-lock.json) whose plugins
// these binaries stand in for; GetPluginInfo reports them. build.sh sets them at link time
// (-ldflags -X) from package-lock.json, so they have one owner; `go test` leaves them empty.
package standin

var (
	AWSVersion         string
	AWSXVersion        string
	DockerBuildVersion string
)
