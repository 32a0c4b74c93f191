// Test stand-in, not a provider: the plugin entry point. It does what sdk/v3's
// go/pulumi/provider.Main does (serve the ResourceProvider gRPC service on a free port, print the
// port, stop when the engine goes away) without that package, whose tracing bridge
// (go.opentelemetry.io/otel/bridge/opentracing) is not in the offline Go module cache.
package standin

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// Main serves srv until the engine that started the plugin stops it or goes away.
func Main(srv pulumirpc.ResourceProviderServer) {
	flag.String("tracing", "", "ignored: the stand-in emits no traces")
	flag.Parse()

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	if args := flag.Args(); len(args) > 0 {
		// The engine's address: stop when it no longer answers health checks.
		if err := rpcutil.Healthcheck(ctx, args[0], 5*time.Minute, cancel); err != nil {
			fmt.Fprintf(os.Stderr, "fatal: could not start the health check of the engine: %v\n", err)
			os.Exit(1)
		}
	}
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(s *grpc.Server) error {
			pulumirpc.RegisterResourceProviderServer(s, srv)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "fatal: %v\n", err)
		os.Exit(1)
	}
	// The plugin protocol: the first line on stdout is the port.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "fatal: %v\n", err)
		os.Exit(1)
	}
}
