package cli

import (
	"io"
	"strings"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"

	"github.com/failoverkit/ipfailover/fn"
)

// writeStream writes objects as a YAML stream for kubectl apply or Argo
// CD: strings quoted for YAML 1.1 readers (fn.QuoteForYAML11), no
// local-config objects, no IPFailover (it is rendered, not applied),
// and none of the annotations that only tell kpt where an object lives.
func writeStream(w io.Writer, objs kfn.KubeObjects) error {
	var b strings.Builder
	n := 0
	for _, o := range objs {
		if o.IsLocalConfig() || fn.IsIPFailover(o) {
			continue
		}
		o = o.Copy()
		fn.QuoteForYAML11(kfn.KubeObjects{o})
		for k := range o.GetAnnotations() {
			if strings.HasPrefix(k, "internal.config.kubernetes.io/") ||
				k == kioutil.LegacyPathAnnotation || k == kioutil.LegacyIndexAnnotation || k == kioutil.LegacyIdAnnotation {
				_ = o.RemoveAnnotation(k)
			}
		}
		_ = o.RemoveAnnotationsIfEmpty()
		if n > 0 {
			b.WriteString("---\n")
		}
		b.WriteString(o.String())
		n++
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// report writes the results to stderr (errors, and warnings unless
// errorsOnly) and returns the exit code they call for.
func report(env Env, results kfn.Results, errorsOnly bool) int {
	min := kfn.Info
	if errorsOnly {
		min = kfn.Error
	}
	_ = fn.WriteResults(env.Stderr, results, min)
	if results.ExitCode() != 0 {
		return ExitError
	}
	return ExitOK
}
