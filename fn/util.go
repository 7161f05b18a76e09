package fn

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
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
