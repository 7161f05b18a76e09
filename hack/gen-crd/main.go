// Command gen-crd writes the CustomResourceDefinition of IPFailover,
// generated from the Go types and doc comments of api/v1alpha1 (see package
// api/v1alpha1/schema). Run from the repository root:
//
//	go run ./hack/gen-crd [-api api/v1alpha1] [-o deploy/crd/ipfailover.failoverkit.io_ipfailovers.yaml]
//
// Without -o it writes to stdout.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/failoverkit/ipfailover/api/v1alpha1/schema"
)

func main() {
	apiDir := flag.String("api", "api/v1alpha1", "directory of the API package's source (for the doc comments)")
	out := flag.String("o", "", "file to write (default: stdout)")
	flag.Parse()
	crd, err := schema.CRD(*apiDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen-crd:", err)
		os.Exit(1)
	}
	if *out == "" {
		_, err = os.Stdout.Write(crd)
	} else {
		err = os.WriteFile(*out, crd, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen-crd:", err)
		os.Exit(1)
	}
}
