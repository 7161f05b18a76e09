package cli

import (
	"bufio"
	"fmt"
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
	bw := bufio.NewWriterSize(w, 1<<16)
	yw := fn.NewYAMLWriter(true, locationAnnotation)
	var b []byte
	n := 0
	for _, o := range objs {
		if o.IsLocalConfig() || fn.IsIPFailover(o) {
			continue
		}
		b = b[:0]
		if n > 0 {
			b = append(b, "---\n"...)
		}
		b = yw.Append(b, o)
		if _, err := bw.Write(b); err != nil {
			return err
		}
		n++
	}
	return bw.Flush()
}

// locationAnnotation reports whether an annotation only tells kpt where
// an object lives.
func locationAnnotation(k string) bool {
	return strings.HasPrefix(k, "internal.config.kubernetes.io/") ||
		k == kioutil.LegacyPathAnnotation || k == kioutil.LegacyIndexAnnotation || k == kioutil.LegacyIdAnnotation
}

// report writes the results to stderr (errors, and warnings unless
// errorsOnly) and returns the exit code they call for.
func report(env Env, results kfn.Results, errorsOnly bool) int {
	min := kfn.Info
	if errorsOnly {
		min = kfn.Error
	}
	_ = writeResults(env.Stderr, results, min)
	if results.ExitCode() != 0 {
		return ExitError
	}
	return ExitOK
}

// writeResults writes the results of at least severity min (kfn.Error:
// errors only; kfn.Warning: errors and warnings; kfn.Info: all), one line
// each, errors first.
func writeResults(w io.Writer, results kfn.Results, min kfn.Severity) error {
	rank := map[kfn.Severity]int{kfn.Error: 0, kfn.Warning: 1, kfn.Info: 2, "": 2}
	for level := 0; level <= rank[min]; level++ {
		for _, r := range results {
			if rank[r.Severity] == level {
				if _, err := fmt.Fprintln(w, fn.FormatResult(r)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
