package serverside

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/internal/apicheck"
)

// fuzzTargets are the renderer's fuzz targets (package fn) that send what
// the renderer accepts to the server named by IPFAILOVER_FUZZ_KUBECONFIG.
var fuzzTargets = []string{"FuzzRenderSpec", "FuzzRenderYAML"}

// fuzzCorpusTimeout bounds the run of the fuzz targets over their corpus
// (most of it is compiling package fn's tests).
const fuzzCorpusTimeout = 10 * time.Minute

// testFuzzCorpus runs the renderer's fuzz targets over their seed corpus
// and fn/testdata/fuzz with IPFAILOVER_FUZZ_KUBECONFIG naming this server,
// so that every CI run holds each of those inputs to "accepted implies
// the server accepts": the targets install the CRD, and every IPFailover
// the renderer accepts and everything it generates must pass a strict
// server-side dry run. (make fuzz-server fuzzes so for longer, finding new
// inputs.)
func testFuzzCorpus(t *testing.T, kubeconfig string) {
	ctx, cancel := context.WithTimeout(context.Background(), fuzzCorpusTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "-v",
		"-run", "^("+strings.Join(fuzzTargets, "|")+")$", "./fn")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), apicheck.FuzzKubeconfigEnv+"="+kubeconfig)
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test -run %s ./fn with %s: %v\n%s", strings.Join(fuzzTargets, ","), apicheck.FuzzKubeconfigEnv, err, out)
	}
	if !strings.Contains(string(out), "sending what the renderer accepts to") {
		t.Errorf("the fuzz targets did not use the server:\n%s", out)
	}
	// Each target's output runs from its "=== RUN   Target" line to the
	// next target's.
	text := string(out)
	for i, target := range fuzzTargets {
		part := text[max(strings.Index(text, "=== RUN   "+target+"\n"), 0):]
		if i+1 < len(fuzzTargets) {
			if end := strings.Index(part, "=== RUN   "+fuzzTargets[i+1]+"\n"); end >= 0 {
				part = part[:end]
			}
		}
		ran := len(regexp.MustCompile(`(?m)^\s*--- PASS: `+target+`/`).FindAllStringIndex(part, -1))
		accepted := len(regexp.MustCompile(`accepted: \d+ objects sent to the server`).FindAllStringIndex(part, -1))
		t.Logf("%s: %d corpus inputs passed, %d of them accepted and applied on the server", target, ran, accepted)
		if ran < 2 || accepted < 2 {
			t.Errorf("%s: %d corpus inputs ran and %d were accepted; want its seeds at least, two accepted, so that the server is asked:\n%s", target, ran, accepted, out)
		}
	}
}
