package serverside

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	sigsyaml "sigs.k8s.io/yaml"

	"github.com/failoverkit/ipfailover/internal/apicheck"
)

// testEmbeddedFieldRules checks the renderer's restatement of the API
// server's pod rules for tolerations and resources (fn/kubefields.go)
// against the server, both ways: what the renderer accepts, the server
// accepts (its output applies); what the renderer rejects, the server
// rejects too (a bare Deployment with the same field fails a strict dry
// run), so that the renderer refuses nothing the server would take.
func testEmbeddedFieldRules(t *testing.T, c *apicheck.Client, render string) {
	const ns = "embedded-fields"
	cases := []struct {
		name  string
		field string // a spec field, as YAML: the same in the IPFailover and the pod
	}{
		{"exists without key", `tolerations: [{operator: Exists}]`},
		{"exists with value", `tolerations: [{operator: Exists, value: b}]`},
		{"equal without key", `tolerations: [{key: "", operator: Equal}]`},
		{"empty operator without key", `tolerations: [{effect: NoSchedule}]`},
		{"unknown effect", `tolerations: [{key: a, effect: Sometimes}]`},
		{"unknown operator", `tolerations: [{key: a, operator: Lt, value: "3"}]`},
		{"seconds without NoExecute", `tolerations: [{key: a, effect: NoSchedule, tolerationSeconds: 5}]`},
		{"seconds with NoExecute", `tolerations: [{key: a, effect: NoExecute, tolerationSeconds: 5}]`},
		{"bad key", `tolerations: [{key: "bad key", operator: Exists}]`},
		{"bad value", `tolerations: [{key: a, value: "not a value!"}]`},
		{"qualified key", `tolerations: [{key: example.com/a, value: "NO", effect: PreferNoSchedule}]`},
		{"cpu and memory", `resources: {limits: {cpu: 500m, memory: 64Mi}, requests: {cpu: 100m, memory: 32Mi, ephemeral-storage: 1Gi}}`},
		{"request over limit", `resources: {limits: {cpu: "1"}, requests: {cpu: "2"}}`},
		{"negative", `resources: {limits: {memory: -1Mi}}`},
		{"unqualified unknown name", `resources: {limits: {gpu: "1"}}`},
		{"kubernetes.io name", `resources: {limits: {kubernetes.io/dev: "1"}}`},
		{"requests. prefix", `resources: {limits: {requests.example.com/dev: "1"}}`},
		{"unqualified huge", `resources: {limits: {"hugepages-": 4Mi, memory: 64Mi}}`},
		{"extended", `resources: {limits: {example.com/dev: "2"}, requests: {example.com/dev: "2"}}`},
		{"extended fraction", `resources: {limits: {example.com/dev: 1500m}}`},
		{"extended request without limit", `resources: {requests: {example.com/dev: "1"}}`},
		{"extended request below limit", `resources: {limits: {example.com/dev: "2"}, requests: {example.com/dev: "1"}}`},
		{"huge pages", `resources: {limits: {hugepages-2Mi: 4Mi, memory: 64Mi}, requests: {hugepages-2Mi: 4Mi}}`},
		{"huge pages alone", `resources: {limits: {hugepages-2Mi: 4Mi}}`},
		{"huge pages not a multiple", `resources: {limits: {hugepages-2Mi: 3Mi, memory: 64Mi}}`},
		{"huge pages bad size", `resources: {limits: {hugepages-x: 4Mi, memory: 64Mi}}`},
		{"claims", `resources: {claims: [{name: gpu}]}`},
		{"node selector", `nodeSelector: {kubernetes.io/os: linux, example.com/empty: ""}`},
		{"node selector bad key", `nodeSelector: {"bad key": x}`},
		{"node selector bad value", `nodeSelector: {zone: "a b"}`},
		{"priority class", `priorityClassName: system-node-critical`},
		{"priority class bad name", `priorityClassName: Not_A_Name`},
	}
	dir := t.TempDir()
	for i, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, "case.yaml")
			spec := "apiVersion: ipfailover.failoverkit.io/v1alpha1\nkind: IPFailover\nmetadata: {name: f" +
				string(rune('a'+i%26)) + ", namespace: " + ns + "}\nspec:\n  virtualIPs: [192.0.2.10]\n  " + tt.field + "\n"
			if err := os.WriteFile(file, []byte(spec), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var stdout, stderr bytes.Buffer
			cmd := exec.CommandContext(ctx, render, file)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if _, exit := err.(*exec.ExitError); err != nil && !exit {
				t.Fatal(err)
			}
			if err == nil {
				for _, o := range parseDocs(t, tt.name, stdout.Bytes()) {
					if err := c.DryRun(ctx, o); err != nil {
						t.Errorf("the renderer accepts %s, but %v", tt.field, err)
					}
				}
				return
			}
			err = c.DryRun(ctx, bareDeployment(t, ns, tt.field))
			if err == nil {
				t.Errorf("the renderer refuses %s (%s), but the server accepts it in a pod", tt.field, bytes.TrimSpace(stderr.Bytes()))
			} else if !errors.As(err, new(*apicheck.RejectedError)) {
				t.Errorf("the bare Deployment with %s was not answered: %v", tt.field, err)
			}
		})
	}
}

// bareDeployment is a minimal Deployment whose pod carries field
// (tolerations, nodeSelector, priorityClassName, or the container's
// resources).
func bareDeployment(t *testing.T, ns, field string) apicheck.Object {
	t.Helper()
	var f map[string]any
	if err := sigsyaml.Unmarshal([]byte(field), &f); err != nil {
		t.Fatal(err)
	}
	container := map[string]any{"name": "c", "image": "example.com/c:1"}
	pod := map[string]any{"containers": []any{container}}
	if r, ok := f["resources"]; ok {
		container["resources"] = r
	}
	for _, k := range []string{"tolerations", "nodeSelector", "priorityClassName"} {
		if v, ok := f[k]; ok {
			pod[k] = v
		}
	}
	labels := map[string]any{"app": "bare"}
	d := apicheck.Object{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": "bare", "namespace": ns},
		"spec": map[string]any{
			"selector": map[string]any{"matchLabels": labels},
			"template": map[string]any{"metadata": map[string]any{"labels": labels}, "spec": pod},
		},
	}
	// Through JSON, as the other objects are sent.
	data, _ := json.Marshal(d)
	o, err := apicheck.ReadJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
