package agent

import (
	"testing"
	"time"
)

func TestNextChunk(t *testing.T) {
	for _, c := range []struct {
		n    int
		took time.Duration
		want int
	}{
		{10, chunkBudget, 10},                 // on budget: the same again
		{10, 2 * chunkBudget, 5},              // twice as slow: half
		{8, chunkBudget / 4, 32},              // four times as fast: four times as many
		{40, 100 * chunkBudget, 1},            // far too slow: one group next
		{100, time.Microsecond, maxChunk},     // fast: capped
		{5, 0, maxChunk},                      // no measurable time: capped
		{1, time.Duration(-1), maxChunk},      // a clock step back: capped, not negative
		{maxChunk, chunkBudget / 2, maxChunk}, // never over the cap
	} {
		if got := nextChunk(c.n, c.took); got != c.want {
			t.Errorf("nextChunk(%d, %v) = %d, want %d", c.n, c.took, got, c.want)
		}
	}
}
