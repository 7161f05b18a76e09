package fn

import (
	"cmp"
	"maps"
	"slices"
)

// sortedKeys returns the keys of m in order.
func sortedKeys[M ~map[K]V, K cmp.Ordered, V any](m M) []K {
	return slices.Sorted(maps.Keys(m))
}

func ptr[T any](v T) *T { return &v }
