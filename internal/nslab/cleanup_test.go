package nslab_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/failoverkit/ipfailover/internal/nslab"
)

// TestCleanupsOrder: steps run newest first, once; a failed step is
// reported by name and the others still run; a step added after Run runs at
// once.
func TestCleanupsOrder(t *testing.T) {
	var ran, failed []string
	cl := nslab.NewCleanupsFunc(func(step string, err error) { failed = append(failed, step+": "+err.Error()) })
	for _, name := range []string{"namespace", "process", "socket"} {
		cl.Add(name, func() error {
			ran = append(ran, name)
			if name == "process" {
				return errors.New("still running")
			}
			return nil
		})
	}
	cl.Run()
	cl.Run()
	if want := []string{"socket", "process", "namespace"}; !slices.Equal(ran, want) {
		t.Errorf("ran %v, want %v", ran, want)
	}
	if want := []string{"process: still running"}; !slices.Equal(failed, want) {
		t.Errorf("reported %v, want %v", failed, want)
	}
	cl.Add("late", func() error { ran = append(ran, "late"); return nil })
	if ran[len(ran)-1] != "late" {
		t.Errorf("a step added after Run did not run at once: %v", ran)
	}
}
