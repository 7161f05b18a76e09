package fn

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/api/v1alpha1/schema"
	"github.com/failoverkit/ipfailover/internal/apicheck"
)

// crdServedTimeout bounds the wait for the installed CRD to be served.
const crdServedTimeout = 60 * time.Second

// fuzzAPI is the API server of IPFAILOVER_FUZZ_KUBECONFIG, connected and given the
// CRD once per test process.
var fuzzAPI struct {
	once   sync.Once
	client *apicheck.Client
	err    error
}

// fuzzServer returns the client of IPFAILOVER_FUZZ_KUBECONFIG's API server, the CRD
// installed, or nil when the variable is unset.
func fuzzServer(t *testing.T) *apicheck.Client {
	t.Helper()
	path := os.Getenv(apicheck.FuzzKubeconfigEnv)
	if path == "" {
		return nil
	}
	first := false
	fuzzAPI.once.Do(func() { first = true; fuzzAPI.client, fuzzAPI.err = connect(path) })
	if fuzzAPI.err != nil {
		t.Fatalf("%s=%s: %v", apicheck.FuzzKubeconfigEnv, path, fuzzAPI.err)
	}
	if first { // lab/serverside looks for this line
		t.Logf("sending what the renderer accepts to %s (the CRD installed)", fuzzAPI.client.Server())
	}
	return fuzzAPI.client
}

// connect loads the kubeconfig and installs the checked-in CRD.
func connect(path string) (*apicheck.Client, error) {
	c, err := apicheck.Load(path)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join("..", schema.CRDFile))
	if err != nil {
		return nil, err
	}
	crds, err := apicheck.ReadYAML(data)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	for _, crd := range crds {
		if err := c.Apply(ctx, crd); err != nil {
			return nil, err
		}
	}
	if err := c.WaitServed(ctx, v1alpha1.APIVersion, v1alpha1.Kind, crdServedTimeout); err != nil {
		return nil, err
	}
	return c, nil
}

// serverAccepts sends what the renderer accepted as a strict server-side
// dry run: each IPFailover of in as the renderer read it (YAML 1.2, merge
// keys resolved), validated by the installed CRD; each generated object
// as it is printed (quoted for YAML 1.1) and read as kubectl reads it.
func serverAccepts(t *testing.T, c *apicheck.Client, in kfn.KubeObjects, out *Output) {
	t.Helper()
	ctx := context.Background()
	sent := 0
	for _, o := range in {
		if !IsIPFailover(o) {
			continue
		}
		data, err := yamlToJSON(o.String())
		if err != nil {
			t.Fatalf("the renderer accepted an IPFailover it cannot read: %v\n%s", err, o.String())
		}
		obj, err := apicheck.ReadJSON(data)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.DryRun(ctx, obj); err != nil {
			t.Errorf("the renderer accepts this IPFailover, but %v\n%s", err, o.String())
		}
		sent++
	}
	for _, o := range out.Generated {
		o = o.Copy()
		QuoteForYAML11(kfn.KubeObjects{o})
		text := o.String()
		objs, err := apicheck.ReadYAML([]byte(text))
		if err != nil || len(objs) != 1 {
			t.Errorf("kubectl reads %d objects from a generated %s (%v):\n%s", len(objs), o.GetKind(), err, text)
			continue
		}
		if err := c.DryRun(ctx, objs[0]); err != nil {
			t.Errorf("the renderer accepts its input, but %v\n%s", err, text)
		}
		sent++
	}
	t.Logf("accepted: %d objects sent to the server", sent) // lab/serverside counts these
}
