package fn

import (
	"cmp"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"
)

// sortedKeys returns the keys of m in order.
func sortedKeys[M ~map[K]V, K cmp.Ordered, V any](m M) []K {
	return slices.Sorted(maps.Keys(m))
}

func ptr[T any](v T) *T { return &v }

// FormatDuration writes whole seconds as the spec documents durations,
// "300s" (where Go writes "5m0s"), anything else as Go does ("1.5s").
func FormatDuration(d time.Duration) string {
	if d%time.Second == 0 {
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	}
	return d.String()
}

// lazyRegexp compiles expr on first use: compiling every expression of the
// package at start-up was the largest part of its init, on every run of
// the binary, mostly for expressions that run only on import.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
