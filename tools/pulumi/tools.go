//go:build tools

// Package tools pins the Pulumi CLI that the project's tests and scripts run: scripts/setup.sh builds
// github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at the version required in go.mod, which is the version
// of @pulumi/pulumi in package.json (tests/engine checks the two agree). `go install pkg@version`
// refuses pkg/v3 because its go.mod has replace directives; requiring it from this module works.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
