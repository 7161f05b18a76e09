package fn

import (
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/failoverkit/ipfailover/contract"
)

// TestMappingTable: every row maps both ways (metadata.name is named by
// the importer itself), and every contract Field that the contract's
// table carries is set by exactly one row.
func TestMappingTable(t *testing.T) {
	rows := map[contract.Field]int{}
	for i, m := range settings {
		if m.toConfig == nil {
			t.Errorf("row %d (%v) has no toConfig", i, m.at)
		}
		if m.toSpec == nil && m.at[contract.FieldConfigName] == "" {
			t.Errorf("row %d (%v) has no toSpec", i, m.at)
		}
		for f := range m.at {
			rows[f]++
		}
	}
	for f := contract.FieldUnknown + 1; f <= contract.FieldCheckTLSInsecure; f++ {
		switch {
		case f == contract.FieldNodeName || f == contract.FieldIPTablesBackend:
			// per pod (the downward API) and per node (the agent decides):
			// neither a spec setting nor an import's concern
			if rows[f] != 0 {
				t.Errorf("%s has a row", f)
			}
		case rows[f] != 1:
			t.Errorf("%s is set by %d rows, want 1", f, rows[f])
		}
	}
}

// roundTripInputs are the object sets of every example and every golden
// input directory that parse as objects.
func roundTripInputs(t *testing.T) map[string]kfn.KubeObjects {
	sets := map[string]kfn.KubeObjects{}
	for _, name := range exampleNames(t) {
		sets["examples/"+name] = exampleObjects(t, name)
	}
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", "golden", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		var objs kfn.KubeObjects
		for _, f := range files {
			if strings.HasPrefix(filepath.Base(f), "expected") {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			o, err := kfn.ParseKubeObjects(data)
			if err != nil {
				continue // an input that is meant not to parse
			}
			objs = append(objs, o...)
		}
		if len(objs) > 0 {
			sets["testdata/golden/"+filepath.Base(dir)] = objs
		}
	}
	return sets
}

// renderOK renders objs, nil when the render fails (error goldens).
func renderOK(objs kfn.KubeObjects) kfn.KubeObjects {
	out := Render(objs, nil)
	if out.Failed() {
		return nil
	}
	return out.Generated
}

// withoutNodeName drops OPENSHIFT_HA_NODE_NAME from the rendered
// Deployments: the renderer fills it from the downward API, per pod, and
// import takes literal values only (it is no setting of the spec).
func withoutNodeName(t *testing.T, objs kfn.KubeObjects) kfn.KubeObjects {
	t.Helper()
	var out kfn.KubeObjects
	for _, o := range objs {
		if o.GetKind() == "Deployment" {
			var d appsv1.Deployment
			if err := o.As(&d); err != nil {
				t.Fatal(err)
			}
			for i := range d.Spec.Template.Spec.Containers {
				c := &d.Spec.Template.Spec.Containers[i]
				c.Env = slices.DeleteFunc(c.Env, func(e corev1.EnvVar) bool { return e.Name == contract.EnvNodeName })
			}
			var err error
			if o, err = kfn.NewFromTypedObject(&d); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, o)
	}
	return out
}

// importOK imports objs, nil when nothing imports cleanly.
func importOK(objs kfn.KubeObjects) []Imported {
	ims, results := Import(objs, "")
	if results.ExitCode() != 0 {
		return nil
	}
	return ims
}

// planOf resolves an IPFailover object.
func planOf(t *testing.T, o *kfn.KubeObject) *plan {
	t.Helper()
	ipf, probs := decode(o)
	if ipf == nil || probs.hasErrors() {
		t.Fatalf("%s does not decode: %v", o.GetName(), probs)
	}
	p, probs := newPlan(ipf)
	if probs.hasErrors() {
		t.Fatalf("%s does not resolve: %v", o.GetName(), probs)
	}
	return p
}

func typed(t *testing.T, im Imported) *kfn.KubeObject {
	t.Helper()
	o, err := kfn.NewFromTypedObject(im.IPFailover)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestRenderImportRoundTrip runs the two directions of the mapping into
// each other over the examples and the golden inputs:
//   - import(render(spec)) resolves to the same contract configuration
//     (so the same pod environment) and the same scripts as spec;
//   - on what import writes, render then import is the identity: an
//     imported spec (from a rendered set, or from a hand-written
//     Deployment of the golden inputs) comes back field for field.
func TestRenderImportRoundTrip(t *testing.T) {
	var n roundTrips
	for name, objs := range roundTripInputs(t) {
		t.Run(name, func(t *testing.T) { n.add(roundTrip(t, objs)) })
	}
	t.Logf("%d rendered sets imported back (%d with a check script that became spec.check), %d imported specs round-tripped", n.rendered, n.recognised, n.imported)
	if n.rendered < 20 || n.imported < 20 {
		t.Errorf("only %d rendered and %d imported round trips: the inputs are not being read", n.rendered, n.imported)
	}
}

// oneByOne is the VIPs of c as single addresses.
func oneByOne(c contract.Config) []contract.Range {
	var out []contract.Range
	for _, a := range c.Addrs() {
		out = append(out, contract.Range{First: a, Last: a})
	}
	return out
}

// roundTrips counts what roundTrip checked.
type roundTrips struct{ rendered, recognised, imported int }

func (n *roundTrips) add(m roundTrips) {
	n.rendered += m.rendered
	n.recognised += m.recognised
	n.imported += m.imported
}

// roundTrip checks both directions on one set of objects (see
// TestRenderImportRoundTrip).
func roundTrip(t *testing.T, objs kfn.KubeObjects) (n roundTrips) {
	t.Helper()
	addrs := cmp.Comparer(func(a, b netip.Addr) bool { return a == b })
	var specs []Imported
	if gen := renderOK(objs); gen != nil {
		ims := importOK(withoutNodeName(t, gen))
		for _, im := range ims {
			var orig *kfn.KubeObject
			for _, o := range objs {
				if o.GetKind() == "IPFailover" && o.GetName() == im.IPFailover.Name {
					orig = o
				}
			}
			if orig == nil {
				t.Fatalf("imported %s, which the input does not hold", im.IPFailover.Name)
			}
			p1, p2 := planOf(t, orig), planOf(t, typed(t, im))
			// Where the move changes the form by design: IPv6
			// ranges are written out address by address, and a
			// check script import recognises becomes spec.check.
			p1.cfg.VIPs, p2.cfg.VIPs = oneByOne(p1.cfg), oneByOne(p2.cfg)
			if p1.cfg.Check == nil && p2.cfg.Check != nil && p2.cfg.CheckScript == "" {
				p2.cfg.Check, p2.cfg.CheckScript = nil, p1.cfg.CheckScript
				delete(p1.scripts, CheckScriptKey)
				if len(p1.scripts) == 0 {
					p1.scripts = nil
				}
				n.recognised++
			}
			if diff := cmp.Diff(p1.cfg, p2.cfg, addrs); diff != "" {
				t.Errorf("%s: the imported spec resolves to another configuration (-rendered +imported):\n%s", orig.GetName(), diff)
			}
			if diff := cmp.Diff(p1.scripts, p2.scripts); diff != "" {
				t.Errorf("%s: scripts differ (-rendered +imported):\n%s", orig.GetName(), diff)
			}
			n.rendered++
		}
		specs = append(specs, ims...)
	}
	specs = append(specs, importOK(objs)...)
	for _, im := range specs {
		again := importOK(withoutNodeName(t, renderOK(kfn.KubeObjects{typed(t, im)})))
		if len(again) != 1 {
			t.Errorf("%s: the imported spec does not render and import again (%d)", im.IPFailover.Name, len(again))
			continue
		}
		if diff := cmp.Diff(im.IPFailover.Spec, again[0].IPFailover.Spec); diff != "" {
			t.Errorf("%s: import(render(spec)) != spec (-spec +again):\n%s", im.IPFailover.Name, diff)
		}
		n.imported++
	}
	return n
}

// TestRenderImportRoundTripSettings covers every row of the mapping with
// a value other than its default, beyond what the examples set.
func TestRenderImportRoundTripSettings(t *testing.T) {
	for name, spec := range map[string]string{
		"ports, groups, chain":  "virtualIPs: [192.0.2.10-13]\ngroups: 2\nmonitorPort: 0\nhealthPort: 1986\niptablesChain: \"\"\ninterface: ens4",
		"vrrp":                  "virtualIPs: [192.0.2.10, 192.0.2.11]\nvrrp:\n  version: 3\n  advertInterval: 100ms\n  idOffset: 40\n  excludedIDs: [41, 43]\n  unicastPeers: [198.51.100.1, 198.51.100.2]",
		"never preempt":         "virtualIPs: [192.0.2.10]\npreemption:\n  never: true",
		"preempt at once":       "virtualIPs: [192.0.2.10]\npreemption:\n  delay: 0s\ncheckInterval: 5s",
		"nodes":                 "virtualIPs: [192.0.2.10]\nnodes: [worker-a, worker-b, worker-c]",
		"replicas":              "virtualIPs: [192.0.2.10]\nreplicas: 4",
		"tcp check":             "virtualIPs: [192.0.2.10]\ncheck:\n  tcp:\n    port: 8080\n  timeout: 500ms",
		"https check":           "virtualIPs: [192.0.2.10]\ncheck:\n  http:\n    scheme: HTTPS\n    host: svc.example.com\n    port: 8443\n    path: /ready\n    expectedStatus: {min: 204}\n    insecureSkipTLSVerify: true",
		"scripts kept":          "virtualIPs: [192.0.2.10]\ncheckScript: |\n  #!/bin/sh\n  test -e /tmp/ok\nnotifyScript: |\n  #!/bin/sh\n  echo \"$@\"",
		"keepalived, v2 script": "target: Keepalived\nvirtualIPs: [192.0.2.10]\ncheckScript: |\n  #!/bin/bash\n  exec curl -fsS -o /dev/null http://127.0.0.1/healthz",
	} {
		t.Run(name, func(t *testing.T) {
			n := roundTrip(t, parse(t, ipfailover("rt", "ns", spec)))
			if n.rendered != 1 || n.imported != 1 {
				t.Errorf("%+v: the spec did not render and import", n)
			}
		})
	}
}
