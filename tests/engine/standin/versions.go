//go:build tools

// Test stand-in, not a provider. This file is never compiled: it only keeps
// github.com/pulumi/pulumi/pkg/v3 in go.mod, so that this module resolves every shared
// dependency (grpc, protobuf, sdk/v3, ...) to the very versions tools/pulumi builds the CLI
// with, and the Go build cache the CLI build filled serves the stand-ins too.
package standin

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
