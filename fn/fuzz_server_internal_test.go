package fn

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/failoverkit/ipfailover/internal/apicheck"
)

// recordingServer answers discovery for the kinds the renderer reads and
// writes and accepts every apply, recording each PATCH as
// "path?query body".
type recordingServer struct{ patches []string }

func (s *recordingServer) RoundTrip(req *http.Request) (*http.Response, error) {
	resources := map[string]string{
		"/api/v1":                            `{"name":"namespaces","kind":"Namespace"},{"name":"serviceaccounts","kind":"ServiceAccount","namespaced":true},{"name":"configmaps","kind":"ConfigMap","namespaced":true}`,
		"/apis/apps/v1":                      `{"name":"deployments","kind":"Deployment","namespaced":true}`,
		"/apis/batch/v1":                     `{"name":"jobs","kind":"Job","namespaced":true}`,
		"/apis/rbac.authorization.k8s.io/v1": `{"name":"rolebindings","kind":"RoleBinding","namespaced":true}`,
		"/apis/ipfailover.failoverkit.io/v1alpha1": `{"name":"ipfailovers","kind":"IPFailover","namespaced":true}`,
	}
	body := "{}"
	if req.Method == http.MethodGet {
		body = `{"resources":[` + resources[req.URL.Path] + `]}`
	} else {
		b, _ := io.ReadAll(req.Body)
		q, _ := url.QueryUnescape(req.URL.RawQuery)
		s.patches = append(s.patches, req.URL.Path+"?"+q+" "+string(b))
	}
	return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader(body)), Header: http.Header{}, Request: req}, nil
}

// TestServerAcceptsSendsInputAndOutput checks what the fuzz targets send
// to IPFAILOVER_FUZZ_KUBECONFIG's server, on a recording stand-in: the
// IPFailover as the renderer read it (YAML 1.2: no is a string), each
// generated object as kubectl reads the printed form (quoted for YAML
// 1.1, so no stays a string too), all as strict dry runs.
func TestServerAcceptsSendsInputAndOutput(t *testing.T) {
	in := parse(t, ipfailover("on", "ns", "virtualIPs: [192.0.2.1]\nnodes: [no, y]\ninterface: yes\n"))
	out := Render(in, nil)
	if out.Failed() {
		t.Fatalf("render failed: %v", out.Results)
	}
	rec := &recordingServer{}
	serverAccepts(t, apicheck.New("https://api.invalid", &http.Client{Transport: rec}), in, out)

	var kinds []string
	for _, p := range rec.patches {
		path, rest, _ := strings.Cut(p, "?")
		query, body, _ := strings.Cut(rest, " ")
		if path == "/api/v1/namespaces/ns" {
			continue // created for real, once
		}
		kinds = append(kinds, path[strings.LastIndex(path[:strings.LastIndex(path, "/")], "/")+1:strings.LastIndex(path, "/")])
		if query != "dryRun=All&fieldManager=kubectl&fieldValidation=Strict" {
			t.Errorf("%s sent with %s", path, query)
		}
		if strings.Contains(body, `"value":true`) || strings.Contains(body, `"value":false`) || strings.Contains(body, `"name":false`) {
			t.Errorf("%s: a YAML 1.1 word reached the server as a boolean: %s", path, body)
		}
		if strings.HasSuffix(path, "/ipfailovers/on") && !strings.Contains(body, `"interface":"yes","nodes":["no","y"]`) {
			t.Errorf("the IPFailover was not sent as the renderer read it: %s", body)
		}
	}
	if !slices.Contains(kinds, "ipfailovers") || !slices.Contains(kinds, "deployments") || len(kinds) != 1+len(out.Generated) {
		t.Errorf("sent %v for %d generated objects", kinds, len(out.Generated))
	}
}
